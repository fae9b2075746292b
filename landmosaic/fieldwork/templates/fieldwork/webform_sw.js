/* Landmosaic offline web form: service worker (served by fieldwork.views.webform).
 *
 * The fill pages put themselves and their scripts and styles in the cache (webform.js); this worker
 * answers fill pages from the network when it can and from that cache when offline, and static files
 * from the cache first (their names change with their content in production). Nothing else is touched:
 * POSTs, the version check and the other field data pages always go to the network, and records wait
 * in the page's IndexedDB queue. */
'use strict';
var CACHE = '{{ cache_version|escapejs }}';
var STATIC = '{{ static_url|escapejs }}';

self.addEventListener('install', function () { self.skipWaiting(); });

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf('webform-') === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function isFillPage(url) { return /\/field-data\/forms\/\d+\/fill\/$/.test(url.pathname); }

// Only a plain answer is kept: a redirected one (a login page reached through a redirect, say)
// would be refused by the browser for a navigation, and opaque redirects are no page at all.
function usable(response) {
  return response && response.ok && response.type === 'basic' && !response.redirected;
}

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET') return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate' && isFillPage(url)) {
    // Network first, so a new version of the form shows as soon as there is network. Stored under
    // the path alone: the page is the same whatever its query string, and it varies on the cookie,
    // which a cached copy cannot match, hence ignoreVary.
    event.respondWith(fetch(request).then(function (response) {
      if (usable(response)) {
        var copy = response.clone();
        event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.put(url.pathname, copy); }));
      }
      return response;
    }, function () {
      return caches.match(url.pathname, { cacheName: CACHE, ignoreVary: true }).then(function (hit) {
        return hit || Response.error();
      });
    }));
    return;
  }
  if (url.pathname.indexOf(STATIC) === 0) {
    event.respondWith(caches.match(request, { cacheName: CACHE, ignoreVary: true }).then(function (hit) {
      return hit || fetch(request);
    }));
  }
});
