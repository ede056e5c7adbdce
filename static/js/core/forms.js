// Behaviour that used to sit in inline handlers (refused by the Content
// Security Policy): forms that submit when a select changes, forms and
// buttons that ask before an irreversible step (data-confirm states the
// consequence), and forms whose buttons are disabled while they submit, so
// a second click does not send the request twice.
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("[data-autosubmit]") && field.form) {
    field.form.submit();
  }
});

var SUBMIT_BUTTONS = "button[type=submit], button:not([type]), input[type=submit]";
// A POST that answers with a download leaves the page where it is: give the
// buttons back after a while rather than leaving them dead.
var RELEASE_AFTER_MS = 8000;

function releaseForm(form) {
  form.removeAttribute("data-submitting");
  form.querySelectorAll(SUBMIT_BUTTONS).forEach(function (button) { button.disabled = false; });
}

document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.getAttribute) { return; }
  var submitter = event.submitter;
  // A button's own question wins over its form's (one form, several steps).
  var question = submitter && submitter.hasAttribute("data-confirm")
    ? submitter.getAttribute("data-confirm") : form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
    return;
  }
  if ((form.getAttribute("method") || "get").toLowerCase() !== "post") { return; }
  if (form.hasAttribute("data-submitting")) {
    event.preventDefault();
    return;
  }
  form.setAttribute("data-submitting", "");
  // Disabled after this tick, so the clicked button's name and value are sent.
  window.setTimeout(function () {
    form.querySelectorAll(SUBMIT_BUTTONS).forEach(function (button) { button.disabled = true; });
  }, 0);
  window.setTimeout(function () { releaseForm(form); }, RELEASE_AFTER_MS);
});

// Back to a page from the history cache: its forms can be used again.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form[data-submitting]").forEach(releaseForm);
});
