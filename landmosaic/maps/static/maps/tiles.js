/* Raster tiles drawn by the platform (maps app), on maps that landmosaic/map.js has set up.
 *
 * Dataset page: <div data-lm-map data-image-url=… data-image-bounds=… data-tiles-url=".../{z}/{x}/{y}.png">
 *   the preview image (also the fallback without JavaScript) is replaced by sharp tiles at every zoom.
 * window.lmTiles.layer(L, url, boundsText, options) makes such a tile layer for other scripts
 * (the scenario results page uses it for its yearly maps).
 */
(function () {
  'use strict';

  function bounds(L, text) {
    var box = String(text || '').split(',').map(Number);
    if (box.length !== 4 || !box.every(isFinite)) return undefined;
    // An extent crossing 180° (west > east, or beyond ±180) has no single box Leaflet can compare
    // its wrapped tiles with: every tile is asked for, and those away from the data come back empty.
    if (box[0] > box[2] || box[0] < -180 || box[2] > 180) return undefined;
    return L.latLngBounds([box[1], box[0]], [box[3], box[2]]);
  }

  function layer(L, url, boundsText, options) {
    var opts = { opacity: 0.85, maxZoom: 19, bounds: bounds(L, boundsText), className: 'lm-raster-tiles' };
    Object.keys(options || {}).forEach(function (k) { opts[k] = options[k]; });
    // Tiles outside the raster are never asked for: the bounds stop Leaflet before the server.
    return L.tileLayer(url, opts);
  }

  function upgrade(el) {
    var L = window.L;
    var map = el._lmMap;
    var url = el.getAttribute('data-tiles-url');
    if (!L || !map || !url) return;
    map.eachLayer(function (l) { if (l instanceof L.ImageOverlay) map.removeLayer(l); });
    layer(L, url, el.getAttribute('data-image-bounds')).addTo(map);
  }

  window.lmTiles = { layer: layer, bounds: bounds };

  function start() {
    document.querySelectorAll('[data-lm-map][data-tiles-url]').forEach(upgrade);
  }
  // map.js (loaded before this script) builds its maps first.
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
