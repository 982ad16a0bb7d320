// Behaviour of the pages, kept out of the HTML so that the Content-Security-Policy can forbid
// inline script: elements opt in with data- attributes.
(function () {
  "use strict";
  // <select data-autosubmit>: choosing a value submits its form (the language switcher).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) {
      el.form.submit();
    }
  });
  // <form data-confirm="question">: ask before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
  // Skip logic of questionnaires: the server names the questions and sections not relevant to
  // the answers so far (#relevance-data, refreshed by htmx on every change); hide exactly those.
  function applyRelevance() {
    var data = document.getElementById("relevance-data");
    if (!data) return;
    var hidden = (data.getAttribute("data-hidden") || "").split(" ").filter(Boolean);
    var form = data.closest("main") || document;
    form.querySelectorAll("fieldset.question, section[id^='s-']").forEach(function (el) {
      el.hidden = hidden.indexOf(el.id) !== -1;
    });
  }
  document.addEventListener("DOMContentLoaded", applyRelevance);
  document.addEventListener("htmx:afterSwap", applyRelevance);

  // Desk: a valid CURP tells the birth date, sex and birth state; fill those still empty.
  function applyCurpFacts() {
    var facts = document.getElementById("curp-facts");
    if (!facts) return;
    [["id_birth_date", "birthDate"], ["id_sex", "sex"], ["id_birth_state", "birthState"]].forEach(function (pair) {
      var field = document.getElementById(pair[0]);
      var value = facts.dataset[pair[1]];
      if (field && value && !field.value) {
        field.value = value;
        field.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }
  document.addEventListener("htmx:afterSwap", applyCurpFacts);

  // <form data-enter-submits>: Enter on a select saves too, as it does on a text field (the
  // desk's "Enter guarda"); browsers only submit implicitly from text inputs.
  document.addEventListener("keydown", function (event) {
    var el = event.target;
    if (event.key !== "Enter" || !el.matches || !el.matches("select") || !el.form) return;
    if (!el.form.hasAttribute("data-enter-submits")) return;
    event.preventDefault();
    el.form.requestSubmit();
  });

  // <select data-skip-when-filled="other-id">: out of the Tab path while that field has a value
  // (the apparent age matters only when the birth date is unknown); still reachable by click.
  function applySkips() {
    document.querySelectorAll("[data-skip-when-filled]").forEach(function (el) {
      var other = document.getElementById(el.getAttribute("data-skip-when-filled"));
      if (other && other.value) {
        el.setAttribute("tabindex", "-1");
      } else {
        el.removeAttribute("tabindex");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", applySkips);
  document.addEventListener("input", applySkips);
  document.addEventListener("change", applySkips);
})();
