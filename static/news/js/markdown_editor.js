/* The article editor: live preview, images uploaded into the body, and save errors named.
   A static file under our CSP (no inline script, no eval); the server renders the preview
   with the site's own Markdown renderer (news/admin/editor.py). */
(function () {
  "use strict";
  var PREVIEW_DELAY_MS = 400;

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
    });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function attachPreview(field) {
    var panel = element("div", "news-markdown-preview");
    panel.setAttribute("aria-live", "polite");
    panel.setAttribute("aria-label", "プレビュー");
    var heading = element("p", "news-markdown-preview__title", "プレビュー(読者に見える形)");
    var wrapper = element("div", "news-markdown-split");
    field.parentNode.insertBefore(wrapper, field);
    wrapper.appendChild(field);
    var side = element("div", "news-markdown-preview-box");
    side.appendChild(heading);
    side.appendChild(panel);
    wrapper.appendChild(side);

    var timer = null;
    function refresh() {
      var data = new FormData();
      data.append("body", field.value);
      post(field.dataset.previewUrl, data)
        .then(function (response) { return response.text(); })
        .then(function (html) { panel.innerHTML = html; })  // sanitised by the server
        .catch(function () { panel.textContent = "プレビューを表示できませんでした。"; });
    }
    field.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, PREVIEW_DELAY_MS);
    });
    refresh();
  }

  function insertAtCursor(field, text) {
    var start = field.selectionStart, end = field.selectionEnd;
    var before = field.value.slice(0, start), after = field.value.slice(end);
    var line = (before && !before.endsWith("\n") ? "\n" : "") + text + "\n";
    field.value = before + line + after;
    field.selectionStart = field.selectionEnd = start + line.length;
    field.dispatchEvent(new Event("input"));
  }

  function attachUpload(field) {
    var box = element("div", "news-markdown-upload");
    var file = element("input");
    file.type = "file";
    file.accept = "image/*";
    file.setAttribute("aria-label", "本文に入れる画像");
    var alt = element("input");
    alt.type = "text";
    alt.placeholder = "画像の説明(代替テキスト)";
    alt.setAttribute("aria-label", "画像の説明(代替テキスト)");
    var button = element("button", "button", "画像を本文に入れる");
    button.type = "button";
    var status = element("span", "news-markdown-upload__status");
    status.setAttribute("role", "status");
    [file, alt, button, status].forEach(function (node) { box.appendChild(node); });
    field.closest(".news-markdown-split").insertAdjacentElement("beforebegin", box);

    button.addEventListener("click", function () {
      if (!file.files.length) { status.textContent = "画像を選んでください。"; return; }
      var data = new FormData();
      data.append("image", file.files[0]);
      data.append("alt", alt.value);
      status.textContent = "アップロード中…";
      post(field.dataset.uploadUrl, data)
        .then(function (response) { return response.json(); })
        .then(function (answer) {
          if (answer.error) { status.textContent = answer.error; return; }
          insertAtCursor(field, answer.markdown);
          status.textContent = "本文に入れました。";
          file.value = "";
          alt.value = "";
        })
        .catch(function () { status.textContent = "アップロードできませんでした。"; });
    });
  }

  /* A refused save: name the failing fields at the top and take the editor to the first. */
  function showErrors() {
    var note = document.querySelector(".errornote");
    // Django 6 marks the field's own box (.flex-container), older versions its row.
    var rows = document.querySelectorAll(".flex-container.errors, .form-row.errors");
    if (!note || !rows.length) return;
    var names = [];
    rows.forEach(function (row) {
      var label = row.querySelector("label");
      var name = label ? label.textContent.replace(/[::]\s*$/, "").trim() : "";
      if (name && names.indexOf(name) === -1) names.push(name);
    });
    if (names.length) {
      note.appendChild(document.createElement("br"));
      note.appendChild(document.createTextNode("エラーのある項目: " + names.join("、")));
    }
    var first = rows[0];
    var closed = first.closest("details");
    if (closed) closed.open = true;
    first.scrollIntoView({ block: "center" });
    var input = first.querySelector("input, textarea, select");
    if (input) input.focus({ preventScroll: true });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea.news-markdown-editor[data-preview-url]").forEach(
      function (field) {
        attachPreview(field);
        attachUpload(field);
      }
    );
  });
  // Django's change_form.js is loaded async and focuses the first field of an add form
  // whenever it happens to run; async scripts all run before "load", so ours comes last.
  window.addEventListener("load", showErrors);
})();
