// Cairn circles: on a circle's page, shows "New posts — show" when
// someone posts in the circle while the page is open. It listens to the
// "cairn:live" events that live.js passes on from the page's one event
// stream; without JavaScript the page simply shows what it was served with.
(function () {
  "use strict";
  var note = document.getElementById("circle-new-posts");
  if (!note) {
    return;
  }
  var circle = note.getAttribute("data-circle");
  document.addEventListener("cairn:live", function (e) {
    var d = e.detail || {};
    if (d.type === "circle_post" && d.data && d.data.circle_id === circle) {
      note.hidden = false;
    }
  });
})();
