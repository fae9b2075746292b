"""Accessibility smoke checks at phone size (no axe-core: a few rules checked in the page itself)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from landmosaic.core.permissions import Role
from tests.factories import LandscapeFactory, UserFactory, member

from .helpers import controls_without_name, images_without_alt, sign_in

pytestmark = pytest.mark.browser


def assert_basic_accessibility(page) -> None:
    expect(page.locator("h1")).to_have_count(1)
    assert controls_without_name(page) == []
    assert images_without_alt(page) == []
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.title().strip()
    # Nothing is wider than the phone screen (no sideways scrolling).
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert not page.js_errors


def test_landscape_page_and_directory_at_phone_size(page, live_server):
    landscape = LandscapeFactory(
        name="Usambara Mountains", visibility="public", description="Forest and farms."
    )
    member(landscape, Role.MANAGER)
    LandscapeFactory(name="Rufiji Delta", visibility="public")
    # A signed-in outsider sees the most controls on a public landscape: the "ask to join" form.
    sign_in(page, UserFactory().email)

    page.goto(f"/landscapes/{landscape.slug}/")
    expect(page.locator("[data-lm-map]")).to_have_class(re.compile(r"leaflet-container"))
    expect(page.get_by_label("Message to the managers (optional)")).to_be_visible()
    assert_basic_accessibility(page)

    page.goto("/landscapes/")
    expect(page.locator("#directory-results")).to_contain_text("2 landscapes")
    expect(page.locator("[data-lm-map] path.leaflet-interactive")).to_have_count(2)
    assert_basic_accessibility(page)


def test_static_files_are_served_by_the_live_server(page, live_server):
    for path in (
        "/static/landmosaic/app.css",
        "/static/landmosaic/map.js",
        "/static/vendor/leaflet/leaflet.js",
        "/static/vendor/geoman/leaflet-geoman.min.js",
        "/static/vendor/htmx/htmx.min.js",
    ):
        response = page.request.get(path)
        assert response.status == 200, path
        assert len(response.body()) > 100, path
