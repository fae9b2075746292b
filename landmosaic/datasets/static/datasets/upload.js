/* The upload page: files can be dropped on the form, and their sizes are checked before anything
 * is sent, each file against the limit for one file and all of them against the limit for one
 * upload, so that nobody waits for a large upload the server would refuse. The server checks
 * the same limits (uploadlimits.py); this only saves the wait. Messages come translated from the
 * form's data-msg-* attributes. */
(function () {
  'use strict';

  var form = document.querySelector('form[data-upload-limits]');
  if (!form) return;
  var input = form.querySelector('input[type=file]');
  var list = document.getElementById('upload-files');
  var check = document.getElementById('upload-check');
  var maxFile = Number(form.getAttribute('data-max-file-bytes'));
  var maxTotal = Number(form.getAttribute('data-max-total-bytes'));

  // As the server writes sizes (core.geo.limits.megabytes): "500", "2.5", never "0".
  function megabytes(bytes) {
    var value = bytes / (1024 * 1024);
    if (value >= 1) return value.toFixed(1).replace(/\.0$/, '');
    return Math.max(value, 0.01).toFixed(2);
  }

  function message(name, params) {
    var text = form.getAttribute('data-msg-' + name) || '';
    return text.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(params, key) ? String(params[key]) : whole;
    });
  }

  function problems(files) {
    var found = [];
    var total = 0;
    Array.prototype.forEach.call(files, function (file) {
      total += file.size;
      if (file.size > maxFile) {
        found.push(message('file', { file: file.name, size: megabytes(file.size), limit: megabytes(maxFile) }));
      }
    });
    if (files.length > 1 && total > maxTotal) {
      found.push(message('total', { count: files.length, size: megabytes(total), limit: megabytes(maxTotal) }));
    }
    return found;
  }

  function show() {
    var files = input.files || [];
    list.textContent = '';
    Array.prototype.forEach.call(files, function (file) {
      var item = document.createElement('li');
      item.textContent = message('chosen', { file: file.name, size: megabytes(file.size) });
      list.appendChild(item);
    });
    list.hidden = files.length === 0;
    var found = problems(files);
    check.textContent = found.join(' ');
    check.hidden = found.length === 0;
    // The browser then refuses to submit, and says why, as for any invalid field.
    input.setCustomValidity(found.join(' '));
    return found;
  }

  input.addEventListener('change', show);
  form.addEventListener('submit', function (event) {
    if (show().length) {
      event.preventDefault();
      check.focus();
    }
  });

  document.getElementById('upload-drop-hint').hidden = false; // dropping needs this script
  form.addEventListener('dragover', function (event) {
    event.preventDefault();
    form.classList.add('is-dropping');
  });
  form.addEventListener('dragleave', function () {
    form.classList.remove('is-dropping');
  });
  form.addEventListener('drop', function (event) {
    event.preventDefault();
    form.classList.remove('is-dropping');
    if (event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      show();
    }
  });
  show(); // files kept by the browser after going back
})();
