// "Print" buttons (data-print): the site's Content-Security-Policy allows no inline handlers.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
