/* Home page carousel (幻灯). Without this file the slides are a scrollable list.
   Keyboard: the buttons, and ←/→ while focus is inside the carousel. Rotation pauses on
   hover and focus, stops with the pause button, and never starts for reduced motion. */
(function () {
  "use strict";

  var INTERVAL = 6000;

  function Carousel(root) {
    this.root = root;
    this.slides = Array.prototype.slice.call(root.querySelectorAll("[data-carousel-slide]"));
    this.dots = Array.prototype.slice.call(root.querySelectorAll("[data-carousel-goto]"));
    this.pauseButton = root.querySelector("[data-carousel-pause]");
    this.index = 0;
    this.timer = null;
    this.stopped = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    this.hovered = false;
    this.focused = false;
  }

  Carousel.prototype.show = function (index) {
    var count = this.slides.length;
    this.index = (index + count) % count;
    var current = this.index;
    this.slides.forEach(function (slide, i) {
      slide.hidden = i !== current;
    });
    this.dots.forEach(function (dot, i) {
      if (i === current) { dot.setAttribute("aria-current", "true"); } else { dot.removeAttribute("aria-current"); }
    });
  };

  Carousel.prototype.schedule = function () {
    var self = this;
    window.clearInterval(this.timer);
    this.timer = null;
    if (this.stopped || this.hovered || this.focused || this.slides.length < 2) { return; }
    this.timer = window.setInterval(function () { self.show(self.index + 1); }, INTERVAL);
  };

  Carousel.prototype.setStopped = function (stopped) {
    this.stopped = stopped;
    if (this.pauseButton) {
      this.pauseButton.setAttribute("aria-pressed", String(stopped));
      this.pauseButton.setAttribute("aria-label", stopped ? "继续轮播" : "暂停轮播");
      this.pauseButton.textContent = stopped ? "▶" : "❚❚";
    }
    this.schedule();
  };

  Carousel.prototype.init = function () {
    var self = this;
    if (this.slides.length < 2) { return; }
    this.root.classList.add("carousel--enhanced");
    this.root.querySelector("[data-carousel-controls]").hidden = false;
    this.root.querySelector("[data-carousel-dots]").hidden = false;
    this.root.querySelector("[data-carousel-slides]").setAttribute("aria-live", "off");
    this.root.querySelector("[data-carousel-prev]").addEventListener("click", function () {
      self.show(self.index - 1);
    });
    this.root.querySelector("[data-carousel-next]").addEventListener("click", function () {
      self.show(self.index + 1);
    });
    if (this.pauseButton) {
      this.pauseButton.addEventListener("click", function () { self.setStopped(!self.stopped); });
    }
    this.dots.forEach(function (dot) {
      dot.addEventListener("click", function () {
        self.show(parseInt(dot.getAttribute("data-carousel-goto"), 10) || 0);
      });
    });
    this.root.addEventListener("keydown", function (event) {
      if (event.key === "ArrowLeft") { self.show(self.index - 1); }
      if (event.key === "ArrowRight") { self.show(self.index + 1); }
    });
    this.root.addEventListener("mouseenter", function () { self.hovered = true; self.schedule(); });
    this.root.addEventListener("mouseleave", function () { self.hovered = false; self.schedule(); });
    this.root.addEventListener("focusin", function () { self.focused = true; self.schedule(); });
    this.root.addEventListener("focusout", function (event) {
      if (!self.root.contains(event.relatedTarget)) { self.focused = false; self.schedule(); }
    });
    this.show(0);
    this.setStopped(this.stopped);
  };

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-carousel]"), function (root) {
      new Carousel(root).init();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
