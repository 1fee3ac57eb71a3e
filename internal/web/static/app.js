// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Confirm buttons that say what they will do.
  document.querySelectorAll("[data-confirm]").forEach(function (el) {
    el.addEventListener("click", function (e) {
      if (!window.confirm(el.getAttribute("data-confirm"))) e.preventDefault();
    });
  });
  // Add one more filter row on the browse page.
  var add = document.getElementById("add-filter");
  if (add) {
    add.addEventListener("click", function () {
      var rows = document.querySelectorAll(".filter-row");
      var last = rows[rows.length - 1];
      var copy = last.cloneNode(true);
      copy.querySelectorAll("input").forEach(function (i) { i.value = ""; });
      last.parentNode.insertBefore(copy, last.nextSibling);
    });
  }
});
