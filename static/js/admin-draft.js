/*
 * Local drafts for admin change forms: typed text survives a closed tab, a crash or an expired login.
 *
 * Opt-in: a ModelAdmin with portal.admin_mixins.LocalDraftAdminMixin loads this file and puts
 * <div hidden data-local-draft data-draft-key="…" data-draft-version="…"> inside its form.
 *
 * - While the user edits, the form's text inputs, textareas (CKEditor 5 included), selects,
 *   checkboxes and radios are saved to localStorage under data-draft-key (debounced).
 * - When the form is opened again and the stored draft differs from what the server sent, a
 *   bar "恢复未保存的内容" offers 恢复 (fill the fields back) and 放弃 (drop the draft).
 * - Submitting marks the draft as pending in sessionStorage. It is removed only when a page
 *   shows the admin's success message for this object; a form returned with validation errors,
 *   or a login page after an expired session, keeps it.
 *
 * Plain JavaScript, no inline scripts, nothing from another host.
 */
(function () {
  "use strict";

  var PREFIX = "admin-draft:";
  var PENDING = PREFIX + "pending";
  var FORMAT = 1;
  var SAVE_DELAY_MS = 400;
  var MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;
  var EDITOR_WAIT_MS = 5000;
  var EDITOR_HOOK_MS = 30000;
  var SKIP_TYPES = ["hidden", "password", "file", "submit", "button", "reset", "image"];

  function usableStorage(name) {
    try {
      var store = window[name];
      store.setItem(PREFIX + "probe", "1");
      store.removeItem(PREFIX + "probe");
      return store;
    } catch (error) {
      return null; // private mode, disabled storage: the form works as before
    }
  }

  var local = usableStorage("localStorage");
  var session = usableStorage("sessionStorage");

  function readJSON(store, key) {
    if (!store) {
      return null;
    }
    try {
      return JSON.parse(store.getItem(key));
    } catch (error) {
      return null;
    }
  }

  function writeJSON(store, key, value) {
    try {
      store.setItem(key, JSON.stringify(value));
      return true;
    } catch (error) {
      return false; // quota exceeded: nothing sensible to do
    }
  }

  function pruneOldDrafts() {
    for (var i = local.length - 1; i >= 0; i -= 1) {
      var key = local.key(i);
      if (key && key.indexOf(PREFIX) === 0) {
        var draft = readJSON(local, key);
        var saved = draft && Date.parse(draft.savedAt);
        if (!saved || Date.now() - saved > MAX_AGE_MS) {
          local.removeItem(key);
        }
      }
    }
  }

  /* --- the success message decides whether a submitted draft was saved --------------------- */

  function successMessageFor(path) {
    var messages = document.querySelectorAll("ul.messagelist li.success");
    for (var i = 0; i < messages.length; i += 1) {
      // An added object gets a new URL: any success message after the add form counts.
      if (/\/add\/$/.test(path)) {
        return true;
      }
      var links = messages[i].querySelectorAll("a[href]");
      for (var j = 0; j < links.length; j += 1) {
        if (new URL(links[j].getAttribute("href"), window.location.href).pathname === path) {
          return true;
        }
      }
    }
    return false;
  }

  function settlePendingSubmit(marker) {
    var pending = readJSON(session, PENDING);
    if (!pending) {
      return;
    }
    if (successMessageFor(pending.path)) {
      local.removeItem(pending.key);
      session.removeItem(PENDING);
    } else if (marker && marker.getAttribute("data-draft-key") === pending.key) {
      // Back on the same form without a success message (validation errors, or opened again
      // after logging in anew): the submit did not save, the draft stays.
      session.removeItem(PENDING);
    }
    // Any other page (the login page after an expired session): decide later.
  }

  /* --- fields ------------------------------------------------------------------------------- */

  function draftableFields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.name === "csrfmiddlewaretoken") {
        return false;
      }
      if (el.tagName === "TEXTAREA" || el.tagName === "SELECT") {
        return true;
      }
      return el.tagName === "INPUT" && SKIP_TYPES.indexOf((el.type || "text").toLowerCase()) < 0;
    });
  }

  function isToggle(el) {
    return el.type === "checkbox" || el.type === "radio";
  }

  function fieldKey(el) {
    return isToggle(el) ? el.name + "=" + el.value : el.name;
  }

  function editorFor(el) {
    // django-ckeditor-5 keeps its editors in window.editors, keyed by the textarea's id.
    if (el.tagName !== "TEXTAREA" || !el.id || !el.classList.contains("django_ckeditor_5")) {
      return null;
    }
    var editors = window.editors;
    return editors && editors[el.id] ? editors[el.id] : null;
  }

  function readValue(el) {
    if (isToggle(el)) {
      return el.checked;
    }
    if (el.tagName === "SELECT" && el.multiple) {
      return Array.prototype.filter
        .call(el.options, function (option) {
          return option.selected;
        })
        .map(function (option) {
          return option.value;
        });
    }
    var editor = editorFor(el);
    return editor ? editor.getData() : el.value;
  }

  function writeValue(el, value) {
    if (isToggle(el)) {
      el.checked = Boolean(value);
    } else if (el.tagName === "SELECT" && el.multiple) {
      var wanted = Array.isArray(value) ? value : [];
      Array.prototype.forEach.call(el.options, function (option) {
        option.selected = wanted.indexOf(option.value) >= 0;
      });
    } else {
      el.value = value === null || value === undefined ? "" : String(value);
      var editor = editorFor(el);
      if (editor) {
        editor.setData(el.value);
      }
    }
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function normalise(value) {
    if (Array.isArray(value)) {
      return value.slice().sort().join("\u0000");
    }
    if (typeof value === "boolean") {
      return value ? "1" : "";
    }
    // Rich text comes back from the editor re-serialised: ignore whitespace differences.
    return String(value === null || value === undefined ? "" : value)
      .replace(/>\s+</g, "><")
      .replace(/\s+/g, " ")
      .trim();
  }

  function formatTime(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) {
      return "";
    }
    function two(number) {
      return (number < 10 ? "0" : "") + number;
    }
    return (
      date.getFullYear() + "-" + two(date.getMonth() + 1) + "-" + two(date.getDate()) + " " +
      two(date.getHours()) + ":" + two(date.getMinutes())
    );
  }

  /* --- one opted-in form -------------------------------------------------------------------- */

  function LocalDraft(form, marker) {
    this.form = form;
    this.key = marker.getAttribute("data-draft-key");
    this.version = marker.getAttribute("data-draft-version") || "";
    this.timer = null;
    this.paused = false;
    this.editorValues = {}; // restored values waiting for an editor that is not ready yet
    this.bar = null;
  }

  LocalDraft.prototype.fieldsByKey = function () {
    var byKey = {};
    draftableFields(this.form).forEach(function (el) {
      byKey[fieldKey(el)] = el;
    });
    return byKey;
  };

  LocalDraft.prototype.snapshot = function () {
    var fields = {};
    draftableFields(this.form).forEach(function (el) {
      fields[fieldKey(el)] = readValue(el);
    });
    return fields;
  };

  LocalDraft.prototype.saveNow = function () {
    window.clearTimeout(this.timer);
    this.timer = null;
    if (this.paused) {
      return;
    }
    writeJSON(local, this.key, {
      format: FORMAT,
      savedAt: new Date().toISOString(),
      version: this.version,
      path: window.location.pathname,
      fields: this.snapshot(),
    });
  };

  LocalDraft.prototype.scheduleSave = function () {
    if (this.paused) {
      return;
    }
    var self = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () {
      self.saveNow();
    }, SAVE_DELAY_MS);
  };

  LocalDraft.prototype.differsFromForm = function (draft) {
    var byKey = this.fieldsByKey();
    return Object.keys(draft.fields).some(function (key) {
      var el = byKey[key];
      return el && normalise(readValue(el)) !== normalise(draft.fields[key]);
    });
  };

  LocalDraft.prototype.restore = function (draft) {
    var byKey = this.fieldsByKey();
    var self = this;
    Object.keys(draft.fields).forEach(function (key) {
      var el = byKey[key];
      if (!el) {
        return; // the form has changed since (a field removed, an inline row not added)
      }
      if (el.classList.contains("django_ckeditor_5") && !editorFor(el)) {
        self.editorValues[el.id] = draft.fields[key];
      }
      writeValue(el, draft.fields[key]);
    });
  };

  LocalDraft.prototype.hookEditors = function () {
    var self = this;
    var areas = Array.prototype.slice.call(this.form.querySelectorAll("textarea.django_ckeditor_5"));
    var started = Date.now();
    function poll() {
      areas = areas.filter(function (area) {
        var editor = editorFor(area);
        if (!editor) {
          return true;
        }
        if (Object.prototype.hasOwnProperty.call(self.editorValues, area.id)) {
          editor.setData(self.editorValues[area.id]);
          delete self.editorValues[area.id];
        }
        editor.model.document.on("change:data", function () {
          self.scheduleSave();
        });
        return false;
      });
      if (areas.length && Date.now() - started < EDITOR_HOOK_MS) {
        window.setTimeout(poll, 100);
      }
    }
    poll();
  };

  LocalDraft.prototype.whenEditorsReady = function (callback) {
    var areas = this.form.querySelectorAll("textarea.django_ckeditor_5");
    var started = Date.now();
    function check() {
      var ready = Array.prototype.every.call(areas, function (area) {
        return Boolean(editorFor(area));
      });
      if (ready || Date.now() - started > EDITOR_WAIT_MS) {
        callback();
      } else {
        window.setTimeout(check, 100);
      }
    }
    check();
  };

  LocalDraft.prototype.showPrompt = function (draft) {
    var self = this;
    var bar = document.createElement("div");
    bar.className = "admin-draft-prompt";
    bar.setAttribute("role", "status");
    bar.setAttribute("data-admin-draft-prompt", "");

    var text = document.createElement("p");
    var title = document.createElement("strong");
    title.textContent = "恢复未保存的内容";
    text.appendChild(title);
    var when = formatTime(draft.savedAt);
    text.appendChild(
      document.createTextNode(
        "：本浏览器保存了您" + (when ? "于 " + when + " " : "") + "所做但尚未保存的修改。" +
          "恢复后请核对并点击“保存”。"
      )
    );
    bar.appendChild(text);

    if (draft.version && this.version && draft.version !== this.version) {
      var warning = document.createElement("p");
      warning.className = "admin-draft-warning";
      warning.textContent =
        "注意：这份草稿之后，本条内容已被保存过。恢复会覆盖表单中的最新内容，请先核对。";
      bar.appendChild(warning);
    }

    var buttons = document.createElement("p");
    buttons.className = "admin-draft-buttons";
    var restoreButton = document.createElement("button");
    restoreButton.type = "button";
    restoreButton.className = "button default";
    restoreButton.setAttribute("data-admin-draft-restore", "");
    restoreButton.textContent = "恢复";
    var discardButton = document.createElement("button");
    discardButton.type = "button";
    discardButton.className = "button";
    discardButton.setAttribute("data-admin-draft-discard", "");
    discardButton.textContent = "放弃";
    buttons.appendChild(restoreButton);
    buttons.appendChild(document.createTextNode(" "));
    buttons.appendChild(discardButton);
    bar.appendChild(buttons);

    restoreButton.addEventListener("click", function () {
      self.restore(draft);
      self.paused = false;
      self.saveNow();
      self.finishPrompt("已恢复未保存的内容，请核对后点击“保存”。");
    });
    discardButton.addEventListener("click", function () {
      local.removeItem(self.key);
      self.paused = false;
      self.finishPrompt("已放弃未保存的内容。");
    });

    this.form.parentNode.insertBefore(bar, this.form);
    this.bar = bar;
  };

  LocalDraft.prototype.finishPrompt = function (message) {
    var bar = this.bar;
    while (bar.firstChild) {
      bar.removeChild(bar.firstChild);
    }
    bar.removeAttribute("data-admin-draft-prompt");
    bar.setAttribute("data-admin-draft-done", "");
    var text = document.createElement("p");
    text.textContent = message;
    bar.appendChild(text);
    var first = draftableFields(this.form)[0];
    if (first && typeof first.focus === "function") {
      first.focus();
    }
  };

  LocalDraft.prototype.offerStoredDraft = function () {
    var draft = readJSON(local, this.key);
    if (!draft || draft.format !== FORMAT || !draft.fields) {
      return;
    }
    var hasErrors = Boolean(this.form.querySelector(".errornote, .errorlist"));
    if (!this.differsFromForm(draft)) {
      // The server already holds these values, unless the form came back with errors, in
      // which case they are still unsaved: keep the draft then.
      if (!hasErrors) {
        local.removeItem(this.key);
      }
      return;
    }
    // Hold autosave until the user answers, so typing cannot overwrite the offered draft.
    this.paused = true;
    this.showPrompt(draft);
  };

  LocalDraft.prototype.start = function () {
    var self = this;
    function onEdit(event) {
      if (event.target && event.target.name) {
        self.scheduleSave();
      }
    }
    this.form.addEventListener("input", onEdit);
    this.form.addEventListener("change", onEdit);
    this.form.addEventListener("submit", function () {
      if (self.timer) {
        self.saveNow();
      }
      if (session) {
        writeJSON(session, PENDING, { key: self.key, path: window.location.pathname });
      }
    });
    window.addEventListener("pagehide", function () {
      if (self.timer) {
        self.saveNow();
      }
    });
    this.hookEditors();
    this.whenEditorsReady(function () {
      self.offerStoredDraft();
    });
  };

  function init() {
    if (!local) {
      return;
    }
    pruneOldDrafts();
    var marker = document.querySelector("[data-local-draft]");
    settlePendingSubmit(marker);
    var form = marker && marker.closest("form");
    if (form && marker.getAttribute("data-draft-key")) {
      new LocalDraft(form, marker).start();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
