/*
 * 一次添加多张照片: choose several photos at once for a tabular inline of pictures (a brand's
 * gallery, brands.admin.BrandImageInline).
 *
 * Each inline group whose empty row has a picture input (accept="image/…") gets a file input
 * with `multiple`. Choosing N photos fills the group's blank new rows and adds the rest with the
 * admin's own 添加另一个 link (django.contrib.admin inlines.js), so every photo is an ordinary
 * row of the formset: validated, held across a refused save, reviewed, checked by the gate. Each
 * row gets its photo (DataTransfer), an order after the existing ones, and the first new row's
 * caption gets the focus. A photo chosen in any row of the group is shown small beside its input
 * (a data: address: the policy allows no blob:), so each caption is written for the right photo.
 * Without JavaScript the rows work as before.
 *
 * Plain JavaScript, no inline scripts, nothing from another host.
 */
(function () {
  "use strict";

  function fileInput(row) {
    return row.querySelector('input[type="file"]');
  }

  function isBlankNewRow(row) {
    // Rendered empty by the server (an extra form) or added by hand and left empty.
    if (row.classList.contains("has_original")) return false;
    var file = fileInput(row);
    if (!file || file.files.length) return false;
    var held = row.querySelector('input[type="hidden"][name$="__held"]');
    var typed = Array.prototype.some.call(
      row.querySelectorAll('input[type="text"], textarea'),
      function (input) { return input.value.trim() !== ""; }
    );
    return !held && !typed;
  }

  function formRows(group, prefix) {
    return Array.prototype.filter.call(
      group.querySelectorAll("tr.form-row"),
      function (row) { return row.id !== prefix + "-empty"; }
    );
  }

  function roomLeft(prefix) {
    // The inline's max_num, as the management form carries it (empty: no limit).
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    if (!total || !max || max.value === "") return Infinity;
    return parseInt(max.value, 10) - parseInt(total.value, 10);
  }

  function addedRow(group, prefix) {
    // inlines.js adds the row synchronously and announces it with formset:added.
    var link = group.querySelector(".add-row a");
    if (!link || roomLeft(prefix) <= 0) return null;
    var row = null;
    function take(event) { row = event.target; }
    group.addEventListener("formset:added", take);
    link.click();
    group.removeEventListener("formset:added", take);
    return row;
  }

  function nextOrder(rows) {
    var highest = 0;
    rows.forEach(function (row) {
      var order = row.querySelector('input[name$="-order"]');
      var value = order ? parseInt(order.value, 10) : NaN;
      if (!isNaN(value) && value > highest) highest = value;
    });
    return highest + 1;
  }

  function put(row, file, order) {
    var input = fileInput(row);
    var transfer = new DataTransfer();
    transfer.items.add(file);
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
    var orderInput = row.querySelector('input[name$="-order"]');
    if (orderInput) orderInput.value = String(order);
  }

  function showChosen(input) {
    var shown = input.parentNode.querySelector(".picture-preview--chosen");
    if (shown) shown.remove();
    var file = input.files[0];
    if (!file || !/^image\//.test(file.type)) return;
    var reader = new FileReader();
    reader.addEventListener("load", function () {
      var img = document.createElement("img");
      img.className = "picture-preview picture-preview--chosen";
      img.alt = "新选择的照片：" + file.name;
      img.src = reader.result;
      input.before(img);
    });
    reader.readAsDataURL(file);
  }

  function addPhotos(group, prefix, files, status) {
    var rows = formRows(group, prefix);
    var order = nextOrder(rows);
    var blank = rows.filter(isBlankNewRow);
    var filled = [];
    var left = 0;
    Array.prototype.forEach.call(files, function (file) {
      var row = blank.shift() || addedRow(group, prefix);
      if (!row) {
        left += 1;
        return;
      }
      put(row, file, order);
      order += 1;
      filled.push(row);
    });
    status.textContent = left
      ? "已添加 " + filled.length + " 张；已到图片数量上限，另外 " + left + " 张没有添加。"
      : "已添加 " + filled.length + " 张照片，请在每一行填写图片说明，然后保存。";
    status.classList.toggle("errornote", left > 0);
    var caption = filled.length && filled[0].querySelector('input[name$="-caption"]');
    if (caption) caption.focus();
  }

  function control(group, prefix, accept) {
    var id = "id_" + prefix + "-multiple";
    var box = document.createElement("div");
    box.className = "gallery-upload";
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = "一次添加多张照片：";
    var input = document.createElement("input");
    input.type = "file";
    input.id = id;
    input.multiple = true;
    input.accept = accept;
    var help = document.createElement("p");
    help.className = "help";
    help.textContent = "可以一次选择多张照片，每张照片添加为一行；再逐行填写图片说明。";
    var status = document.createElement("p");
    status.className = "gallery-upload__status";
    status.setAttribute("role", "status");
    input.addEventListener("change", function () {
      if (input.files.length) addPhotos(group, prefix, input.files, status);
      input.value = "";
    });
    box.append(label, input, help, status);
    return box;
  }

  function init() {
    document.querySelectorAll(".js-inline-admin-formset[data-inline-type='tabular']").forEach(
      function (group) {
        var prefix = JSON.parse(group.dataset.inlineFormset).options.prefix;
        var empty = document.getElementById(prefix + "-empty");
        var picture = empty && empty.querySelector('input[type="file"][accept^="image/"]');
        if (!picture) return;
        var heading = group.querySelector("fieldset.module h2, fieldset.module legend");
        var box = control(group, prefix, picture.getAttribute("accept"));
        if (heading) heading.after(box);
        else group.prepend(box);
        group.addEventListener("change", function (event) {
          var target = event.target;
          if (target.matches('input[type="file"][accept^="image/"]') && target.name) {
            showChosen(target);
          }
        });
      }
    );
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
