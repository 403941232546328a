// Lead forms (consultation, recruiters): focus the first field in error, let the error
// summary's links focus their field, and stop a double-click from sending the form twice.
// An external file, because the CSP allows no inline script.
(function () {
  "use strict";

  var form = document.querySelector("[data-lead-form]");
  if (!form) {
    return;
  }

  function focusField(field) {
    field.focus({ preventScroll: true });
    field.scrollIntoView({ block: "center" });
  }

  var summary = document.getElementById("error-summary");
  if (summary) {
    var firstInvalid = form.querySelector(".is-invalid");
    if (firstInvalid) {
      focusField(firstInvalid);
    } else {
      summary.focus();
    }
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var field = link && document.getElementById(link.getAttribute("href").slice(1));
      if (field) {
        event.preventDefault();
        focusField(field);
      }
    });
  }

  // A field required only for one answer elsewhere (the phone, when 電話 is the contact
  // method): its badge says 必須 while that answer is chosen. The server checks it anyway.
  Array.prototype.forEach.call(form.querySelectorAll("[data-required-when]"), function (field) {
    var rule = field.dataset.requiredWhen.split("=");
    var label = form.querySelector("label[for='" + field.id + "']");
    var badge = label && label.querySelector(".form-badge");
    var optionalText = badge ? badge.textContent : "";
    function update() {
      var chosen = form.querySelector("[name='" + rule[0] + "']:checked");
      var required = Boolean(chosen) && chosen.value === rule[1];
      field.setAttribute("aria-required", required ? "true" : "false");
      if (badge) {
        badge.textContent = required ? field.dataset.requiredLabel : optionalText;
        badge.classList.toggle("form-badge--required", required);
        badge.classList.toggle("form-badge--optional", !required);
      }
    }
    form.addEventListener("change", function (event) {
      if (event.target.name === rule[0]) {
        update();
      }
    });
    update();
  });

  var button = form.querySelector("button[type='submit']");
  var label = button ? button.textContent : "";
  form.addEventListener("submit", function (event) {
    if (form.dataset.submitting === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "1";
    // After this tick the browser has collected the form data; only then disable the button.
    window.setTimeout(function () {
      if (button) {
        button.disabled = true;
        button.textContent = button.dataset.submittingLabel || label;
      }
    }, 0);
  });

  // Back from the thank-you page (back/forward cache): the form must be usable again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && button) {
      form.dataset.submitting = "";
      button.disabled = false;
      button.textContent = label;
    }
  });
})();
