/* The upload page: files can be dropped on the form, and their sizes are checked before anything
 * is sent, each file against the limit for one file and all of them against the limit for one
 * upload, so that nobody waits for a large upload the server would refuse. The server checks
 * the same limits (uploadlimits.py); this only saves the wait. Messages come translated from the
 * form's data-msg-* attributes.
 *
 * Then the files are sent one at a time (XMLHttpRequest, asking for JSON), each with its own
 * progress bar, a Cancel button, and Try again after a lost connection: on a weak phone network
 * one failed file loses nothing else. When every file is received the browser goes to the usual
 * progress page of their jobs. Without this script the form posts all files at once, as before. */
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

  // --- Sending, one file at a time ----------------------------------------------------------
  var button = form.querySelector('button[type=submit]');
  var progressUrl = form.getAttribute('data-progress-url');
  var summary = document.getElementById('upload-summary');
  var queue = [];   // rows waiting to be sent, in order
  var current = null; // the row being sent
  var rows = [];
  // "37 %" in French, "37%" in English: the page's language decides.
  var percentFormat = new Intl.NumberFormat(document.documentElement.lang || undefined, { style: 'percent' });

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // A random key; crypto.randomUUID needs a secure context (https or localhost), hence the fallback.
  function uploadKey() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    if (window.crypto && window.crypto.getRandomValues) {
      window.crypto.getRandomValues(bytes);
    } else {
      for (var i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
    }
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join('');
  }

  function makeRow(file) {
    var item = element('li', 'upload-row stack');
    var name = element('span', 'upload-name', message('chosen', { file: file.name, size: megabytes(file.size) }));
    var bar = element('progress', 'progress');
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute('aria-label', message('sending', { file: file.name }));
    var amount = element('span', 'progress-label');
    // Announced by screen readers when it changes (waiting, received, cancelled, failed); the
    // percentage is not, it would talk over everything else.
    var status = element('p', 'upload-status');
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    var actions = element('p', 'cluster');
    var cancel = element('button', 'btn', form.getAttribute('data-msg-cancel'));
    cancel.type = 'button';
    var retry = element('button', 'btn', form.getAttribute('data-msg-retry'));
    retry.type = 'button';
    retry.hidden = true;
    actions.appendChild(cancel);
    actions.appendChild(retry);
    [name, bar, amount, status, actions].forEach(function (node) { item.appendChild(node); });
    // One key per chosen file, kept by Try again: if the answer was lost after the file arrived,
    // the server recognises the retry and answers the first job instead of making a second dataset.
    var row = { file: file, item: item, bar: bar, amount: amount, status: status, cancel: cancel,
                retry: retry, actions: actions, state: 'waiting', xhr: null, job: null, key: uploadKey() };
    cancel.addEventListener('click', function () { stop(row); });
    retry.addEventListener('click', function () { enqueue(row); });
    return row;
  }

  function setProgress(row, loaded, total) {
    var percent = total ? Math.floor((loaded * 100) / total) : 0;
    row.bar.value = percent;
    row.bar.textContent = percent + '%';
    row.amount.textContent = message('progress', {
      percent: percentFormat.format(percent / 100), done: loaded ? megabytes(loaded) : '0', total: megabytes(total)
    });
  }

  function setState(row, state, text) {
    var hadFocus = document.activeElement === row.cancel;
    row.state = state;
    row.item.setAttribute('data-state', state);
    row.status.textContent = text;
    row.status.classList.toggle('message-error', state === 'failed' || state === 'refused');
    row.cancel.hidden = state !== 'waiting' && state !== 'sending';
    row.retry.hidden = state !== 'failed' && state !== 'cancelled';
    if (hadFocus && !row.retry.hidden) row.retry.focus(); // not lost with the hidden Cancel
  }

  function busy(yes) {
    button.disabled = yes;
    input.disabled = yes; // the rows below are these files until they are all sent
  }

  function enqueue(row) {
    busy(true);
    summary.hidden = true;
    setProgress(row, 0, row.file.size);
    setState(row, 'waiting', form.getAttribute('data-msg-waiting'));
    queue.push(row);
    next();
  }

  function stop(row) {
    if (row.state === 'waiting') {
      queue.splice(queue.indexOf(row), 1);
      setState(row, 'cancelled', message('cancelled', { file: row.file.name }));
      next();
    } else if (row.state === 'sending' && row.xhr) {
      row.xhr.abort(); // the server never sees a complete file, so nothing is stored
    }
  }

  function errorsOf(xhr) {
    try {
      return (JSON.parse(xhr.responseText).errors || []).join(' ');
    } catch (e) {
      return '';
    }
  }

  function send(row) {
    current = row;
    var data = new FormData(form);
    data.delete('files');
    if (rows.length > 1) data.delete('title'); // the title is for a single file, as on the server
    data.append('files', row.file, row.file.name); // last: a cut-off request never completes it
    var xhr = new XMLHttpRequest();
    row.xhr = xhr;
    xhr.open('POST', form.action || window.location.href);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Idempotency-Key', row.key);
    xhr.upload.addEventListener('progress', function (event) {
      // The request also carries the form's fields: shown as a share of the file itself.
      var share = event.lengthComputable && event.total ? event.loaded / event.total : 0;
      setProgress(row, share * row.file.size, row.file.size);
    });
    xhr.upload.addEventListener('load', function () {
      setProgress(row, row.file.size, row.file.size);
      row.cancel.hidden = true; // all sent: the server is storing it now, too late to cancel
      row.status.textContent = form.getAttribute('data-msg-checking');
    });
    function finish(state, text) {
      row.xhr = null;
      current = null;
      setState(row, state, text);
      next();
    }
    xhr.addEventListener('load', function () {
      if (xhr.status === 201 || xhr.status === 200) { // 200: a retry the server had already received
        var answer = JSON.parse(xhr.responseText);
        row.job = answer.jobs[0].id;
        var link = element('a', '', form.getAttribute('data-msg-follow'));
        link.href = answer.jobs[0].progress_url;
        row.actions.appendChild(link);
        finish('accepted', form.getAttribute('data-msg-accepted'));
      } else if (xhr.status >= 400 && xhr.status < 500 && errorsOf(xhr)) {
        // The server's reasons (a damaged or empty file...): sending it again would not help.
        finish('refused', message('refused', { file: row.file.name, reason: errorsOf(xhr) }));
      } else {
        finish('failed', message('server', { file: row.file.name, status: xhr.status }));
      }
    });
    xhr.addEventListener('error', function () {
      finish('failed', message('network', { file: row.file.name }));
    });
    xhr.addEventListener('abort', function () {
      finish('cancelled', message('cancelled', { file: row.file.name }));
    });
    setState(row, 'sending', form.getAttribute('data-msg-sending-now'));
    xhr.send(data);
  }

  function next() {
    if (current) return;
    if (queue.length) {
      send(queue.shift());
      return;
    }
    busy(false);
    var accepted = rows.filter(function (row) { return row.state === 'accepted'; });
    if (!accepted.length) return;
    var jobsUrl = progressUrl + '?' + accepted.map(function (row) {
      return 'job=' + encodeURIComponent(row.job);
    }).join('&');
    if (accepted.length === rows.length) {
      // Everything arrived: on to the jobs' progress, as after the plain form post.
      window.location.assign(jobsUrl);
      return;
    }
    // Some arrived: Upload must not send those again (Try again sends the others), and their
    // jobs can be followed together.
    input.value = '';
    summary.textContent = message('summary', { count: accepted.length, total: rows.length }) + ' ';
    summary.appendChild(element('a', '', form.getAttribute('data-msg-follow-all'))).href = jobsUrl;
    summary.hidden = false;
  }

  function start() {
    var files = Array.prototype.slice.call(input.files || []);
    list.textContent = '';
    list.hidden = false;
    rows = files.map(makeRow);
    rows.forEach(function (row) { list.appendChild(row.item); });
    if (list.scrollIntoView) list.scrollIntoView({ block: 'nearest' }); // below the fold on phones
    rows.forEach(enqueue);
  }

  input.addEventListener('change', show);
  form.addEventListener('submit', function (event) {
    if (current || queue.length) {
      event.preventDefault(); // still sending the files chosen before
      return;
    }
    if (show().length) {
      event.preventDefault();
      check.focus();
      return;
    }
    if (window.FormData && window.XMLHttpRequest && progressUrl && input.files && input.files.length) {
      event.preventDefault();
      start();
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
    if (input.disabled) return;
    if (event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      show();
    }
  });
  show(); // files kept by the browser after going back
})();
