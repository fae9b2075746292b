/* Landmosaic maps: progressive enhancement with Leaflet (+ leaflet-geoman for drawing).
 *
 * Display map:
 *   <div class="map" data-lm-map data-geojson="script-id" | data-geojson-url="/url"
 *        data-basemap-url="https://tile.example/{z}/{x}/{y}.png" data-basemap-attribution="…"
 *        data-center="lon,lat" data-zoom="2" data-label-error="…" data-label-empty="…">fallback</div>
 *   An image overlay (a raster's preview, in Web Mercator) may be added, alone or with GeoJSON:
 *        data-image-url="/url.png" data-image-bounds="west,south,east,north" data-image-alt="…"
 * Drawing map (needs leaflet-geoman):
 *   <div class="map" data-lm-draw data-input="id_geometry" data-center="lon,lat" data-zoom="8"
 *        data-basemap-url="" data-label-draw="…" data-label-edit="…" data-label-remove="…"
 *        data-label-finish="…" data-label-cancel="…" data-label-undo="…"
 *        data-label-first-vertex="…" data-label-continue="…" data-label-close="…">fallback</div>
 * Without Leaflet the fallback content stays. No image markers are used (circle markers only).
 */
(function () {
  'use strict';

  var LINE = '#1b5e20';
  var AREA_STYLE = { color: LINE, weight: 3, fillColor: '#4caf50', fillOpacity: 0.25 };
  var POINT_STYLE = { radius: 9, color: '#fff', weight: 2, fillColor: LINE, fillOpacity: 0.95 };
  var MAX_ZOOM = 19;

  // data-label-* name -> [geoman translation section, key, is inserted as HTML by geoman]
  var DRAW_LABELS = {
    'draw': ['buttonTitles', 'drawPolyButton', false],
    'edit': ['buttonTitles', 'editButton', false],
    'remove': ['buttonTitles', 'deleteButton', false],
    'finish': ['actions', 'finish', true],
    'cancel': ['actions', 'cancel', true],
    'undo': ['actions', 'removeLastVertex', true],
    'first-vertex': ['tooltips', 'firstVertex', true],
    'continue': ['tooltips', 'continueLine', true],
    'close': ['tooltips', 'finishPoly', true]
  };

  function attr(el, name) {
    var v = el.getAttribute(name);
    return v == null ? '' : v.trim();
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  function parseJson(text) {
    var data = JSON.parse(text);
    // Django's json_script of an already-serialised string gives a JSON string.
    return typeof data === 'string' ? JSON.parse(data) : data;
  }

  function safeUrl(value) {
    if (value == null || value === '') return '';
    try {
      var u = new URL(String(value), window.location.href);
      return (u.protocol === 'http:' || u.protocol === 'https:') ? u.href : '';
    } catch (e) {
      return '';
    }
  }

  function staticPrefix() {
    var p = document.body ? document.body.getAttribute('data-lm-static') : null;
    if (p == null || p === '') p = '/static/';
    return p.charAt(p.length - 1) === '/' ? p : p + '/';
  }

  function defaultView(el) {
    var parts = attr(el, 'data-center').split(',').map(Number);
    var zoom = parseFloat(attr(el, 'data-zoom'));
    var ok = parts.length === 2 && isFinite(parts[0]) && isFinite(parts[1]) && attr(el, 'data-center') !== '';
    return {
      center: ok ? [parts[1], parts[0]] : [15, 0],
      zoom: isFinite(zoom) ? zoom : (ok ? 8 : 2)
    };
  }

  function createMap(L, el) {
    el.textContent = '';
    var maxZoom = parseInt(attr(el, 'data-max-zoom'), 10) || MAX_ZOOM;
    var still = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    var map = L.map(el, {
      maxZoom: maxZoom,
      worldCopyJump: true,
      zoomAnimation: !still,
      fadeAnimation: !still,
      markerZoomAnimation: !still,
      zoomControl: false
    });
    // Leaflet's own controls speak English; the page gives their words in its language (base.html).
    var body = document.body;
    L.control.zoom({
      zoomInTitle: attr(body, 'data-lm-zoom-in') || 'Zoom in',
      zoomOutTitle: attr(body, 'data-lm-zoom-out') || 'Zoom out'
    }).addTo(map);
    var about = attr(body, 'data-lm-leaflet-title');
    if (about && map.attributionControl) {
      map.attributionControl.setPrefix('<a href="https://leafletjs.com" title="' + escapeHtml(about) + '">Leaflet</a>');
    }
    var url = attr(el, 'data-basemap-url');
    if (url) {
      // The attribution comes from the site configuration and may hold a link (HTML).
      L.tileLayer(url, { attribution: el.getAttribute('data-basemap-attribution') || '', maxZoom: maxZoom }).addTo(map);
    }
    var label = attr(el, 'data-label-map');
    if (label && !el.hasAttribute('aria-label')) el.setAttribute('aria-label', label);
    var view = defaultView(el);
    map.setView(view.center, view.zoom);
    el._lmMap = map;
    if (window.ResizeObserver) {
      // Maps first rendered in a hidden tab/details need a size refresh.
      new ResizeObserver(function () { map.invalidateSize(); }).observe(el);
    }
    return map;
  }

  function fitTo(map, bounds) {
    if (!bounds || !bounds.isValid()) return false;
    if (bounds.getNorthEast().equals(bounds.getSouthWest())) {
      map.setView(bounds.getCenter(), 10, { animate: false });
    } else {
      map.fitBounds(bounds, { padding: [32, 32], maxZoom: 16, animate: false });
    }
    return true;
  }

  function showStatus(el, text) {
    if (!text) return;
    var box = document.createElement('div');
    box.className = 'lm-map-status';
    box.setAttribute('role', 'status');
    box.textContent = text;
    el.appendChild(box);
  }

  function popupContent(props) {
    var box = document.createElement('div');
    var url = safeUrl(props.url);
    var name = props.name == null ? '' : String(props.name);
    var title = document.createElement(url ? 'a' : 'strong');
    title.textContent = name || url;
    if (url) title.href = url;
    box.appendChild(title);
    if (props.country != null && props.country !== '') {
      var sub = document.createElement('div');
      sub.className = 'muted';
      sub.textContent = String(props.country);
      box.appendChild(sub);
    }
    return box;
  }

  // A feature may carry its own fill colour (e.g. a zone's kind); only #rrggbb is taken, nothing else.
  function withFill(feature, base) {
    var fill = feature && feature.properties && feature.properties.fill;
    if (typeof fill !== 'string' || !/^#[0-9a-fA-F]{6}$/.test(fill)) return base;
    var style = {};
    for (var key in base) { if (Object.prototype.hasOwnProperty.call(base, key)) style[key] = base[key]; }
    style.fillColor = fill;
    style.fillOpacity = Math.max(base.fillOpacity, 0.45);
    return style;
  }

  function displayLayer(L, data, popups) {
    return L.geoJSON(data, {
      style: function (feature) {
        var type = feature && feature.geometry && feature.geometry.type;
        return withFill(feature, (type === 'Point' || type === 'MultiPoint') ? POINT_STYLE : AREA_STYLE);
      },
      pointToLayer: function (feature, latlng) { return L.circleMarker(latlng, withFill(feature, POINT_STYLE)); },
      onEachFeature: popups ? function (feature, layer) {
        var props = feature && feature.properties;
        if (props && (props.name != null || props.url)) layer.bindPopup(popupContent(props));
      } : null
    });
  }

  function addImage(L, map, el) {
    var url = safeUrl(attr(el, 'data-image-url'));
    var box = attr(el, 'data-image-bounds').split(',').map(Number);
    if (!url || box.length !== 4 || !box.every(isFinite)) return;
    var bounds = L.latLngBounds([box[1], box[0]], [box[3], box[2]]);
    L.imageOverlay(url, bounds, { alt: attr(el, 'data-image-alt'), opacity: 0.85 }).addTo(map);
    fitTo(map, bounds);
  }

  function initDisplay(L, el) {
    var scriptId = attr(el, 'data-geojson');
    var url = attr(el, 'data-geojson-url');
    var inline = null;
    if (scriptId) {
      var script = document.getElementById(scriptId);
      if (!script) return;
      try {
        inline = parseJson(script.textContent);
      } catch (e) {
        if (window.console) console.warn('landmosaic map: invalid GeoJSON in #' + scriptId, e);
        return;
      }
    }
    var map = createMap(L, el);
    addImage(L, map, el);
    if (inline) {
      var layer = displayLayer(L, inline, true).addTo(map);
      fitTo(map, layer.getBounds());
      return;
    }
    if (!url) return;
    el.setAttribute('aria-busy', 'true');
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/geo+json, application/json' } })
      .then(function (resp) {
        if (!resp.ok) throw new Error('HTTP ' + resp.status);
        return resp.json();
      })
      .then(function (data) {
        var layer = displayLayer(L, data, true).addTo(map);
        if (!fitTo(map, layer.getBounds())) showStatus(el, attr(el, 'data-label-empty'));
      })
      .catch(function (err) {
        if (window.console) console.warn('landmosaic map: cannot load ' + url, err);
        showStatus(el, attr(el, 'data-label-error'));
      })
      .then(function () { el.removeAttribute('aria-busy'); });
  }

  /* ---- drawing ---- */

  function polygonsOf(data) {
    // Returns a list of Polygon coordinate arrays found in any GeoJSON object.
    if (!data || typeof data !== 'object') return [];
    switch (data.type) {
      case 'Polygon': return [data.coordinates];
      case 'MultiPolygon': return data.coordinates.slice();
      case 'Feature': return polygonsOf(data.geometry);
      case 'FeatureCollection':
        return data.features.reduce(function (acc, f) { return acc.concat(polygonsOf(f)); }, []);
      case 'GeometryCollection':
        return data.geometries.reduce(function (acc, g) { return acc.concat(polygonsOf(g)); }, []);
      default: return [];
    }
  }

  function serialise(L, group) {
    var polys = [];
    group.eachLayer(function (layer) {
      if (!(layer instanceof L.Polygon)) return;
      polys = polys.concat(polygonsOf(layer.toGeoJSON(6).geometry));
    });
    if (!polys.length) return '';
    return JSON.stringify(polys.length === 1
      ? { type: 'Polygon', coordinates: polys[0] }
      : { type: 'MultiPolygon', coordinates: polys });
  }

  function setDrawLanguage(L, map, el) {
    var lang = attr(el, 'data-lang') || document.documentElement.lang || 'en';
    map.pm.setLang(lang);
    var custom = {};
    var any = false;
    Object.keys(DRAW_LABELS).forEach(function (name) {
      var text = attr(el, 'data-label-' + name);
      if (!text) return;
      var spec = DRAW_LABELS[name];
      custom[spec[0]] = custom[spec[0]] || {};
      custom[spec[0]][spec[1]] = spec[2] ? escapeHtml(text) : text;
      any = true;
    });
    if (any) map.pm.setLang(L.PM.activeLang, custom, L.PM.activeLang);
  }

  function labelToolbar(el) {
    // geoman puts the title on a wrapper <div>; give the focusable <a> an accessible name.
    var buttons = el.querySelectorAll('.leaflet-pm-toolbar .button-container[title]');
    Array.prototype.forEach.call(buttons, function (box) {
      var a = box.querySelector('a.leaflet-buttons-control-button');
      if (a) a.setAttribute('aria-label', box.getAttribute('title'));
    });
  }

  function initDraw(L, el) {
    var input = document.getElementById(attr(el, 'data-input'));
    if (!input) {
      if (window.console) console.warn('landmosaic map: no input #' + attr(el, 'data-input'));
      return;
    }
    if (!L.PM) return; // geoman not loaded: keep the fallback content
    var map = createMap(L, el);
    var group = L.featureGroup().addTo(map);

    setDrawLanguage(L, map, el);
    map.pm.setGlobalOptions({
      layerGroup: group,
      allowSelfIntersection: false,
      pathOptions: AREA_STYLE,
      templineStyle: { color: LINE, weight: 3 },
      hintlineStyle: { color: LINE, weight: 2, dashArray: [6, 6] },
      exitModeOnEscape: true,
      finishOnEnter: true
    });
    map.pm.addControls({
      position: 'topright',
      drawPolygon: true,
      editMode: true,
      removalMode: true,
      drawMarker: false,
      drawCircleMarker: false,
      drawPolyline: false,
      drawRectangle: false,
      drawCircle: false,
      drawText: false,
      dragMode: false,
      cutPolygon: false,
      rotateMode: false,
      snappingOption: false,
      optionsControls: false,
      customControls: false
    });
    labelToolbar(el);
    map.on('pm:langchange', function () { labelToolbar(el); });

    var last = input.value;
    function sync() {
      var value = serialise(L, group);
      if (value === last) return;
      last = value;
      input.value = value;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    }
    function watch(layer) {
      layer.on('pm:edit pm:update pm:vertexremoved', sync);
    }

    if (input.value.trim()) {
      try {
        polygonsOf(parseJson(input.value)).forEach(function (coords) {
          var poly = L.polygon(L.GeoJSON.coordsToLatLngs(coords, 1), AREA_STYLE).addTo(group);
          watch(poly);
        });
        fitTo(map, group.getBounds());
      } catch (e) {
        if (window.console) console.warn('landmosaic map: cannot read the geometry in #' + input.id, e);
      }
    }

    map.on('pm:create', function (e) {
      watch(e.layer);
      sync();
    });
    map.on('pm:remove', sync);
    group.on('layerremove', sync);
  }

  /* ---- bootstrapping ---- */

  function scan(root) {
    var L = window.L;
    if (!L || !root || !root.querySelectorAll) return;
    L.Icon.Default.imagePath = staticPrefix() + 'vendor/leaflet/images/';
    var nodes = [];
    if (root.matches && root.matches('[data-lm-map], [data-lm-draw]')) nodes.push(root);
    Array.prototype.push.apply(nodes, root.querySelectorAll('[data-lm-map], [data-lm-draw]'));
    nodes.forEach(function (el) {
      if (el._lmMap || el._lmInit) return;
      el._lmInit = true;
      try {
        if (el.hasAttribute('data-lm-draw')) initDraw(L, el);
        else initDisplay(L, el);
      } catch (e) {
        if (window.console) console.error('landmosaic map: initialisation failed', e);
      }
    });
  }

  document.addEventListener('htmx:load', function (e) { scan(e.target); });
  document.addEventListener('htmx:beforeCleanupElement', function (e) {
    var el = e.target;
    if (el && el._lmMap) {
      el._lmMap.remove();
      el._lmMap = null;
    }
  });
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () { scan(document.body); });
  } else {
    scan(document.body);
  }
})();
