/* Landmosaic offline web form (fieldwork/webform.html).
 *
 *   <div data-webform data-submit-url="…" data-sw-url="…" data-sw-scope="…" data-cache="…" data-store="slug/pk"
 *        data-version="…" data-msg-*="translated text">
 *     [data-webform-count] [data-webform-status] [data-webform-queue] [data-webform-send]
 *     <form data-webform-form> <div data-q="path" data-kind="text|integer|…|geopoint|image|note" [data-relevant]>
 *
 * Each saved record gets a client-made "uuid:" instanceID and waits in IndexedDB (photos as Blobs)
 * until it is sent: on load, on the "online" event and with "Send now". The server receives a record
 * once per instanceID, so sending again after a lost answer never doubles it; a Web Lock keeps two
 * open tabs from sending the same queue at once. Every text shown comes
 * from the data-msg-* attributes (translated by the template). Conditions (data-relevant) show and
 * hide questions as answers change; text constraints (data-pattern, data-lengths) are checked as the
 * person types; photos are scaled down to data-max-pixels before they are queued.
 *
 * A phone may be shared: each record keeps who saved it (data-collector, the signed-in account when
 * the page was served, or as the server last said), and is sent only while that person is signed in.
 * Before sending, the page asks the server who that is (data-version-url); the records of others stay
 * queued, counted per person in [data-webform-others]. The server refuses a record stating another
 * collector than the session's, so a stale page cannot send one person's records as another's.
 *
 * Offline: the page registers the service worker, puts itself and its assets in the worker's cache
 * and then says so ([data-webform-offline], data-offline-ready="true"). Whenever the network is there,
 * it asks data-version-url for the form's current version and shows [data-webform-newer] when the
 * page (perhaps reopened from the cache) holds an older one, [data-webform-closed] when there is none.
 */
