/* Form builder (fieldwork/form_build.html): add, move and remove question rows without a round trip,
 * and show each row only the settings its type uses. Without this script the page still works: "Add a
 * question" posts back for one more row, and the Order and Delete fields do the rest.
 */
(function () {
  'use strict';

  var root = document.querySelector('[data-builder]');
  if (!root) return;
  var list = root.querySelector('[data-builder-list]');
  var template = root.querySelector('[data-builder-template]');
  var total = root.querySelector('input[name$="-TOTAL_FORMS"]');
  var TEXT = ['text'];
  var NUMBERS = ['integer', 'decimal'];
  var SELECTS = ['select_one', 'select_multiple'];
  var ANSWERED = ['text', 'integer', 'decimal', 'date', 'select_one', 'select_multiple', 'geopoint', 'image'];
  // Which settings each type uses; the others are hidden (and emptied when the type changes).
  var USED_BY = {
    required: ANSWERED, choices: SELECTS, minimum: NUMBERS, maximum: NUMBERS,
    min_length: TEXT, max_length: TEXT, pattern: TEXT
  };

  function box(row, name) {
    var input = row.querySelector('[name$="-' + name + '"]');
    return input ? input.closest('.form-field') : null;
  }

  function rows() {
    return Array.prototype.filter.call(list.querySelectorAll('[data-builder-question]'), function (row) { return !row.hidden; });
  }

  function renumber() {
    rows().forEach(function (row, index) {
      row.querySelector('[data-builder-number]').textContent = String(index + 1);
      var order = row.querySelector('[name$="-ORDER"]');
      if (order) order.value = String(index + 1);
    });
  }

  function showFor(row, clear) {
    var type = row.querySelector('select[name$="-type"]').value;
    Object.keys(USED_BY).forEach(function (name) {
      var field = box(row, name);
      if (!field) return;
      field.hidden = USED_BY[name].indexOf(type) < 0;
      if (field.hidden && clear) {
        Array.prototype.forEach.call(field.querySelectorAll('input, textarea'), function (input) {
          if (input.type === 'checkbox') input.checked = false; else input.value = '';
        });
      }
    });
  }

  // The name the server will make from the label (fieldwork.builder.name_from), shown as a hint only.
  function suggestedName(label) {
    var base = label.normalize('NFKD').replace(/[^\x00-\x7f]/g, '').toLowerCase()
      .replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 50);
    return base && !/^[a-z]/.test(base) ? 'q_' + base : base;
  }

  function enhance(row) {
    var label = row.querySelector('input[name$="-label"]');
    var name = row.querySelector('input[name$="-name"]');
    label.addEventListener('input', function () { name.placeholder = suggestedName(label.value); });
    name.placeholder = suggestedName(label.value);
    ['ORDER', 'DELETE'].forEach(function (name) { var field = box(row, name); if (field) field.hidden = true; });
    row.querySelector('[data-builder-tools]').hidden = false;
    row.querySelector('select[name$="-type"]').addEventListener('change', function () { showFor(row, true); });
    row.querySelector('[data-builder-up]').addEventListener('click', function () {
      var all = rows();
      var index = all.indexOf(row);
      if (index > 0) { list.insertBefore(row, all[index - 1]); renumber(); this.focus(); }
    });
    row.querySelector('[data-builder-down]').addEventListener('click', function () {
      var all = rows();
      var index = all.indexOf(row);
      if (index < all.length - 1) { list.insertBefore(all[index + 1], row); renumber(); this.focus(); }
    });
    row.querySelector('[data-builder-remove]').addEventListener('click', function () {
      row.querySelector('[name$="-DELETE"]').checked = true;
      row.hidden = true;
      renumber();
      var next = rows()[0];
      if (next) next.querySelector('input[name$="-label"]').focus();
    });
    showFor(row, false);
  }

  var add = root.querySelector('[data-builder-add]');
  add.type = 'button';  // with the script, Enter in a field builds the form instead of adding a row
  add.addEventListener('click', function () {
    var index = parseInt(total.value, 10) || 0;
    var holder = document.createElement('div');
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    var row = holder.firstElementChild;
    list.appendChild(row);
    total.value = String(index + 1);
    enhance(row);
    renumber();
    row.querySelector('input[name$="-label"]').focus();
  });

  Array.prototype.forEach.call(root.querySelectorAll('[data-builder-fallback]'), function (el) { el.hidden = true; });
  Array.prototype.forEach.call(list.querySelectorAll('[data-builder-question]'), enhance);
  renumber();
})();
