"""Private landscapes stay hidden from outsiders in the browser; names are shown as text, never run."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from landmosaic.core.permissions import Role
from tests.factories import LandscapeFactory, UserFactory, member

from .helpers import sign_in

pytestmark = pytest.mark.browser

XSS = "<script>alert(1)</script>"


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "outsider"])
def test_outsider_gets_404_for_a_private_landscape_and_its_api(page, live_server, signed_in):
    landscape = LandscapeFactory(name="Secret Wetland", visibility="private")
    member(landscape, Role.MANAGER)
    if signed_in:
        sign_in(page, UserFactory().email)

    response = page.goto(f"/landscapes/{landscape.slug}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    expect(page.locator("body")).not_to_contain_text("Secret Wetland")
    expect(page.locator("[data-lm-map]")).to_have_count(0)

    # The API in the same browser (its session cookie goes along).
    response = page.goto(f"/api/v1/landscapes/{landscape.slug}")
    assert response is not None and response.status == 404
    body = page.locator("body").inner_text()
    assert json.loads(body)["error"]["code"] == "not_found"
    assert "Secret Wetland" not in body

    # Nor does it leak through the directory or its map points.
    page.goto("/landscapes/")
    expect(page.locator("#directory-results")).to_contain_text("0 landscapes")
    points = page.goto("/landscapes/points.geojson")
    assert points is not None and points.status == 200
    assert "Secret Wetland" not in page.locator("body").inner_text()


def test_a_script_in_a_landscape_name_is_shown_as_text(page, live_server):
    landscape = LandscapeFactory(
        name=XSS, slug="script-landscape", visibility="public", description=f"Described as {XSS} too."
    )
    manager = member(landscape, Role.MANAGER)
    dialogs: list[str] = []

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    sign_in(page, manager.email)

    page.goto(f"/landscapes/{landscape.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(XSS)
    expect(page.locator("main")).to_contain_text(f"Described as {XSS} too.")
    assert XSS in page.title()
    # The map (which parses the boundary from a json_script block) still works.
    expect(page.locator("[data-lm-map] svg path.leaflet-interactive")).to_have_count(1)

    page.goto(f"/landscapes/{landscape.slug}/members/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Members of {XSS}")

    page.goto("/landscapes/")
    expect(page.locator(".card-list").get_by_role("link", name=XSS)).to_be_visible()
    # The directory map's popup shows the name as text too.
    marker = page.locator("[data-lm-map] path.leaflet-interactive")
    expect(marker).to_have_count(1)
    marker.dispatch_event("click")
    expect(page.locator(".leaflet-popup-content a")).to_have_text(XSS)

    page.wait_for_timeout(200)
    assert dialogs == []
    assert not page.js_errors
    # No element was injected: the only <script> elements are the page's own.
    injected = page.evaluate(
        "() => Array.from(document.scripts).filter(s => s.textContent.includes('alert(1)')).length"
    )
    assert injected == 0
