// The facilitator's live view: Server-Sent Events replace the parts that changed.
// Without JavaScript the page still works; reloading it shows the same state.
(function () {
  "use strict";
  var root = document.querySelector(".workshop-live[data-events]");
  if (!root || !window.EventSource) { return; }
  var status = document.getElementById("live-connection");
  var source = new EventSource(root.getAttribute("data-events"));
  function say(text) {
    if (!status) { return; }
    status.hidden = !text;
    status.textContent = text || "";
  }
  source.addEventListener("replace", function (event) {
    var data = JSON.parse(event.data);
    data.parts.forEach(function (part) {
      var target = document.getElementById(part.id);
      if (!target) { return; }
      target.innerHTML = part.html;
      if (window.htmx) { window.htmx.process(target); }
    });
    root.setAttribute("data-updated", String(Date.now()));
    say("");
  });
  source.addEventListener("state", function () {
    source.close();
    window.location.reload();
  });
  source.addEventListener("error", function () {
    say(root.getAttribute("data-offline") || "");
  });
})();