(function () {
  'use strict';

  var root = document.querySelector('[data-webform]');
  if (!root) return;
  var form = root.querySelector('[data-webform-form]');
  var countEl = root.querySelector('[data-webform-count]');
  var statusEl = root.querySelector('[data-webform-status]');
  var queueEl = root.querySelector('[data-webform-queue]');
  var sendButton = root.querySelector('[data-webform-send]');
  var offlineEl = root.querySelector('[data-webform-offline]');
  var newerEl = root.querySelector('[data-webform-newer]');
  var closedEl = root.querySelector('[data-webform-closed]');
  var othersEl = root.querySelector('[data-webform-others]');
  var whoEl = root.querySelector('[data-webform-who]');
  var DB_NAME = 'landmosaic-webform';
  var STORE = 'records';
  var scope = root.getAttribute('data-store');
  var started = new Date().toISOString();
  var sending = false;
  // Who collects with this page: the account it was served to, until the server says who is signed in.
  var me = { id: root.getAttribute('data-collector') || '', name: root.getAttribute('data-collector-name') || '' };

  function msg(name, values) {
    var text = root.getAttribute('data-msg-' + name) || '';
    Object.keys(values || {}).forEach(function (key) {
      // A function, so "$" in a value (a person's name) is taken as it is.
      text = text.replace('%(' + key + ')s', function () { return String(values[key]); });
    });
    return text;
  }

  // The cookie first: a page reopened from the offline cache carries the token of the day it was
  // cached, which a sign-in since then has replaced.
  function csrfToken() {
    var name = root.getAttribute('data-csrf-cookie');
    var cookie = name && document.cookie.split('; ').filter(function (c) { return c.indexOf(name + '=') === 0; })[0];
    if (cookie) return decodeURIComponent(cookie.slice(name.length + 1));
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') : '';
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  function deviceId() {
    var key = 'landmosaic-webform-device';
    try {
      var id = localStorage.getItem(key);
      if (!id) { id = uuid(); localStorage.setItem(key, id); }
      return 'webform:' + id;
    } catch (e) { return 'webform:' + uuid(); }
  }

  // --- IndexedDB ----------------------------------------------------------------------------------

  var dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        if (!window.indexedDB) { reject(new Error('no indexedDB')); return; }
        var open = indexedDB.open(DB_NAME, 1);
        open.onupgradeneeded = function () {
          var store = open.result.createObjectStore(STORE, { keyPath: 'instanceID' });
          store.createIndex('scope', 'scope');
        };
        open.onsuccess = function () { resolve(open.result); };
        open.onerror = function () { reject(open.error); };
      });
    }
    return dbPromise;
  }

  function tx(mode, work) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var t = d.transaction(STORE, mode);
        var result = work(t.objectStore(STORE));
        t.oncomplete = function () { resolve(result && 'result' in result ? result.result : result); };
        t.onerror = function () { reject(t.error); };
        t.onabort = function () { reject(t.error); };
      });
    });
  }

  function allRecords() {
    return tx('readonly', function (store) { return store.index('scope').getAll(scope); }).then(function (rows) {
      return (rows || []).sort(function (a, b) { return a.saved < b.saved ? -1 : 1; });
    });
  }
  // Records queued before records kept their collector are sent by whoever is signed in, as they were.
  function isMine(record) { return !record.collector || record.collector === me.id; }
  function putRecord(record) { return tx('readwrite', function (store) { store.put(record); }); }
  function deleteRecord(id) { return tx('readwrite', function (store) { store['delete'](id); }); }

  // --- Queue display ------------------------------------------------------------------------------

  // The records of other people on this device: only how many wait for whom, not their answers.
  function renderOthers(records) {
    var people = [];
    var byId = {};
    records.forEach(function (record) {
      var person = byId[record.collector];
      if (!person) {
        person = byId[record.collector] = { id: record.collector, name: record.collectorName || record.collector, count: 0 };
        people.push(person);
      }
      person.count += 1;
    });
    root.setAttribute('data-waiting-others', String(records.length));
    if (!othersEl) return;
    othersEl.textContent = '';
    people.forEach(function (person) {
      var li = document.createElement('li');
      li.setAttribute('data-collector', person.id);
      li.textContent = person.count === 1 ? msg('others-one', { name: person.name }) : msg('others-many', { count: person.count, name: person.name });
      othersEl.appendChild(li);
    });
  }

  function render() {
    return allRecords().then(function (all) {
      var rows = all.filter(isMine);
      renderOthers(all.filter(function (record) { return !isMine(record); }));
      var n = rows.length;
      countEl.textContent = n === 0 ? msg('waiting-none') : n === 1 ? msg('waiting-one') : msg('waiting-many', { count: n });
      root.setAttribute('data-waiting', String(n));
      queueEl.textContent = '';
      rows.forEach(function (record) {
        var li = document.createElement('li');
        li.setAttribute('data-instance-id', record.instanceID);
        var what = summary(record);
        if (what) {
          var strong = document.createElement('strong');
          strong.textContent = what;
          li.appendChild(strong);
          li.appendChild(document.createTextNode(' '));
        }
        var when = document.createElement('span');
        var photos = (record.files || []).length;
        when.textContent = msg('saved-at', { time: new Date(record.saved).toLocaleString() }) +
          (photos === 0 ? '' : ' · ' + (photos === 1 ? msg('photos-one') : msg('photos-many', { count: photos })));
        li.appendChild(when);
        if (record.error) {
          var error = document.createElement('p');
          error.className = 'message message-error';
          error.textContent = msg('refused') + ' ' + record.error;
          li.appendChild(error);
          var discard = document.createElement('button');
          discard.type = 'button';
          discard.className = 'btn-link';
          discard.textContent = msg('discard');
          discard.addEventListener('click', function () {
            if (window.confirm(msg('discard-confirm'))) deleteRecord(record.instanceID).then(render);
          });
          li.appendChild(discard);
        }
        queueEl.appendChild(li);
      });
      return rows;
    });
  }

  function status(text) { statusEl.textContent = text || ''; }

  // The first text answer of a record (a species, a site name…), so waiting records can be told apart.
  function summary(record) {
    var paths = Array.prototype.map.call(form.querySelectorAll('[data-q][data-kind=text]'), function (box) {
      return box.getAttribute('data-q');
    });
    for (var i = 0; i < paths.length; i++) {
      var value = record.answers && record.answers[paths[i]];
      if (typeof value === 'string' && value.trim()) return value.trim().slice(0, 80);
    }
    return '';
  }

  // --- Reading the form ---------------------------------------------------------------------------

  function extension(file) {
    var match = /\.([A-Za-z0-9]{1,5})$/.exec(file.name || '');
    if (match) return match[1].toLowerCase();
    return ({ 'image/png': 'png', 'image/webp': 'webp', 'image/gif': 'gif' })[file.type] || 'jpg';
  }

  // One answer as the form holds it; a question hidden by its condition answers nothing.
  function valueOf(box) {
    var kind = box.getAttribute('data-kind');
    if (box.hidden || kind === 'note' || kind === 'image') return '';
    if (kind === 'select_one' || kind === 'select_multiple') {
      var checked = Array.prototype.map.call(box.querySelectorAll('input:checked'), function (i) { return i.value; });
      return kind === 'select_one' ? (checked[0] || '') : checked;
    }
    if (kind === 'geopoint') {
      var lat = box.querySelector('[data-part=lat]').value.trim();
      var lon = box.querySelector('[data-part=lon]').value.trim();
      var extra = box.getAttribute('data-extra') || '0 0';
      return lat && lon ? [lat, lon, extra].join(' ') : '';
    }
    return box.querySelector('input').value;
  }

  // --- Conditions and constraints (the subset of fieldwork/webform_logic.py; the server checks again) ---

  var COMPARE = {
    '=': function (a, b) { return a === b; }, '!=': function (a, b) { return a !== b; },
    '>': function (a, b) { return a > b; }, '>=': function (a, b) { return a >= b; },
    '<': function (a, b) { return a < b; }, '<=': function (a, b) { return a <= b; }
  };

  function holds(term, answers) {
    var answer = answers[term.path];
    answer = Array.isArray(answer) ? answer.join(' ') : String(answer || '');
    if (term.op === 'selected' || term.op === 'not-selected') {
      return (answer.split(/\s+/).indexOf(term.value) >= 0) === (term.op === 'selected');
    }
    if (term.numeric) {
      var number = answer.trim() === '' ? NaN : Number(answer);
      return !isNaN(number) && COMPARE[term.op](number, Number(term.value));
    }
    return (term.op === '=' || term.op === '!=') && COMPARE[term.op](answer, term.value);
  }

  function applyConditions() {
    var answers = {};
    Array.prototype.forEach.call(form.querySelectorAll('[data-q]'), function (box) {
      var condition = box.getAttribute('data-relevant');
      if (condition) {
        var rule = JSON.parse(condition);
        var results = rule.terms.map(function (term) { return holds(term, answers); });
        var shown = rule.join === 'or' ? results.some(Boolean) : results.every(Boolean);
        box.hidden = !shown;
        // Disabled controls are left out of the browser's checks, so a hidden required question does not block.
        Array.prototype.forEach.call(box.querySelectorAll('input, select, textarea, button'), function (el) { el.disabled = !shown; });
      }
      answers[box.getAttribute('data-q')] = valueOf(box);
    });
  }

  function checkText(input) {
    var value = input.value;
    var ok = true;
    if (value) {
      var pattern = input.getAttribute('data-pattern');
      var lengths = JSON.parse(input.getAttribute('data-lengths') || '[]');
      try { if (pattern && !new RegExp(pattern).test(value)) ok = false; } catch (e) { /* the server decides */ }
      lengths.forEach(function (pair) { if (!COMPARE[pair[0]](value.length, pair[1])) ok = false; });
    }
    input.setCustomValidity(ok ? '' : (input.getAttribute('data-constraint-msg') || msg('constraint')));
  }

  function checkAll() {
    Array.prototype.forEach.call(form.querySelectorAll('[data-pattern], [data-lengths]'), checkText);
  }

  // --- Photos: scaled down before queueing, so weak networks carry less -------------------------------

  function scaled(file, maxEdge) {
    if (!maxEdge || !window.createImageBitmap || !/^image\/(jpeg|png|webp)$/.test(file.type)) return Promise.resolve(null);
    return createImageBitmap(file).then(function (bitmap) {
      var scale = maxEdge / Math.max(bitmap.width, bitmap.height);
      if (scale >= 1) { if (bitmap.close) bitmap.close(); return null; }
      var canvas = document.createElement('canvas');
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      if (bitmap.close) bitmap.close();
      return new Promise(function (resolve) { canvas.toBlob(resolve, 'image/jpeg', 0.85); });
    })['catch'](function () { return null; });  // an image the browser cannot decode is sent as it is
  }

  function readRecord() {
    var answers = {};
    var files = [];
    var waits = [];
    var stamp = Date.now();
    Array.prototype.forEach.call(form.querySelectorAll('[data-q]'), function (box) {
      var path = box.getAttribute('data-q');
      var kind = box.getAttribute('data-kind');
      if (kind === 'note') return;
      if (kind !== 'image') { answers[path] = valueOf(box); return; }
      var input = box.querySelector('input[type=file]');
      var file = box.hidden ? null : input.files[0];
      answers[path] = '';
      if (!file) return;
      var base = path.replace(/\//g, '-') + '-' + stamp;
      waits.push(scaled(file, parseInt(input.getAttribute('data-max-pixels'), 10) || 0).then(function (blob) {
        var name = blob ? base + '.jpg' : base + '.' + extension(file);
        files.push(blob ? { name: name, blob: blob, type: 'image/jpeg' } : { name: name, blob: file, type: file.type || 'image/jpeg' });
        answers[path] = name;
      }));
    });
    return Promise.all(waits).then(function () {
      return {
        instanceID: 'uuid:' + uuid(),
        scope: scope,
        version: root.getAttribute('data-version'),
        start: started,
        end: new Date().toISOString(),
        deviceid: deviceId(),
        collector: me.id,
        collectorName: me.name,
        saved: new Date().toISOString(),
        answers: answers,
        files: files,
        error: ''
      };
    });
  }

  // --- Sending ------------------------------------------------------------------------------------

  function sendOne(record) {
    var body = new FormData();
    body.append('payload', JSON.stringify({
      instanceID: record.instanceID, version: record.version, start: record.start, end: record.end,
      deviceid: record.deviceid, collector: record.collector || '', answers: record.answers
    }));
    (record.files || []).forEach(function (f) { body.append('file', f.blob, f.name); });
    return fetch(root.getAttribute('data-submit-url'), {
      method: 'POST', body: body, credentials: 'same-origin',
      headers: { 'X-CSRFToken': csrfToken(), 'Accept': 'application/json' }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data };
      });
    });
  }

  // One sender at a time across the tabs of this device (where the browser has Web Locks): a second
  // tab waits, then finds the queue already empty. The server would refuse a double anyway.
  function exclusively(work) {
    if (navigator.locks && navigator.locks.request) return navigator.locks.request('landmosaic-webform-send', work);
    return work();
  }

  function sendQueue() {
    var stop = '';
    var signedIn = null;
    return whoIsSignedIn().then(function (answer) {
      signedIn = answer;
      return allRecords();
    }, function () {
      stop = msg('offline');
      return [];
    }).then(function (all) {
      if (stop) return stop;
      if (!signedIn) return all.length ? msg('signin') : '';
      var chain = Promise.resolve();
      all.filter(isMine).forEach(function (record) {
        chain = chain.then(function () {
          if (stop) return null;
          return sendOne(record).then(function (answer) {
            if (answer.status === 200 || answer.status === 201) return deleteRecord(record.instanceID);
            // Signed in as someone else since the page asked: the record stays for its collector.
            if (answer.data && answer.data.code === 'collector_mismatch') { stop = answer.data.message; return null; }
            if (answer.status === 401 || answer.status === 403) { stop = msg('signin'); return null; }
            if (answer.status >= 500) { stop = (answer.data && answer.data.message) || String(answer.status); return null; }
            record.error = (answer.data && answer.data.message) || String(answer.status);
            return putRecord(record);
          }, function () { stop = msg('offline'); });
        });
      });
      return chain.then(function () { return stop; });
    });
  }

  function sendAll() {
    if (sending) return Promise.resolve();
    sending = true;
    status(msg('sending'));
    var stop = '';
    return exclusively(sendQueue).then(function (reason) {
      stop = reason;
      return render();
    }).then(function (rows) {
      var refused = rows.some(function (r) { return r.error; });
      // Others' records still waiting: "all" would not be true of this device.
      var othersWaiting = root.getAttribute('data-waiting-others') !== '0';
      status(stop || (rows.length && refused ? '' : othersWaiting ? msg('sent-yours') : msg('sent')));
    }, function () { status(msg('no-storage')); }).then(function () { sending = false; });
  }

  // --- Events -------------------------------------------------------------------------------------

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    applyConditions();
    checkAll();
    if (!form.checkValidity()) { form.reportValidity(); return; }
    readRecord().then(putRecord).then(function () {
      form.reset();
      Array.prototype.forEach.call(form.querySelectorAll('[data-extra]'), function (box) { box.removeAttribute('data-extra'); });
      applyConditions();
      started = new Date().toISOString();
      return render();
    }).then(function () {
      status(msg('saved'));
      window.scrollTo(0, 0);
      if (navigator.onLine !== false) sendAll();
    }, function () { status(msg('no-storage')); });
  });

  form.addEventListener('input', function (event) {
    if (event.target.hasAttribute('data-pattern') || event.target.hasAttribute('data-lengths')) checkText(event.target);
    applyConditions();
  });
  form.addEventListener('change', applyConditions);
  applyConditions();

  sendButton.addEventListener('click', function () { sendAll(); });
  window.addEventListener('online', function () { sendAll(); });  // which checks the version first
  window.addEventListener('offline', function () { status(msg('offline')); });

  Array.prototype.forEach.call(form.querySelectorAll('[data-webform-locate]'), function (button) {
    var box = button.closest('[data-q]');
    var note = box.querySelector('[data-webform-locate-status]');
    button.addEventListener('click', function () {
      if (!navigator.geolocation) { note.textContent = msg('no-location'); return; }
      note.textContent = msg('locating');
      navigator.geolocation.getCurrentPosition(function (position) {
        var c = position.coords;
        box.querySelector('[data-part=lat]').value = c.latitude.toFixed(7);
        box.querySelector('[data-part=lon]').value = c.longitude.toFixed(7);
        box.setAttribute('data-extra', [Math.round(c.altitude || 0), Math.round(c.accuracy || 0)].join(' '));
        note.textContent = msg('located', { accuracy: Math.round(c.accuracy || 0) });
      }, function () { note.textContent = msg('no-location'); }, { enableHighAccuracy: true, timeout: 30000, maximumAge: 60000 });
    });
  });

  // --- Offline: the service worker, and this page with its assets in its cache -----------------------

  // Resolves true once this page and its assets are in the cache (fetched now, or kept from before
  // when offline). The page is fetched again rather than copied: the worker's cache keeps the
  // document as the server sent it, which the DOM no longer is.
  function cacheThisPage() {
    var name = root.getAttribute('data-cache');
    var page = window.location.pathname;
    // Never a redirect stored as this page (a login page, if the session ended meanwhile).
    var urls = [new Request(page, { redirect: 'error' })];
    Array.prototype.forEach.call(document.querySelectorAll('script[src], link[rel=stylesheet][href], link[rel=icon][href]'), function (el) {
      var url = new URL(el.getAttribute('src') || el.getAttribute('href'), window.location.href);
      if (url.origin === window.location.origin) urls.push(url.pathname);
    });
    return caches.open(name).then(function (cache) {
      return cache.addAll(urls).then(function () { return true; }, function () {
        return cache.match(page, { ignoreVary: true }).then(function (hit) { return !!hit; });
      });
    });
  }

  function offlineReady() {
    root.setAttribute('data-offline-ready', 'true');
    offlineEl.textContent = msg('offline-ready');
  }

  if ('serviceWorker' in navigator && window.caches) {
    navigator.serviceWorker.register(root.getAttribute('data-sw-url'), { scope: root.getAttribute('data-sw-scope') })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(cacheThisPage)
      .then(function (cached) { if (cached) offlineReady(); })['catch'](function () { /* no offline reopening; the queue still works */ });
  }

  // --- A newer version of the form --------------------------------------------------------------------

  // The form's current version and who is signed in, from the server: shows a newer version or a
  // closed form, and makes the signed-in person the one whose records this page saves and sends.
  // Resolves the answer, or null when no one who may collect is signed in (the sign-in page, a 403);
  // rejects without network.
  function whoIsSignedIn() {
    return fetch(root.getAttribute('data-version-url'), {
      credentials: 'same-origin', cache: 'no-store', headers: { 'Accept': 'application/json' }
    }).then(function (response) {
      if (!response.ok || response.redirected) return null;
      return response.json().then(learn, function () { return null; });
    });
  }

  function learn(data) {
    if (!data || typeof data.version !== 'string') return null;
    // "" when the form is no longer published.
    var newer = data.version !== '' && data.version !== root.getAttribute('data-version');
    newerEl.hidden = !newer;
    closedEl.hidden = data.version !== '';
    root.setAttribute('data-newer-version', newer ? data.version : '');
    if (!data.collector || !data.collector.id) return null;
    me = { id: String(data.collector.id), name: String(data.collector.name || '') };
    // A page from the cache may have been served to someone else: say whose records it now saves.
    if (whoEl) whoEl.textContent = msg('who', { name: me.name });
    root.setAttribute('data-signed-in', me.id);
    return data;
  }

  function checkVersion() {
    if (navigator.onLine === false) return Promise.resolve();
    var before = me.id;
    return whoIsSignedIn().then(function () {
      if (me.id !== before) return render();
    })['catch'](function () { /* no network: nothing to say yet */ });
  }
  checkVersion();
  // A page restored from the back-forward cache may be hours old.
  window.addEventListener('pageshow', function (event) { if (event.persisted) checkVersion(); });

  if (navigator.onLine === false) status(msg('offline'));
  render().then(function (rows) {
    if (rows.length && navigator.onLine !== false) sendAll();
  }, function () { status(msg('no-storage')); });
})();
