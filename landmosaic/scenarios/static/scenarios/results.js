/* Results page: the yearly maps as tiles, a year slider and a swipe between business as usual and the
 * scenario. Without JavaScript (or Leaflet) the page keeps its preview images and the "Show this year"
 * button reloads the page for the chosen year. Needs landmosaic/map.js and maps/tiles.js first. */
(function () {
  'use strict';

  var DELAY_MS = 200; // wait for the slider to rest before asking for a year's tiles

  function readLayers(el) {
    var script = document.getElementById(el.getAttribute('data-scn-compare'));
    try {
      return script ? JSON.parse(script.textContent) : [];
    } catch (e) {
      return [];
    }
  }

  function yearUrl(spec, year) {
    return spec.tiles.replace('{v}', String(year - spec.base_year));
  }

  function addLabel(el, text, side) {
    var box = document.createElement('div');
    box.className = 'scn-map-label scn-map-label-' + side;
    box.textContent = text;
    el.appendChild(box);
    return box;
  }

  function setUpSwipe(L, map, el, panes, swipe) {
    var input = swipe.querySelector('input[type="range"]');
    var divider = document.createElement('div');
    divider.className = 'scn-divider';
    divider.setAttribute('aria-hidden', 'true');
    el.appendChild(divider);
    function clip() {
      var ratio = Number(input.value) / 100;
      var nw = map.containerPointToLayerPoint([0, 0]);
      var se = map.containerPointToLayerPoint(map.getSize());
      var x = nw.x + (se.x - nw.x) * ratio;
      // Pane coordinates are the map's layer points: clip each pane to its side of the divider.
      panes[0].style.clip = 'rect(' + nw.y + 'px,' + x + 'px,' + se.y + 'px,' + nw.x + 'px)';
      panes[1].style.clip = 'rect(' + nw.y + 'px,' + se.x + 'px,' + se.y + 'px,' + x + 'px)';
      divider.style.left = (ratio * 100) + '%';
      el.setAttribute('data-swipe', input.value);
    }
    input.addEventListener('input', clip);
    map.on('move zoom resize', clip);
    swipe.hidden = false;
    clip();
  }

  function setUpYear(form, layers, map) {
    var range = form.querySelector('input[type="range"]');
    var output = form.querySelector('output');
    var title = document.getElementById('maps-title');
    var submit = form.querySelector('[data-scn-submit]');
    if (!range || !output) return;
    if (map && submit) submit.hidden = true;
    var timer = null;
    function show(year) {
      layers.forEach(function (item) { item.layer.setUrl(yearUrl(item.spec, year)); });
      if (title && title.getAttribute('data-scn-title')) {
        title.textContent = title.getAttribute('data-scn-title').replace('{year}', year);
      }
      if (window.history && window.history.replaceState) {
        var url = new URL(window.location.href);
        url.searchParams.set('year', year);
        window.history.replaceState(null, '', url.href);
      }
    }
    range.addEventListener('input', function () {
      output.textContent = range.value;
      range.setAttribute('aria-valuetext', range.value);
      if (!map) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { show(Number(range.value)); }, DELAY_MS);
    });
    range.addEventListener('change', function () { if (!map) form.submit(); });
  }

  function start() {
    var L = window.L;
    var form = document.querySelector('form.scn-year');
    var el = document.querySelector('[data-scn-compare]');
    var map = el && el._lmMap;
    if (!L || !map || !window.lmTiles) {
      if (form) setUpYear(form, [], null);
      return;
    }
    var specs = readLayers(el);
    var year = Number(form ? form.querySelector('input[type="range"]').value : 0);
    var layers = specs.map(function (spec, index) {
      var pane = map.createPane('scn' + index);
      pane.style.zIndex = 250 + index;
      var layer = window.lmTiles.layer(L, yearUrl(spec, year), spec.bbox, { pane: 'scn' + index, opacity: 1 });
      layer.addTo(map);
      return { spec: spec, layer: layer, pane: pane };
    });
    if (!layers.length) return;
    var bounds = window.lmTiles.bounds(L, specs[0].bbox);
    if (bounds) map.fitBounds(bounds, { animate: false });
    if (layers.length > 1) {
      addLabel(el, specs[0].label, 'left');
      addLabel(el, specs[1].label, 'right');
      var swipe = document.querySelector('[data-scn-swipe]');
      if (swipe) setUpSwipe(L, map, el, [layers[0].pane, layers[1].pane], swipe);
    }
    if (form) setUpYear(form, layers, map);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
