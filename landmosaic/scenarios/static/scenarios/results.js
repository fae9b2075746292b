/* Results page: the year slider shows its year while it moves and loads that year's maps when let go.
 * Without JavaScript the "Show this year" button does the same. */
(function () {
  'use strict';
  document.querySelectorAll('form.scn-year').forEach(function (form) {
    var range = form.querySelector('input[type="range"]');
    var output = form.querySelector('output');
    if (!range || !output) return;
    range.addEventListener('input', function () {
      output.textContent = range.value;
      range.setAttribute('aria-valuetext', range.value);
    });
    range.addEventListener('change', function () { form.submit(); });
  });
})();
