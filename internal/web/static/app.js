// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Confirm buttons that say what they will do.
  document.querySelectorAll("[data-confirm]").forEach(function (el) {
    el.addEventListener("click", function (e) {
      if (!window.confirm(el.getAttribute("data-confirm"))) e.preventDefault();
    });
  });
  // Manual entry: check the record with the hub's engine whenever a field
  // changes, and show each message beside its input.
  var form = document.getElementById("entry-form");
  if (form && window.fetch) {
    var pending = null;
    form.addEventListener("change", function () {
      if (pending) pending.abort();
      pending = new AbortController();
      fetch(form.getAttribute("data-check"), { method: "POST", body: new URLSearchParams(new FormData(form)), signal: pending.signal, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (res) {
          if (!res) return;
          form.querySelectorAll(".findings").forEach(function (box) {
            var msgs = res.findings[box.getAttribute("data-for")] || [];
            box.textContent = "";
            msgs.forEach(function (m) {
              var s = document.createElement("span");
              s.className = "finding";
              s.textContent = m;
              box.appendChild(s);
            });
            var input = form.querySelector("[name='" + box.getAttribute("data-for") + "']");
            if (input) input.setAttribute("aria-invalid", msgs.length ? "true" : "false");
          });
        })
        .catch(function () {});
    });
  }
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
