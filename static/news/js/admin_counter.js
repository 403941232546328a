/* Admin: a live character count under the Markdown body, with the reading time it implies. */
(function () {
  "use strict";
  var CHARACTERS_PER_MINUTE = 500; // keep in step with news/rendering.py

  function attach(field) {
    var counter = document.createElement("p");
    counter.className = "news-markdown-counter";
    counter.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", counter);
    function update() {
      var characters = field.value.replace(/\s+/g, "").length;
      var minutes = Math.max(1, Math.ceil(characters / CHARACTERS_PER_MINUTE));
      counter.textContent = characters.toLocaleString("ja-JP") + "文字(空白を除く)・約" + minutes + "分で読めます";
    }
    field.addEventListener("input", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea.news-markdown-editor").forEach(attach);
  });
})();
