// Cairn live updates: keeps the notification count in the navigation
// current while a page is open. Without JavaScript, or if the stream
// cannot be opened, the count simply shows what the page was served with.
(function () {
  "use strict";
  var count = document.getElementById("bell-count");
  if (!count || !window.EventSource) {
    return;
  }
  var source = new EventSource("/live");
  function show(n) {
    count.textContent = n > 0 ? " (" + n + " new)" : "";
  }
  function onUnread(e) {
    try {
      var data = JSON.parse(e.data);
      if (typeof data.unread === "number") {
        show(data.unread);
      }
    } catch (err) {
      // A malformed event changes nothing.
    }
  }
  source.addEventListener("notification", onUnread);
  source.addEventListener("unread", onUnread);
  window.addEventListener("pagehide", function () { source.close(); });
})();
