// Insigne — filters the framework items on the evidence form by code or words (the form works without it).
(function () {
  "use strict";
  var input = document.querySelector("[data-tag-filter]");
  if (!input) return;
  var items = Array.prototype.slice.call(document.querySelectorAll(".tag-item"));
  var status = document.querySelector("[data-tag-count]");
  var fr = document.documentElement.lang !== "en";
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  items.forEach(function (li) { li.dataset.folded = fold(li.dataset.search || li.textContent); });
  function apply() {
    var words = fold(input.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (li) {
      var box = li.querySelector("input");
      var match = words.every(function (w) { return li.dataset.folded.indexOf(w) >= 0; });
      var visible = match || (box && box.checked);
      li.hidden = !visible;
      if (visible) shown += 1;
    });
    if (status) {
      status.textContent = words.length === 0 ? "" :
        (fr ? shown + " élément(s) affiché(s) ; les cases cochées restent visibles."
            : shown + " item(s) shown; ticked boxes stay visible.");
    }
  }
  input.addEventListener("input", apply);
  input.addEventListener("keydown", function (e) { if (e.key === "Enter") e.preventDefault(); });
})();
