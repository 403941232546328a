// The phone menu: the header's button opens and closes it. Bootstrap's bundle (80 KB with
// Popper) was loaded on every page for this alone, and its evaluation was the article
// page's longest task on a phone. An external file, because the CSP allows no inline script.
(function () {
  "use strict";

  var button = document.querySelector("[data-menu-toggle]");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) {
    return;
  }

  function setOpen(open) {
    menu.classList.toggle("show", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
})();
