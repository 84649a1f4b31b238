// The official's live headcount: Server-Sent Events redraw it as answers arrive. Without
// EventSource (or when the stream keeps failing) the page polls the headcount part instead;
// without JavaScript, reloading the page shows the same figures.
(function () {
  "use strict";
  var root = document.querySelector(".crowds-live[data-events]");
  if (!root) { return; }
  var target = document.getElementById("headcount");
  var status = document.getElementById("live-connection");
  // screen readers hear only this short summary when it changes, not the whole redrawn table
  var summary = document.getElementById("headcount-summary");
  var failures = 0;
  var polling = null;
  function say(text) {
    if (!status) { return; }
    status.hidden = !text;
    status.textContent = text || "";
  }
  function show(html) {
    target.innerHTML = html;
    root.setAttribute("data-updated", String(Date.now()));
    var line = target.querySelector("[data-summary]");
    if (summary && line && summary.textContent !== line.textContent) {
      summary.textContent = line.textContent;
    }
  }
  function poll() {
    if (polling) { return; }
    polling = window.setInterval(function () {
      fetch(root.getAttribute("data-fallback"), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) { show(html); say(""); })
        .catch(function () { say(root.getAttribute("data-offline")); });
    }, 3000);
  }
  if (!window.EventSource) { poll(); return; }
  var source = new EventSource(root.getAttribute("data-events"));
  source.addEventListener("headcount", function (event) {
    failures = 0;
    show(JSON.parse(event.data).html);
    say("");
  });
  source.addEventListener("state", function () { source.close(); });
  source.addEventListener("error", function () {
    failures += 1;
    say(root.getAttribute("data-offline"));
    if (failures >= 3) { source.close(); poll(); }
  });
})();
