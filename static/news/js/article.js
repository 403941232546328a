/* Article page behaviour: copy the URL with a toast. Self-hosted, no third parties. */
(function () {
  "use strict";

  var toast = document.getElementById("share-toast");
  var hideTimer = null;

  function showToast(message) {
    if (!toast) { return; }
    toast.textContent = message;
    toast.hidden = false;
    // Next frame, so the transition runs from the hidden state.
    window.requestAnimationFrame(function () { toast.classList.add("is-visible"); });
    window.clearTimeout(hideTimer);
    hideTimer = window.setTimeout(function () {
      toast.classList.remove("is-visible");
      hideTimer = window.setTimeout(function () { toast.hidden = true; }, 300);
    }, 2400);
  }

  function copyWithSelection(text) {
    var field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.className = "share-copy-buffer";
    document.body.appendChild(field);
    field.select();
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
    document.body.removeChild(field);
    return copied;
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(
        function () { return true; },
        function () { return copyWithSelection(text); }
      );
    }
    return Promise.resolve(copyWithSelection(text));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-url]");
    if (!button) { return; }
    event.preventDefault();
    copy(button.getAttribute("data-copy-url")).then(function (copied) {
      showToast(toast && toast.getAttribute(copied ? "data-success" : "data-failure"));
    });
  });
})();
