// Status change form: the close reason matters only when closing, so show it only then.
// A static file, not an inline script: our CSP is script-src 'self'.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const status = document.getElementById("id_to");
  const row = document.querySelector(".field-close_reason");
  if (!status || !row) {
    return;
  }
  const sync = () => {
    row.hidden = status.value !== "closed";
  };
  status.addEventListener("change", sync);
  sync();
});
