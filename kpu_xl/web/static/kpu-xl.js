// kpu-xl web: drag-and-drop and a busy indicator over a form that works without this script.
(function () {
  "use strict";
  var form = document.getElementById("unggah");
  if (!form) { return; }
  var zone = document.getElementById("jatuhkan");
  var input = document.getElementById("berkas");
  var list = document.getElementById("daftar");
  var busy = document.getElementById("proses");
  var none = document.getElementById("kosong");
  document.documentElement.classList.add("js");

  function show() {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    Array.prototype.forEach.call(input.files, function (f) {
      var li = document.createElement("li");
      li.textContent = "\u2022 " + f.name + " (" + Math.max(1, Math.round(f.size / 1024)) + " KB)";  // text, never markup
      list.appendChild(li);
    });
    none.textContent = input.files.length ? input.files.length + " berkas dipilih:" : "Belum ada berkas dipilih.";
  }

  function add(files) {
    var all = new DataTransfer();
    var seen = {};
    Array.prototype.forEach.call(input.files, function (f) { seen[f.name + "/" + f.size] = true; all.items.add(f); });
    Array.prototype.forEach.call(files, function (f) { if (!seen[f.name + "/" + f.size]) { all.items.add(f); } });
    input.files = all.files;
    show();
  }

  ["dragenter", "dragover"].forEach(function (type) {
    zone.addEventListener(type, function (e) { e.preventDefault(); zone.classList.add("di-atas"); });
  });
  ["dragleave", "drop"].forEach(function (type) {
    zone.addEventListener(type, function (e) { e.preventDefault(); zone.classList.remove("di-atas"); });
  });
  zone.addEventListener("drop", function (e) { if (e.dataTransfer && e.dataTransfer.files.length) { add(e.dataTransfer.files); } });
  input.addEventListener("change", show);
  form.addEventListener("submit", function () {
    busy.hidden = false;
    // after the browser has taken the submission: disabled buttons would not be submitted
    setTimeout(function () { form.querySelectorAll("button").forEach(function (b) { b.disabled = true; }); }, 0);
  });
  window.addEventListener("pageshow", function () {  // back from a result page: usable again
    busy.hidden = true;
    form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
  });
})();
