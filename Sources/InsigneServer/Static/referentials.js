// Insigne: alignment picker filter (progressive enhancement; without JavaScript every box is listed).
(function () {
  "use strict";
  function normalise(s) {
    return s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  function setUp() {
    var box = document.querySelector("[data-picker-search]");
    if (!box) { return; }
    var input = box.querySelector("input");
    var groups = Array.prototype.slice.call(document.querySelectorAll("[data-picker-group]"));
    box.hidden = false;
    input.addEventListener("input", function () {
      var words = normalise(input.value).split(/\s+/).filter(function (w) { return w !== ""; });
      groups.forEach(function (group) {
        var shown = 0;
        group.querySelectorAll("li[data-search]").forEach(function (li) {
          var text = normalise(li.getAttribute("data-search"));
          var match = words.every(function (w) { return text.indexOf(w) !== -1; });
          li.hidden = !match;
          if (match) { shown += 1; }
        });
        group.hidden = shown === 0;
        if (words.length) { group.open = shown > 0; }
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", setUp); } else { setUp(); }
})();
