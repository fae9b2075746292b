"""Small steps shared by the browser journeys."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.factories import PASSWORD


def open_menu(page: Page):
    """Open the header menu (a <details> disclosure on phones; app.js opens it on wide screens)."""
    menu = page.locator("details.lm-nav-menu")
    if not menu.evaluate("el => el.open"):
        menu.locator("summary").click()
    nav = menu.locator("nav.lm-nav")
    expect(nav).to_be_visible()
    return nav


def sign_in(page: Page, email: str, password: str = PASSWORD, *, next_url: str = "") -> None:
    """Sign in through the login form, as a person would."""
    page.goto("/accounts/login/" + (f"?next={next_url}" if next_url else ""))
    form = page.locator("main form")
    form.get_by_label("Email address").fill(email)
    form.get_by_label("Password").fill(password)
    form.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def sign_out(page: Page) -> None:
    open_menu(page)
    # Located by the form's action rather than its label, which changes with the language.
    page.locator("form[action='/accounts/logout/'] button[type=submit]").click()
    page.wait_for_load_state()


def assert_signed_in_as(page: Page, name: str) -> None:
    nav = open_menu(page)
    expect(nav.get_by_role("link", name=name)).to_be_visible()
    expect(nav.get_by_role("button", name="Sign out")).to_be_visible()


def draw_polygon(page: Page, points: list[tuple[int, int]], *, touch: bool = False) -> None:
    """Draw a polygon with leaflet-geoman on the drawing map: tap/click the corners, then the first again.

    Points are offsets in the map's box; keep them in its lower part, away from geoman's action bar.
    """
    draw_map = page.locator("[data-lm-draw]")
    expect(draw_map).to_have_class(re.compile(r"leaflet-container"))
    draw_map.locator(".leaflet-pm-icon-polygon").click()
    expect(draw_map.locator(".leaflet-pm-toolbar .active")).to_have_count(1)
    box = draw_map.bounding_box()
    assert box is not None
    for x, y in [*points, points[0]]:
        assert x < box["width"] and y < box["height"], f"corner ({x}, {y}) is outside the map {box}"
        if touch:
            page.touchscreen.tap(box["x"] + x, box["y"] + y)
        else:
            page.mouse.click(box["x"] + x, box["y"] + y)
        page.wait_for_timeout(400 if touch else 100)


def controls_without_name(page: Page) -> list[str]:
    """Form controls that assistive technology cannot name (no label, aria-label(ledby) or title)."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('input, select, textarea'))
            .filter(el => el.type !== 'hidden' && !el.hidden)
            .filter(el => {
              const labelled = el.labels && Array.from(el.labels).some(l => l.textContent.trim());
              const aria = (el.getAttribute('aria-label') || '').trim();
              const ids = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
              const byIds = ids.some(id => (document.getElementById(id)?.textContent || '').trim());
              const title = (el.getAttribute('title') || '').trim();
              return !(labelled || aria || byIds || title);
            })
            .map(el => el.outerHTML.slice(0, 160))"""
    )


def images_without_alt(page: Page) -> list[str]:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('img'))
            .filter(img => !img.hasAttribute('alt'))
            .map(img => img.outerHTML.slice(0, 160))"""
    )
