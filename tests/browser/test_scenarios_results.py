"""The demo's scenario results on a phone: tiles of each year, the year slider, the swipe, the summary."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from landmosaic.landscapes.demo import DEMO_PASSWORD
from landmosaic.scenarios import demo
from landmosaic.scenarios.models import Run
from tests.browser.helpers import sign_in
from tests.browser.test_accessibility import assert_basic_accessibility

pytestmark = pytest.mark.browser


def clip_of(pane) -> list[float]:
    return [float(v) for v in re.findall(r"(-?[\d.]+)px", pane.evaluate("el => el.style.clip"))]


def test_a_newcomer_compares_restoration_with_business_as_usual_on_a_phone(
    page, settings, tmp_path, shots_dir
):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=StringIO())
    run = Run.objects.get(scenario__name=demo.RESTORATION)
    tiles: list[str] = []
    page.on("response", lambda r: tiles.append(r.url) if "/tiles/" in r.url and r.status == 200 else None)

    page.goto(f"/landscapes/kilombero-valley/scenarios/runs/{run.pk}/results/")
    expect(page.locator(".scn-summary")).to_contain_text("By 2040")
    comparison = page.locator("[data-scn-compare]")
    expect(comparison).to_have_class(re.compile("leaflet-container"))
    # Both runs' maps of the final year, drawn from their COG versions 20 (2040).
    for pane in ("scn0", "scn1"):
        expect(comparison.locator(f".leaflet-{pane}-pane img.leaflet-tile-loaded").first).to_be_attached()
    assert any("/versions/20/tiles/" in url for url in tiles)
    expect(comparison.locator(".scn-map-label-left")).to_have_text("Business as usual")
    expect(comparison.locator(".scn-map-label-right")).to_have_text(demo.RESTORATION)

    # The year slider swaps every map to that year without reloading the page.
    year = page.get_by_label("Year", exact=True)
    year.focus()
    page.keyboard.press("Home")
    expect(page.locator("form.scn-year output")).to_have_text("2021")
    expect(page.locator("#maps-title")).to_have_text("Maps of 2021")
    first_year = comparison.locator(".leaflet-scn1-pane img.leaflet-tile-loaded[src*='/versions/1/tiles/']")
    expect(first_year.first).to_be_attached()
    assert page.url.endswith("?year=2021")
    expect(page.get_by_role("button", name="Show this year")).to_be_hidden()

    # The swipe moves the divider: business as usual to its left, restoration to its right.
    swipe = page.get_by_label(re.compile("Slide to compare"))
    swipe.fill("20")
    expect(comparison).to_have_attribute("data-swipe", "20")
    # Each pane is clipped at the divider: rect(top, right, bottom, left) in the map's layer pixels.
    _top, left_right, _bottom, left_left = clip_of(comparison.locator(".leaflet-scn0-pane"))
    _top, right_right, _bottom, right_left = clip_of(comparison.locator(".leaflet-scn1-pane"))
    assert left_right == pytest.approx(right_left)
    assert (left_right - left_left) / (right_right - left_left) == pytest.approx(0.2, abs=0.01)
    width = comparison.evaluate("el => el.clientWidth")
    divider = comparison.locator(".scn-divider").bounding_box()
    box = comparison.bounding_box()
    assert divider["x"] - box["x"] == pytest.approx(0.2 * width, abs=3)

    # A phone reads it: one heading, nothing wider than the screen, every control named, no script error.
    assert_basic_accessibility(page)
    page.screenshot(path=str(shots_dir / "scenario-results-phone.png"), full_page=True)

    # The editor's set page, with every form (drivers, land that never changes, areas, hindcast).
    sign_in(page, "editor@demo.landmosaic.org", DEMO_PASSWORD)
    page.goto(run.scenario.scenario_set.get_absolute_url())
    for section in ("#drivers", "#no-change", "#zones", "#hindcast"):
        expect(page.locator(section)).to_be_visible()
    expect(page.get_by_label("80 Permanent water bodies")).to_be_visible()
    assert_basic_accessibility(page)
    duplicates = "() => { const ids = [...document.querySelectorAll('[id]')].map(e => e.id); " \
                 "return ids.filter((id, i) => ids.indexOf(id) !== i); }"
    assert page.evaluate(duplicates) == []  # every label points at its own control
