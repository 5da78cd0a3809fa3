/* Article page tools: font size (字号), print (打印), copy link (分享), back (返回), and the
   view-count beacon. Wired by data- attributes; the page works without this file. */
(function () {
  "use strict";

  var SIZE_KEY = "news.fontSize";
  var SIZES = ["small", "medium", "large"];

  function setFontSize(size, buttons, target) {
    if (SIZES.indexOf(size) === -1) { size = "medium"; }
    SIZES.forEach(function (name) { target.classList.remove("article-body--" + name); });
    target.classList.add("article-body--" + size);
    buttons.forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-font-size") === size));
    });
    try { window.localStorage.setItem(SIZE_KEY, size); } catch (error) { /* private mode */ }
  }

  function initFontSize() {
    var group = document.querySelector("[data-font-size-group]");
    var target = document.querySelector("[data-font-size-target]");
    if (!group || !target) { return; }
    var buttons = Array.prototype.slice.call(group.querySelectorAll("[data-font-size]"));
    var saved = null;
    try { saved = window.localStorage.getItem(SIZE_KEY); } catch (error) { saved = null; }
    setFontSize(saved || "medium", buttons, target);
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        setFontSize(button.getAttribute("data-font-size"), buttons, target);
      });
    });
    group.hidden = false;
  }

  function initPrint() {
    var button = document.querySelector("[data-print]");
    if (!button || typeof window.print !== "function") { return; }
    button.addEventListener("click", function () { window.print(); });
    button.hidden = false;
  }

  function initCopyLink() {
    var button = document.querySelector("[data-copy-link]");
    if (!button) { return; }
    var input = document.querySelector(button.getAttribute("data-copy-link"));
    var status = document.querySelector("[data-copy-status]");
    if (!input) { return; }
    function report(message) { if (status) { status.textContent = message; } }
    function fallback() {
      input.focus();
      input.select();
      try {
        report(document.execCommand("copy") ? "链接已复制" : "请按 Ctrl+C 复制链接");
      } catch (error) {
        report("请按 Ctrl+C 复制链接");
      }
    }
    button.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(function () {
          report("链接已复制");
        }, fallback);
      } else {
        fallback();
      }
    });
    input.addEventListener("focus", function () { input.select(); });
    button.hidden = false;
  }

  function initBack() {
    var link = document.querySelector("[data-back]");
    if (!link) { return; }
    link.addEventListener("click", function (event) {
      // Go back to the list the reader came from, when they came from this site.
      var sameSite = document.referrer && document.referrer.indexOf(window.location.origin + "/") === 0;
      if (sameSite && window.history.length > 1) {
        event.preventDefault();
        window.history.back();
      }
    });
  }

  function sendViewBeacon() {
    var article = document.querySelector("[data-view-beacon]");
    if (!article) { return; }
    var url = article.getAttribute("data-view-beacon");
    if (navigator.sendBeacon) {
      navigator.sendBeacon(url);
    } else if (window.fetch) {
      window.fetch(url, { method: "POST", credentials: "same-origin", keepalive: true });
    }
  }

  function init() {
    initFontSize();
    initPrint();
    initCopyLink();
    initBack();
    sendViewBeacon();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
