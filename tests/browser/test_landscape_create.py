"""Journey: create a landscape on a phone, drawing its boundary with taps."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from landmosaic.core.permissions import Role
from landmosaic.landscapes.models import Landscape, Membership
from tests.factories import LandscapeFactory, UserFactory, member

from .helpers import draw_polygon, sign_in

pytestmark = pytest.mark.browser

# Corners in the lower part of a ~500 px high map, clear of geoman's Finish/Cancel bar (top right).
CORNERS = [(60, 300), (260, 290), (240, 460), (80, 440)]


def test_create_a_landscape_by_drawing_its_boundary_on_a_phone(page, live_server, shots_dir):
    user = UserFactory(name="Joseph Ole Sankale")
    sign_in(page, user.email)

    # Step 1: the basics.
    page.goto("/landscapes/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Create a landscape")
    expect(page.locator(".wizard-steps [aria-current=step]")).to_have_text("Basics")
    form = page.locator("main form")
    form.get_by_label("Name").fill("Mara Corridor")
    form.get_by_label("Country").select_option("KE")
    form.get_by_label("Description").fill("Wildlife corridor between the Maasai Mara and the conservancies.")
    form.get_by_role("button", name="Save and continue").click()

    # Step 2: the boundary, drawn with taps.
    expect(page).to_have_url(re.compile(r"/landscapes/mara-corridor/boundary/\?wizard=1$"))
    expect(page.locator(".wizard-steps [aria-current=step]")).to_have_text("Boundary")
    expect(page.locator(".messages")).to_contain_text("The landscape is created")
    geometry = page.locator("#id_geometry")
    expect(geometry).to_have_value("")
    page.locator("[data-lm-draw]").scroll_into_view_if_needed()
    draw_polygon(page, CORNERS, touch=True)
    expect(geometry).to_have_value(re.compile(r'"type":"Polygon"'))
    drawn = json.loads(geometry.input_value())
    assert len(drawn["coordinates"][0]) == len(CORNERS) + 1  # closed ring
    page.get_by_role("button", name="Save the drawn boundary").click()

    # Step 3: the profile.
    expect(page).to_have_url(re.compile(r"/landscapes/mara-corridor/profile/\?wizard=1$"))
    expect(page.locator(".messages")).to_contain_text("The boundary is saved.")
    expect(page.locator(".wizard-steps [aria-current=step]")).to_have_text("Profile")
    page.get_by_role("group", name="Ecosystems").get_by_label("Savanna").check()
    page.get_by_role("button", name="Finish").click()

    # The landscape page.
    expect(page).to_have_url(f"{live_server.url}/landscapes/mara-corridor/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mara Corridor")
    expect(page.locator("main")).to_contain_text("Kenya")
    landscape_map = page.get_by_role("region", name="Map of the landscape boundary")
    expect(landscape_map).to_have_class(re.compile(r"leaflet-container"))
    expect(landscape_map.locator("svg path.leaflet-interactive")).to_have_count(1)
    area = page.locator("dt:text-is('Area') + dd")
    expect(area).to_have_text(re.compile(r"^[\d,]+ ha$"))
    expect(page.locator("dt:text-is('Ecosystems') + dd")).to_have_text("Savanna")
    assert not page.js_errors

    landscape = Landscape.objects.get(slug="mara-corridor")
    assert landscape.name == "Mara Corridor"
    assert landscape.country.code == "KE"
    assert landscape.boundary_kind == Landscape.BoundaryKind.POLYGON
    assert landscape.boundary_source == "drawn"
    assert landscape.area_ha and landscape.area_ha > 0
    assert area.inner_text() == f"{landscape.area_ha:,.0f} ha"
    assert landscape.created_by == user
    assert Membership.objects.get(landscape=landscape, user=user).role == Role.MANAGER.slug
    assert list(landscape.ecosystems.values_list("code", flat=True)) == ["savanna"]

    page.wait_for_timeout(300)  # let the map settle before the picture
    page.screenshot(path=str(shots_dir / "landscape-page-phone.png"), full_page=True)
    page.screenshot(path=str(shots_dir / "landscape-page-phone-viewport.png"))


def test_redraw_an_existing_boundary_with_the_mouse(desktop_page, live_server):
    page = desktop_page
    landscape = LandscapeFactory(name="Udzungwa Forests")
    manager = member(landscape, Role.MANAGER)
    old_area = landscape.area_ha
    sign_in(page, manager.email)

    page.goto(f"/landscapes/{landscape.slug}/boundary/")
    draw_map = page.locator("[data-lm-draw]")
    geometry = page.locator("#id_geometry")
    # The saved boundary is loaded into the drawing map.
    expect(draw_map.locator("path.leaflet-interactive")).to_have_count(1)
    expect(geometry).to_have_value(re.compile(r'"type":\s*"Polygon"'))

    # Remove it with the eraser, then draw a new one with the mouse.
    draw_map.locator(".leaflet-pm-icon-delete").click()
    draw_map.locator("path.leaflet-interactive").click()
    expect(draw_map.locator("path.leaflet-interactive")).to_have_count(0)
    expect(geometry).to_have_value("")
    draw_map.locator(".leaflet-pm-icon-delete").click()  # leave removal mode
    draw_polygon(page, [(200, 200), (500, 180), (560, 420), (240, 400)])
    expect(geometry).to_have_value(re.compile(r'"type":"Polygon"'))
    page.get_by_role("button", name="Save the drawn boundary").click()

    expect(page).to_have_url(f"{live_server.url}/landscapes/{landscape.slug}/")
    expect(page.locator(".messages")).to_contain_text("The boundary is saved.")
    expect(page.locator("[data-lm-map] svg path.leaflet-interactive")).to_have_count(1)
    assert not page.js_errors
    landscape.refresh_from_db()
    assert landscape.boundary_kind == Landscape.BoundaryKind.POLYGON
    assert landscape.boundary_source == "drawn"
    assert landscape.area_ha and landscape.area_ha > 0 and landscape.area_ha != old_area
