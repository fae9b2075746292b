"""The demo's results side by side: two maps that move together, on a phone and on a wide screen."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from landmosaic.scenarios import demo
from landmosaic.scenarios.models import Run
from tests.browser.test_accessibility import assert_basic_accessibility

pytestmark = pytest.mark.browser

VIEW = "el => { const c = el._lmMap.getCenter(); return [c.lat, c.lng, el._lmMap.getZoom()]; }"


def tiles_of(map_, dataset, version: int):
    return map_.locator(f"img.leaflet-tile-loaded[src*='/{dataset.slug}/versions/{version}/tiles/']")


def view_of(map_) -> list[float]:
    return map_.evaluate(VIEW)


def wait_until_panned_together(page, before: list[float]) -> None:
    """Until the first map has left ``before`` and both maps rest on the same view: the same view at
    three polls in a row, since a pan is animated and the maps may meet for a moment while it runs."""
    page.wait_for_function(
        """before => {
            const a = document.querySelector('[data-scn-compare]')._lmMap;
            const b = document.querySelector('[data-scn-side]')._lmMap;
            const [ca, cb] = [a.getCenter(), b.getCenter()];
            const together = ca.lng !== before[1] && a.getZoom() === b.getZoom()
                && Math.abs(ca.lat - cb.lat) < 1e-9 && Math.abs(ca.lng - cb.lng) < 1e-9;
            const view = `${ca.lat},${ca.lng},${a.getZoom()}`;
            window._lmRest = together && window._lmRestView === view ? (window._lmRest || 0) + 1 : 0;
            window._lmRestView = view;
            return window._lmRest >= 2;
        }""",
        arg=before,
        polling=100,
    )


def assert_same_view(first, second) -> None:
    (lat1, lng1, zoom1), (lat2, lng2, zoom2) = view_of(first), view_of(second)
    assert zoom1 == zoom2
    assert (lat1, lng1) == (pytest.approx(lat2, abs=1e-6), pytest.approx(lng2, abs=1e-6))


@pytest.fixture
def runs(settings, tmp_path) -> tuple[Run, Run]:
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=StringIO())
    restoration = Run.objects.get(scenario__name=demo.RESTORATION)
    bau = Run.objects.get(scenario__scenario_set=restoration.scenario.scenario_set, scenario__kind="bau")
    return bau, restoration


def test_side_by_side_on_a_phone_stacks_two_maps_that_move_together(page, runs, shots_dir):
    bau, restoration = runs
    url = f"/landscapes/kilombero-valley/scenarios/runs/{restoration.pk}/results/"
    page.goto(url)
    first, second = page.locator("[data-scn-compare]"), page.locator("[data-scn-side]")
    expect(second).to_be_hidden()
    page.get_by_label("Side by side").check()
    assert page.url.endswith("?compare=side")
    expect(second).to_be_visible()
    expect(page.get_by_label("Slide to compare")).to_be_hidden()
    # Each map shows its own run: business as usual on the first, the scenario on the second.
    expect(tiles_of(first, bau.landcover_dataset, 20).first).to_be_attached()
    expect(tiles_of(second, restoration.landcover_dataset, 20).first).to_be_attached()
    expect(tiles_of(first, restoration.landcover_dataset, 20)).to_have_count(0)
    expect(second.locator(".scn-map-label")).to_have_text(demo.RESTORATION)
    # Stacked on a phone: the second map under the first, as wide, nothing wider than the screen.
    top, bottom = first.bounding_box(), second.bounding_box()
    assert bottom["y"] >= top["y"] + top["height"] and bottom["width"] == pytest.approx(top["width"], abs=1)
    assert_same_view(first, second)

    # Zooming in on one map zooms the other; panning the other pans the first.
    zoom = view_of(first)[2]
    first.locator(".leaflet-control-zoom-in").click()
    page.wait_for_function(f"() => document.querySelector('[data-scn-side]')._lmMap.getZoom() === {zoom + 1}")
    before = view_of(first)
    second.focus()
    page.keyboard.press("ArrowLeft")  # Leaflet's keyboard panning, on the second map
    wait_until_panned_together(page, before)
    assert view_of(first)[:2] != before[:2]
    assert_same_view(first, second)

    # The year slider moves both maps to that year.
    year = page.get_by_label("Year", exact=True)
    year.focus()
    page.keyboard.press("Home")
    expect(tiles_of(first, bau.landcover_dataset, 1).first).to_be_attached()
    expect(tiles_of(second, restoration.landcover_dataset, 1).first).to_be_attached()
    assert "compare=side" in page.url and "year=2021" in page.url
    assert_basic_accessibility(page)
    page.screenshot(path=str(shots_dir / "scenario-results-side-by-side-phone.png"), full_page=True)

    # Back to the swipe: one map, the divider's control, and the address forgets the choice.
    page.get_by_label("Swipe").check()
    expect(second).to_be_hidden()
    expect(page.get_by_label("Slide to compare")).to_be_visible()
    expect(first.locator(".leaflet-scn1-pane img.leaflet-tile-loaded").first).to_be_attached()
    assert "compare" not in page.url


def test_side_by_side_on_a_wide_screen_puts_the_maps_in_two_columns(desktop_page, runs):
    page = desktop_page
    bau, restoration = runs
    page.goto(f"/landscapes/kilombero-valley/scenarios/runs/{restoration.pk}/results/?compare=side")
    first, second = page.locator("[data-scn-compare]"), page.locator("[data-scn-side]")
    # The address's choice is kept: side by side from the start.
    expect(page.get_by_label("Side by side")).to_be_checked()
    expect(second).to_be_visible()
    expect(tiles_of(first, bau.landcover_dataset, 20).first).to_be_attached()
    expect(tiles_of(second, restoration.landcover_dataset, 20).first).to_be_attached()
    left, right = first.bounding_box(), second.bounding_box()
    assert right["y"] == pytest.approx(left["y"], abs=1) and right["x"] >= left["x"] + left["width"]
    assert_same_view(first, second)

    # Dragging the second map with the mouse pans the first.
    before = view_of(first)
    second.scroll_into_view_if_needed()
    box = second.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 150, y - 80, steps=10)
    page.mouse.up()
    wait_until_panned_together(page, before)
    assert not page.js_errors
