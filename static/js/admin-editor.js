/*
 * The rich-text editor (django-ckeditor-5) on admin change forms, for Chinese text:
 *
 * - 字数：N under the editor, updated as the user types: every character but whitespace, as a
 *   Chinese word processor counts (CKEditor's WordCount plugin counts space-separated words, so a
 *   Chinese paragraph is one word; it is removed in settings).
 * - Warnings CKEditor would show with window.alert() (its Notification plugin's default; a
 *   refused picture upload with the server's Chinese message) appear above the editor in the
 *   admin's message style instead, each with 关闭. An alert blocks the page and is easily
 *   dismissed unread; the message stays until the user closes it.
 * - A chosen file that is not an accepted picture, which CKEditor would drop without a word, is
 *   named in the same way.
 *
 * The package creates its editors on DOMContentLoaded and announces each through
 * window.ckeditorRegisterCallback(textarea id, callback); window.editors holds the created ones.
 * Plain JavaScript, no inline scripts, nothing from another host.
 */
(function () {
  "use strict";

  function characterCount(editor) {
    var count = 0;
    var items = editor.model.createRangeIn(editor.model.document.getRoot()).getItems();
    for (var item of items) {
      if (item.is("$textProxy")) {
        // Array.from counts an emoji or a rare character beyond the BMP once, not twice.
        count += Array.from(item.data.replace(/\s+/g, "")).length;
      }
    }
    return count;
  }

  function showCount(editor, counter) {
    counter.textContent = "字数：" + characterCount(editor);
  }

  function messageList(editor) {
    var before = editor.ui.element;
    var list = before.previousElementSibling;
    if (list && list.classList.contains("editor-messages")) {
      return list;
    }
    list = document.createElement("ul");
    list.className = "messagelist editor-messages";
    before.parentNode.insertBefore(list, before);
    return list;
  }

  function showMessage(editor, text) {
    var list = messageList(editor);
    var shown = Array.prototype.some.call(list.children, function (item) {
      return item.firstChild.textContent === text;
    });
    if (shown) {
      return;
    }
    var item = document.createElement("li");
    item.className = "error";
    item.setAttribute("role", "alert");
    var words = document.createElement("span");
    words.textContent = text;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "editor-messages__close";
    close.textContent = "关闭";
    close.addEventListener("click", function () {
      item.remove();
      if (!list.children.length) {
        list.remove();
      }
      editor.editing.view.focus();
    });
    item.appendChild(words);
    item.appendChild(close);
    list.appendChild(item);
    // The toolbar stays in view while a long text scrolls; the message above it may not.
    if (item.getBoundingClientRect().top < 0) {
      item.scrollIntoView({ block: "nearest" });
    }
  }

  // The file dialog's accept attribute ("image/jpeg,image/png,…") as the names people know.
  function acceptedNames(input) {
    return input.accept.split(",").map(function (type) {
      var name = type.trim().replace(/^image\//, "").toUpperCase();
      return name === "WEBP" ? "WebP" : name;
    });
  }

  // CKEditor silently drops a chosen file that is not one of the accepted pictures (a BMP, a
  // phone's HEIC photo, a document picked with 所有文件): say so.
  function explainSkippedFiles(editor, event) {
    var input = event.target;
    if (input.type !== "file" || !input.accept || !input.files) {
      return;
    }
    var accepted = input.accept.split(",").map(function (type) {
      return type.trim();
    });
    Array.prototype.forEach.call(input.files, function (file) {
      if (accepted.indexOf(file.type) === -1) {
        showMessage(
          editor,
          '“' + file.name + '”没有上传：只能插入 ' + acceptedNames(input).join("、") + " 格式的图片。"
        );
      }
    });
  }

  function enhance(editor, textarea) {
    // The package's placeholder for WordCount's output, under the editor.
    var counter = document.getElementById(textarea.id + "_script-word-count");
    if (counter) {
      counter.classList.add("editor-char-count");
      showCount(editor, counter);
      editor.model.document.on("change:data", function () {
        showCount(editor, counter);
      });
    }
    // Capturing, so the files are read before CKEditor empties the input.
    editor.ui.element.addEventListener(
      "change",
      function (event) {
        explainSkippedFiles(editor, event);
      },
      true
    );
    if (editor.plugins.has("Notification")) {
      editor.plugins.get("Notification").on(
        "show:warning",
        function (event, data) {
          var text = String(data.message);
          showMessage(editor, data.title ? data.title + "：" + text : text);
          event.stop(); // before the plugin's own handler, which calls window.alert()
        },
        { priority: "high" }
      );
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof window.ckeditorRegisterCallback !== "function") {
      return; // the editor's script did not load: the plain textarea works as before
    }
    document.querySelectorAll("textarea.django_ckeditor_5").forEach(function (textarea) {
      var created = window.editors && window.editors[textarea.id];
      if (created) {
        enhance(created, textarea);
      } else {
        window.ckeditorRegisterCallback(textarea.id, function (editor) {
          enhance(editor, textarea);
        });
      }
    });
  });
})();
