// One tap: a link from a message opens this page with the answer chosen (?a=coming) and the
// page sends it at once. Link scanners in mail systems fetch the page but run no scripts, so
// they cannot answer for the volunteer; without JavaScript the volunteer taps the button.
(function () {
  "use strict";
  var form = document.querySelector(".crowds-answers[data-autosubmit]");
  if (!form) { return; }
  var answer = form.getAttribute("data-preselect");
  var button = form.querySelector('button[value="' + answer + '"]');
  if (!button) { return; }
  if (form.requestSubmit) { form.requestSubmit(button); } else { button.click(); }
})();
