/* Point maps ("data maps"): draws the GeoJSON of a saved map with Leaflet, its legend beside it.
 *
 *   <div data-lm-point-map data-url="/…/data.geojson" data-legend="list-id" data-status="p-id"
 *        data-basemap-url="" data-basemap-attribution="" data-label-error="…" data-label-empty="…"
 *        data-label-truncated="…" data-label-skipped="…">fallback</div>
 *
 * Each feature carries "class", its line in the collection's "legend" ({label, colour, count}).
 * Popups are built from text nodes only: values are data, never HTML.
 */
(function () {
  'use strict';

  var SVG_LIMIT = 2000; // above this many points, draw on a canvas to stay smooth on phones

  function attr(el, name) {
    var v = el.getAttribute(name);
    return v == null ? '' : v.trim();
  }

  function popup(props) {
    var table = document.createElement('table');
    table.className = 'point-map-popup';
    Object.keys(props || {}).forEach(function (name) {
      var row = table.insertRow();
      var th = document.createElement('th');
      th.scope = 'row';
      th.textContent = name;
      row.appendChild(th);
      var value = props[name];
      row.insertCell().textContent = value == null ? '—' : String(value);
    });
    return table;
  }

  function legend(list, entries) {
    list.textContent = '';
    entries.forEach(function (entry) {
      var item = document.createElement('li');
      var swatch = document.createElement('span');
      swatch.className = 'point-map-swatch';
      swatch.style.backgroundColor = entry.colour;
      swatch.setAttribute('aria-hidden', 'true');
      var label = document.createElement('span');
      label.textContent = entry.label;
      var count = document.createElement('span');
      count.className = 'muted';
      count.textContent = ' (' + entry.count + ')';
      item.appendChild(swatch);
      item.appendChild(label);
      item.appendChild(count);
      list.appendChild(item);
    });
  }

  function status(el, data) {
    var box = document.getElementById(attr(el, 'data-status'));
    if (!box) return;
    var parts = [];
    if (!data.features.length) parts.push(attr(el, 'data-label-empty'));
    if (data.truncated) parts.push(attr(el, 'data-label-truncated') + ' ' + data.numberReturned);
    if (data.skipped) parts.push(attr(el, 'data-label-skipped') + ' ' + data.skipped);
    box.textContent = parts.join(' ');
  }

  function draw(L, el, data) {
    el.textContent = '';
    var map = L.map(el, { maxZoom: 19, worldCopyJump: true, preferCanvas: data.features.length > SVG_LIMIT });
    var url = attr(el, 'data-basemap-url');
    if (url) {
      L.tileLayer(url, { attribution: el.getAttribute('data-basemap-attribution') || '', maxZoom: 19 }).addTo(map);
    }
    var entries = data.legend || [];
    var radius = (data.style && data.style.radius) || 6;
    var layer = L.geoJSON(data, {
      pointToLayer: function (feature, latlng) {
        var entry = entries[feature['class']] || { colour: '#1b5e20' };
        return L.circleMarker(latlng, {
          radius: radius, color: '#fff', weight: 1, fillColor: entry.colour, fillOpacity: 0.9
        });
      },
      onEachFeature: function (feature, marker) {
        if (feature.properties && Object.keys(feature.properties).length) {
          marker.bindPopup(function () { return popup(feature.properties); });
        }
      }
    }).addTo(map);
    var bounds = layer.getBounds();
    if (bounds.isValid()) {
      if (bounds.getNorthEast().equals(bounds.getSouthWest())) map.setView(bounds.getCenter(), 12);
      else map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
    } else {
      map.setView([15, 0], 2);
    }
    var list = document.getElementById(attr(el, 'data-legend'));
    if (list) legend(list, entries);
    status(el, data);
    el._lmMap = map;
  }

  function init(el) {
    var L = window.L;
    if (!L || el._lmMap) return;
    el.setAttribute('aria-busy', 'true');
    fetch(attr(el, 'data-url'), { credentials: 'same-origin', headers: { Accept: 'application/geo+json' } })
      .then(function (resp) {
        return resp.json().catch(function () { return {}; }).then(function (body) {
          if (resp.ok) return body;
          // The server's reason (e.g. a column gone from a new version) is in the reader's language.
          var reason = body && body.error && body.error.message;
          throw new Error(reason || ('HTTP ' + resp.status));
        });
      })
      .then(function (data) { draw(L, el, data); })
      .catch(function (err) {
        if (window.console) console.warn('landmosaic point map: cannot load', err);
        var box = document.getElementById(attr(el, 'data-status'));
        var reason = err && err.message && err.message.indexOf('HTTP ') !== 0 ? ' ' + err.message : '';
        if (box) box.textContent = attr(el, 'data-label-error') + reason;
      })
      .then(function () { el.removeAttribute('aria-busy'); });
  }

  function scan() {
    Array.prototype.forEach.call(document.querySelectorAll('[data-lm-point-map]'), init);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', scan);
  else scan();
})();
