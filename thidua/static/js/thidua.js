// Behaviour the pages used to write inline (onsubmit, onchange, onclick), moved here so that
// the Content-Security-Policy can forbid every inline script.
(function () {
  "use strict";
  // <form data-confirm="…"> or <button data-confirm="…">: ask before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var message = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  }, true);
  // <select data-autosubmit>: a choice submits its form at once.
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("select[data-autosubmit]") && field.form) {
      field.form.submit();
    }
  });
  // A checklist (pages/checklist.html): the filter box hides the options whose label does
  // not contain what is typed (accents and case ignored); the count says how many are ticked.
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/gi, "d").toLowerCase();
  }
  function count(list) {
    var out = list.querySelector("[data-checklist-count]");
    if (out) {
      var ticked = list.querySelectorAll("input[type=checkbox]:checked").length;
      out.textContent = out.dataset.template.replace("__N__", ticked);
    }
  }
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("[data-checklist-filter]")) {
      return;
    }
    var list = box.closest("[data-checklist]");
    var query = fold(box.value.trim());
    var shown = 0;
    list.querySelectorAll("[data-checklist-item]").forEach(function (item) {
      var match = !query || fold(item.textContent).indexOf(query) !== -1;
      item.hidden = !match;
      shown += match ? 1 : 0;
    });
    list.querySelector("[data-checklist-none]").hidden = shown > 0;
  });
  document.addEventListener("change", function (event) {
    var list = event.target.closest && event.target.closest("[data-checklist]");
    if (list) {
      count(list);
    }
  });
  // A filter box must not submit the form on Enter.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches && event.target.matches("[data-checklist-filter]")) {
      event.preventDefault();
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-checklist]").forEach(count);
  });
})();
