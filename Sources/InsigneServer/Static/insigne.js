// Insigne: progressive enhancement only; every page works without JavaScript.
(function () {
  "use strict";

  // Move focus to a verification result or error so screen readers announce it.
  function focusResult() {
    var result = document.getElementById("result");
    if (result) { result.focus({ preventScroll: false }); }
  }

  // Drag and drop onto the verification form's drop zone.
  function setUpDropzone() {
    var zone = document.getElementById("dropzone");
    var input = document.getElementById("file");
    var name = document.getElementById("file-name");
    if (!zone || !input) { return; }
    var chosen = zone.getAttribute("data-chosen") || "";

    function showName() {
      if (name) { name.textContent = input.files && input.files.length ? chosen + " " + input.files[0].name : ""; }
    }
    input.addEventListener("change", showName);

    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (e) {
        e.preventDefault();
        zone.classList.add("is-dragover");
      });
    });
    ["dragleave", "dragend"].forEach(function (type) {
      zone.addEventListener(type, function () { zone.classList.remove("is-dragover"); });
    });
    zone.addEventListener("drop", function (e) {
      e.preventDefault();
      zone.classList.remove("is-dragover");
      if (!e.dataTransfer || !e.dataTransfer.files || !e.dataTransfer.files.length) { return; }
      try {
        input.files = e.dataTransfer.files;
      } catch (err) {
        return;
      }
      showName();
      var form = document.getElementById("verify-form");
      var recipient = document.getElementById("recipient");
      // Verify at once unless the visitor may still want to type the person's address.
      if (form && recipient && recipient.value.trim() !== "" && form.requestSubmit) { form.requestSubmit(); }
      else if (recipient) { recipient.focus(); }
    });
    // Files dropped outside the zone must not make the browser leave the page.
    window.addEventListener("dragover", function (e) { e.preventDefault(); });
    window.addEventListener("drop", function (e) { e.preventDefault(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpDropzone();
    focusResult();
  });
})();
