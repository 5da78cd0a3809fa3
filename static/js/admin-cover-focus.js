/*
 * The cover's focal point on the article form: click (or use the arrow keys on) the picture
 * where the important part is, and see the 16:9 crop the lists and the home carousel will show.
 *
 * It fills the two number fields 封面焦点（横向/纵向） (percent from the left and the top), which
 * work without JavaScript too; the server cuts the renditions around that point the same way
 * this preview does (easy-thumbnails' ``target``: the point centred, clamped to the picture).
 * Plain JavaScript, no inline scripts or styles (positions are set through the CSSOM).
 */
(function () {
  "use strict";

  var RATIO = 9 / 16;
  var STEP = 5;

  function clamp(value, low, high) {
    return Math.min(high, Math.max(low, value));
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function init() {
    var inputX = document.getElementById("id_cover_focus_x");
    var inputY = document.getElementById("id_cover_focus_y");
    var file = document.querySelector('input[type="file"][name="cover"]');
    if (!inputX || !inputY || !file) return;
    var coverRow = file.closest(".form-row");
    var current = coverRow && coverRow.querySelector("a[href]");

    var picker = element("div", "cover-focus");
    picker.hidden = true;
    picker.appendChild(element("p", "help cover-focus__hint",
      "在图上点一下要保留的位置（如人物的脸），列表和首页幻灯片的 16:9 封面会以这一点为中心裁切；" +
      "选中图片后也可以用方向键移动。右边是裁切后的样子。"));
    var panes = element("div", "cover-focus__panes");
    var stage = element("div", "cover-focus__stage");
    stage.tabIndex = 0;
    stage.setAttribute("role", "application");
    stage.setAttribute("aria-label", "封面焦点：点击或用方向键设置");
    var image = element("img", "cover-focus__image");
    image.alt = "封面图";
    var marker = element("span", "cover-focus__marker");
    stage.appendChild(image);
    stage.appendChild(marker);
    var preview = element("div", "cover-focus__preview");
    var cropped = element("img", "cover-focus__cropped");
    cropped.alt = "16:9 裁切预览";
    preview.appendChild(cropped);
    panes.appendChild(stage);
    panes.appendChild(preview);
    picker.appendChild(panes);
    var reset = element("button", "button cover-focus__reset", "恢复居中");
    reset.type = "button";
    picker.appendChild(reset);
    inputX.closest(".form-row").appendChild(picker);

    function point() {
      return {
        x: clamp(parseInt(inputX.value, 10) || 0, 0, 100),
        y: clamp(parseInt(inputY.value, 10) || 0, 0, 100),
      };
    }

    function draw() {
      var focus = point();
      marker.style.left = focus.x + "%";
      marker.style.top = focus.y + "%";
      var width = image.naturalWidth;
      var height = image.naturalHeight;
      var boxWidth = preview.clientWidth;
      var boxHeight = boxWidth * RATIO;
      if (!width || !height || !boxWidth) return;
      preview.style.height = boxHeight + "px";
      var scale = Math.max(boxWidth / width, boxHeight / height);
      var shownWidth = width * scale;
      var shownHeight = height * scale;
      var left = clamp(shownWidth * focus.x / 100 - boxWidth / 2, 0, shownWidth - boxWidth);
      var top = clamp(shownHeight * focus.y / 100 - boxHeight / 2, 0, shownHeight - boxHeight);
      cropped.style.width = shownWidth + "px";
      cropped.style.height = shownHeight + "px";
      cropped.style.transform = "translate(" + -left + "px, " + -top + "px)";
    }

    function set(x, y) {
      inputX.value = Math.round(clamp(x, 0, 100));
      inputY.value = Math.round(clamp(y, 0, 100));
      inputX.dispatchEvent(new Event("input", { bubbles: true }));
      inputY.dispatchEvent(new Event("input", { bubbles: true }));
      draw();
    }

    function show(source) {
      image.src = source;
      cropped.src = source;
      picker.hidden = false;
      // The form's small picture of the stored crop: the picker's live preview replaces it.
      var stored = coverRow && coverRow.querySelector("a > img.picture-preview");
      if (stored) stored.parentNode.hidden = true;
    }

    image.addEventListener("load", draw);
    window.addEventListener("resize", draw);
    inputX.addEventListener("input", draw);
    inputY.addEventListener("input", draw);
    stage.addEventListener("click", function (event) {
      var box = image.getBoundingClientRect();
      set((event.clientX - box.left) / box.width * 100, (event.clientY - box.top) / box.height * 100);
    });
    stage.addEventListener("keydown", function (event) {
      var moves = { ArrowLeft: [-STEP, 0], ArrowRight: [STEP, 0], ArrowUp: [0, -STEP], ArrowDown: [0, STEP] };
      var move = moves[event.key];
      if (!move) return;
      event.preventDefault();
      var focus = point();
      set(focus.x + move[0], focus.y + move[1]);
    });
    reset.addEventListener("click", function () {
      set(50, 50);
    });
    file.addEventListener("change", function () {
      var chosen = file.files && file.files[0];
      if (!chosen || !/^image\//.test(chosen.type)) return;
      // A data: address: the admin's policy allows those for pictures, not blob: ones.
      var reader = new FileReader();
      reader.addEventListener("load", function () {
        set(50, 50);  // a new picture starts centred
        show(reader.result);
      });
      reader.readAsDataURL(chosen);
    });
    if (current && /\.(jpe?g|png|webp|gif)$/i.test(current.getAttribute("href"))) {
      show(current.getAttribute("href"));
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
