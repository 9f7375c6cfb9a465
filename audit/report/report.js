/* Kind filter for the overlap report. The page is complete without this script:
   it only reveals the filter controls and hides overlaps of unchecked kinds. */
(function () {
  "use strict";
  var form = document.getElementById("filter");
  if (!form) { return; }
  var boxes = Array.prototype.slice.call(form.querySelectorAll('input[name="kind"]'));
  var items = Array.prototype.slice.call(document.querySelectorAll("article.overlap"));
  var pairs = Array.prototype.slice.call(document.querySelectorAll("section.pair"));
  var status = document.getElementById("filter-status");

  function apply() {
    var shown = {};
    boxes.forEach(function (box) { shown[box.value] = box.checked; });
    var visible = 0;
    items.forEach(function (item) {
      var show = shown[item.getAttribute("data-kind")] !== false;  /* unknown kinds stay visible */
      item.hidden = !show;
      if (show) { visible += 1; }
    });
    pairs.forEach(function (pair) {
      pair.hidden = !pair.querySelector("article.overlap:not([hidden])");
    });
    status.textContent = "Showing " + visible + " of " + items.length + " overlaps.";
  }

  /* Following a link (from the matrix, say) to something the filter hides shows every kind again;
     this runs before the browser scrolls to the target, so the jump lands on it. */
  function reveal(event) {
    var link = event.target.closest('a[href^="#"]');
    var target = link ? document.getElementById(link.getAttribute("href").slice(1)) : null;
    if (target && target.closest("[hidden]")) {
      boxes.forEach(function (box) { box.checked = true; });
      apply();
    }
  }

  boxes.forEach(function (box) { box.addEventListener("change", apply); });
  document.addEventListener("click", reveal);
  form.hidden = false;
  apply();
})();
