/* Landmosaic offline web form: service worker (served by fieldwork.views.webform).
 * The fill pages put themselves and their scripts and styles in the cache (webform.js); this worker
 * answers from the network when it can and from that cache when offline. POSTs are never cached:
 * records wait in the page's IndexedDB queue. */
'use strict';
var CACHE = '{{ cache_version|escapejs }}';

self.addEventListener('install', function () { self.skipWaiting(); });

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf('webform-') === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function isFillPage(url) { return /\/field-data\/forms\/\d+\/fill\/$/.test(url.pathname); }

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET') return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate' && isFillPage(url)) {
    // Network first, so a new version of the form shows as soon as there is network.
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(url.pathname, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(url.pathname, { cacheName: CACHE, ignoreVary: true }).then(function (hit) {
        return hit || Response.error();
      });
    }));
    return;
  }
  // Scripts and styles: the cached copy if there is one (static names change with their content).
  event.respondWith(caches.match(request, { cacheName: CACHE }).then(function (hit) {
    return hit || fetch(request);
  }));
});
