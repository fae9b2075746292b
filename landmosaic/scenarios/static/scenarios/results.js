/* Results page: the yearly maps as tiles, a year slider, and business as usual compared with the scenario
 * by a swipe on one map or on two maps side by side that move together (?compare=side). Without
 * JavaScript (or Leaflet) the page keeps its preview images and the "Show this year" button reloads the
 * page for the chosen year. Needs landmosaic/map.js and maps/tiles.js first. */
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

  function setUpSwipe(L, map, el, panes, swipe, state) {
    var input = swipe.querySelector('input[type="range"]');
    var divider = document.createElement('div');
    divider.className = 'scn-divider';
    divider.setAttribute('aria-hidden', 'true');
    el.appendChild(divider);
    function clip() {
      if (state.mode !== 'swipe') return;
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
    return { clip: clip, divider: divider };
  }

  // Each map follows the other's centre and zoom; the flag stops the echo of a move it caused itself.
  function follow(a, b, state) {
    var moving = false;
    function copy(from, to) {
      return function () {
        if (moving || state.mode !== 'side') return;
        moving = true;
        to.setView(from.getCenter(), from.getZoom(), { animate: false });
        moving = false;
      };
    }
    a.on('move moveend zoomend', copy(a, b));
    b.on('move moveend zoomend', copy(b, a));
  }

  function setUpSideBySide(L, map, el, layers, swiping, state, year) {
    var toggle = document.querySelector('[data-scn-mode-toggle]');
    var sideEl = document.querySelector('[data-scn-side]');
    var side = sideEl && sideEl._lmMap;
    if (!toggle || !side) return null;
    var compare = el.closest('.scn-compare');
    var swipe = document.querySelector('[data-scn-swipe]');
    var rightLabel = el.querySelector('.scn-map-label-right');
    var spec = layers[1].spec;
    var sideLayer = window.lmTiles.layer(L, yearUrl(spec, year), spec.bbox, { opacity: 1 });
    addLabel(sideEl, spec.label, 'left');
    follow(map, side, state);

    function show(mode, remember) {
      var sideBySide = mode === 'side';
      state.mode = sideBySide ? 'side' : 'swipe';
      compare.setAttribute('data-scn-mode', state.mode);
      sideEl.hidden = !sideBySide;
      if (swipe) swipe.hidden = sideBySide;
      swiping.divider.hidden = sideBySide;
      if (rightLabel) rightLabel.hidden = sideBySide;
      el.setAttribute('aria-label', el.getAttribute(sideBySide ? 'data-scn-label-side' : 'data-scn-label-swipe'));
      // The sizes changed with the layout: Leaflet measures again before the maps are lined up.
      map.invalidateSize();
      if (sideBySide) {
        layers[1].layer.remove(); // the first map shows business as usual alone, unclipped
        layers[0].pane.style.clip = '';
        sideLayer.addTo(side);
        side.invalidateSize();
        side.setView(map.getCenter(), map.getZoom(), { animate: false });
      } else {
        sideLayer.remove();
        layers[1].layer.addTo(map);
        swiping.clip();
      }
      if (remember && window.history && window.history.replaceState) {
        var url = new URL(window.location.href);
        if (sideBySide) url.searchParams.set('compare', 'side');
        else url.searchParams.delete('compare');
        window.history.replaceState(null, '', url.href);
      }
    }
    toggle.addEventListener('change', function (event) {
      if (event.target && event.target.name === 'compare') show(event.target.value, true);
    });
    toggle.hidden = false;
    var checked = toggle.querySelector('input[name="compare"]:checked');
    show(checked ? checked.value : 'swipe', false);
    return { spec: spec, layer: sideLayer };
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
    var yearLayers = layers.slice();
    if (layers.length > 1) {
      addLabel(el, specs[0].label, 'left');
      addLabel(el, specs[1].label, 'right');
      var state = { mode: 'swipe' };
      var swipe = document.querySelector('[data-scn-swipe]');
      var swiping = swipe && setUpSwipe(L, map, el, [layers[0].pane, layers[1].pane], swipe, state);
      var side = swiping && setUpSideBySide(L, map, el, layers, swiping, state, year);
      if (side) yearLayers.push(side); // the year slider moves the second map too
    }
    if (form) setUpYear(form, yearLayers, map);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
