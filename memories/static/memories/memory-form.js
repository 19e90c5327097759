// Progressive enhancements for the memory forms; everything works without them.
(function () {
  "use strict";

  // "1,234 characters left", announced politely as people type.
  document.querySelectorAll("[data-counter-for]").forEach(function (counter) {
    var field = document.getElementById(counter.getAttribute("data-counter-for"));
    if (!field || !field.maxLength || field.maxLength < 0) return;
    var timer = null;
    function update() {
      var left = field.maxLength - field.value.length;
      counter.textContent = left.toLocaleString("en-GB") + (left === 1 ? " character" : " characters") + " left";
    }
    field.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(update, 400);
    });
    update();
  });

  // Show the parent or guardian questions only to under-13s.
  var guardian = document.querySelector("[data-guardian]");
  var ages = document.querySelectorAll('input[name="age_group"]');
  if (guardian && ages.length) {
    var sync = function () {
      var under = document.querySelector('input[name="age_group"][value="under-13"]:checked');
      guardian.hidden = !under;
    };
    ages.forEach(function (input) { input.addEventListener("change", sync); });
    sync();
  }

  // Move focus to the list of problems so it is read out first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();

  // A second click while the first is on its way does nothing (the server also
  // ignores a resent form, by its idempotency key).
  document.querySelectorAll("form.memory-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sending) { event.preventDefault(); return; }
      form.dataset.sending = "true";
    });
  });
})();
