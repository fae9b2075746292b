/* Landmosaic: small site-wide enhancements (no dependencies; htmx optional).
 * - X-CSRFToken header on htmx requests, from <meta name="csrf-token" content="…">.
 * - data-confirm="text" on a <form>, a submit button, or a link: asks before going on.
 *   (For htmx-driven elements prefer hx-confirm.)
 * - Opens <details class="lm-nav-menu"> on wide screens so the nav shows as a bar.
 */
(function () {
  'use strict';

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') : '';
  }

  document.addEventListener('htmx:configRequest', function (e) {
    var token = csrfToken();
    if (token && e.detail && e.detail.headers) e.detail.headers['X-CSRFToken'] = token;
  });

  function ask(text) {
    return !text || window.confirm(text);
  }

  // Forms: the submit button's data-confirm wins over the form's.
  document.addEventListener('submit', function (e) {
    var form = e.target;
    var submitter = e.submitter;
    var text = (submitter && submitter.getAttribute('data-confirm')) || form.getAttribute('data-confirm');
    if (!ask(text)) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);

  // Links and non-submit buttons (capture phase: runs before htmx's own click handlers).
  document.addEventListener('click', function (e) {
    var el = e.target.closest ? e.target.closest('a[data-confirm], button[data-confirm]') : null;
    if (!el || (el.tagName === 'BUTTON' && el.form && (el.type || 'submit') === 'submit')) return;
    if (!ask(el.getAttribute('data-confirm'))) {
      e.preventDefault();
      e.stopPropagation();
    }
  }, true);

  // Navigation menu: a plain bar on wide screens, a disclosure on phones.
  var wide = window.matchMedia ? window.matchMedia('(min-width: 64rem)') : null;
  function syncMenus(root, closeOnNarrow) {
    if (!wide || !root || !root.querySelectorAll) return;
    Array.prototype.forEach.call(root.querySelectorAll('details.lm-nav-menu'), function (d) {
      if (wide.matches) d.open = true;
      else if (closeOnNarrow) d.open = false;
    });
  }
  if (wide) {
    var onChange = function () { syncMenus(document, true); };
    if (wide.addEventListener) wide.addEventListener('change', onChange);
    else if (wide.addListener) wide.addListener(onChange);
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () { syncMenus(document, false); });
  } else {
    syncMenus(document, false);
  }
  document.addEventListener('htmx:load', function (e) { syncMenus(e.target, false); });
})();
