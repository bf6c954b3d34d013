// Cairn live updates: the page's one stream of server-sent events (/live).
// It keeps the counts in the navigation current (notifications, and
// conversations with unread messages) and passes every event on to the
// page's own scripts as a "cairn:live" event on document, with
// detail {type, data}; "open" is passed on too, each time the stream
// (re)connects, so that a page can catch up on what it may have missed.
// Without JavaScript, or if the stream cannot be opened, the counts simply
// show what the page was served with.
(function () {
  "use strict";
  var count = document.getElementById("bell-count");
  var messages = document.getElementById("messages-count");
  if ((!count && !messages) || !window.EventSource) {
    return;
  }
  var source = new EventSource("/live");
  function parse(e) {
    try {
      var data = JSON.parse(e.data);
      return data && typeof data === "object" ? data : {};
    } catch (err) {
      // A malformed event changes nothing.
      return null;
    }
  }
  function pass(type, data) {
    var ev;
    try {
      ev = new CustomEvent("cairn:live", { detail: { type: type, data: data } });
    } catch (err) {
      return;
    }
    document.dispatchEvent(ev);
  }
  function showBell(n) {
    if (count) {
      count.textContent = n > 0 ? " (" + n + " new)" : "";
    }
  }
  function showMessages(n) {
    if (messages) {
      messages.textContent = n > 0 ? " (" + n + " new)" : "";
    }
  }
  function onUnread(e) {
    var data = parse(e);
    if (data && typeof data.unread === "number") {
      showBell(data.unread);
    }
  }
  source.addEventListener("notification", onUnread);
  source.addEventListener("unread", onUnread);
  // The messages count: the server sends it after a read, and after a new
  // message only says that it changed.
  function fetchMessages() {
    if (messages && window.fetch) {
      fetch("/conversations/unread", { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (data && typeof data.unread === "number") {
            showMessages(data.unread);
          }
        })
        .catch(function () {});
    }
  }
  source.addEventListener("conversations_unread", function (e) {
    var data = parse(e);
    if (!data) {
      return;
    }
    if (typeof data.unread === "number") {
      showMessages(data.unread);
    } else {
      fetchMessages();
    }
    pass("conversations_unread", data);
  });
  ["message", "resync", "circle_post"].forEach(function (type) {
    source.addEventListener(type, function (e) {
      var data = parse(e);
      if (data) {
        pass(type, data);
      }
    });
  });
  // Each (re)connection: catch up on the messages count, which may have
  // changed while the stream was closed.
  source.addEventListener("open", function () {
    fetchMessages();
    pass("open", {});
  });
  window.addEventListener("pagehide", function () { source.close(); });
})();
