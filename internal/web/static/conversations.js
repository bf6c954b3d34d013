// Cairn conversations: with the page open, new messages appear in the
// thread as they are sent (over the live-update stream that live.js
// holds), the send form posts without a reload (htmx), and the list of
// conversations stays current. Without JavaScript the forms post and the
// pages show new messages on reload.
(function () {
  "use strict";
  if (!window.fetch) {
    return;
  }
  var thread = document.getElementById("messages");
  var status = document.getElementById("messages-status");
  var listBox = document.getElementById("conversation-list");

  function announce(text) {
    if (!status) {
      return;
    }
    // Clear first, so that the same words are read again.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  if (thread && thread.hasAttribute("data-live")) {
    var id = thread.getAttribute("data-conversation");
    var base = "/conversations/" + encodeURIComponent(id);
    var busy = false;
    var again = false;
    var unseen = false;

    var lastID = function () {
      var items = thread.querySelectorAll("li[data-id]");
      return items.length ? items[items.length - 1].getAttribute("data-id") : "";
    };
    var nearBottom = function () {
      return window.innerHeight + window.scrollY >= document.body.scrollHeight - 200;
    };
    var markRead = function () {
      unseen = false;
      fetch(base + "/read", { method: "POST", credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .catch(function () {});
    };
    var append = function (html) {
      var tpl = document.createElement("template");
      tpl.innerHTML = html;
      var follow = nearBottom();
      var from = [];
      var added = 0;
      Array.prototype.forEach.call(tpl.content.querySelectorAll("li[data-id]"), function (li) {
        if (document.getElementById("m-" + li.getAttribute("data-id"))) {
          return; // already shown (sent from this page, or fetched twice)
        }
        thread.appendChild(li);
        added++;
        if (li.hasAttribute("data-author")) {
          from.push(li.getAttribute("data-author"));
        }
      });
      if (added === 0) {
        return;
      }
      var empty = document.getElementById("no-messages");
      if (empty) {
        empty.parentNode.removeChild(empty);
      }
      if (follow) {
        thread.lastElementChild.scrollIntoView({ block: "end" });
      }
      if (from.length > 0) {
        announce(from.length === 1 ? "New message from " + from[0] + "." : from.length + " new messages.");
        if (document.hidden) {
          unseen = true;
        } else {
          markRead();
        }
      }
    };
    var fetchNew = function () {
      if (busy) {
        again = true;
        return;
      }
      busy = true;
      var after = lastID();
      fetch(base + "/messages" + (after ? "?after=" + encodeURIComponent(after) : ""),
        { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) {
          if (html) {
            append(html);
          }
        })
        .catch(function () {})
        .then(function () {
          busy = false;
          if (again) {
            again = false;
            fetchNew();
          }
        });
    };

    document.addEventListener("cairn:live", function (e) {
      var d = e.detail || {};
      if (d.type === "message" && d.data && d.data.conversation_id === id) {
        fetchNew();
      } else if (d.type === "resync" || d.type === "open") {
        fetchNew();
      }
    });
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden && unseen) {
        markRead();
      }
    });

    // The send form, posted by htmx: a problem comes back as the form with
    // its message (422), which htmx would otherwise not show.
    document.body.addEventListener("htmx:beforeSwap", function (e) {
      var elt = e.detail && e.detail.elt;
      if (elt && elt.id === "send-form" && e.detail.xhr && e.detail.xhr.status === 422) {
        e.detail.shouldSwap = true;
        e.detail.isError = false;
      }
    });
    document.body.addEventListener("htmx:afterRequest", function (e) {
      var elt = e.detail && e.detail.elt;
      if (elt && elt.id === "send-form" && e.detail.successful) {
        fetchNew();
        announce("Message sent.");
      }
    });
    document.body.addEventListener("htmx:afterSettle", function () {
      var box = document.getElementById("body");
      var form = document.getElementById("send-form");
      if (box && form && (document.activeElement === document.body || !document.activeElement)) {
        box.focus();
      }
    });
  }

  // The new-conversation form: the name search filters the list as one
  // types (the people ticked stay listed); without JavaScript the search
  // button asks the server.
  var search = document.getElementById("q");
  var people = document.querySelectorAll(".people li");
  var peopleStatus = document.getElementById("people-status");
  if (search && people.length) {
    var filterTimer = 0;
    search.addEventListener("input", function () {
      var needle = search.value.trim().toLowerCase();
      var shown = 0;
      Array.prototype.forEach.call(people, function (li) {
        var box = li.querySelector("input[type=checkbox]");
        var match = needle === "" || li.textContent.toLowerCase().indexOf(needle) >= 0 || (box && box.checked);
        li.hidden = !match;
        if (match) {
          shown++;
        }
      });
      window.clearTimeout(filterTimer);
      filterTimer = window.setTimeout(function () {
        if (peopleStatus) {
          peopleStatus.textContent = shown === 1 ? "1 person listed." : shown + " people listed.";
        }
      }, 400);
    });
  }

  if (listBox) {
    var timer = 0;
    var refresh = function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        fetch("/conversations", { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.text() : ""; })
          .then(function (html) {
            if (!html) {
              return;
            }
            var doc = new DOMParser().parseFromString(html, "text/html");
            var fresh = doc.getElementById("conversation-list");
            if (!fresh) {
              return;
            }
            // Keep the keyboard where it was: on the same conversation.
            var active = document.activeElement;
            var href = active && listBox.contains(active) ? active.getAttribute("href") : null;
            listBox.replaceChildren.apply(listBox, Array.prototype.slice.call(fresh.childNodes).map(function (n) {
              return document.importNode(n, true);
            }));
            if (href) {
              var same = Array.prototype.filter.call(listBox.querySelectorAll("a[href]"), function (a) {
                return a.getAttribute("href") === href;
              })[0];
              if (same) {
                same.focus();
              }
            }
          })
          .catch(function () {});
      }, 250);
    };
    document.addEventListener("cairn:live", function (e) {
      var t = (e.detail || {}).type;
      if (t === "message" || t === "conversations_unread" || t === "resync") {
        refresh();
      }
    });
  }
})();
