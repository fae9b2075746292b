"""The results page printed (A4 portrait): the controls hidden; the map of both runs, the legend, the
charts and the summary kept; nothing wider than the paper."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from landmosaic.scenarios import demo
from landmosaic.scenarios.models import Run

pytestmark = pytest.mark.browser

#: A4 (210 mm) less Chromium's default print margins (about 10 mm each side), in CSS pixels at 96 dpi.
A4_PRINTABLE_PX = round((210 - 2 * 10) / 25.4 * 96)

#: Elements of ``main`` whose right edge passes the paper, and scroll boxes that would cut their content.
OVERFLOWING = """width => {
    const main = document.querySelector('main');
    const wide = [...main.querySelectorAll('*')].filter(el => {
        const box = el.getBoundingClientRect();
        const inMap = el.closest('.leaflet-pane, .leaflet-control-container');
        return box.width > 0 && box.right > width + 1 && !inMap;
    }).map(el => el.tagName + '.' + el.className);
    const cut = [...main.querySelectorAll('.table-wrap')]
        .filter(el => el.scrollWidth > el.clientWidth + 1).map(el => 'cut ' + el.textContent.slice(0, 60));
    return [...wide, ...cut];
}"""


def test_the_results_page_prints_on_a4_without_its_controls(new_page, settings, tmp_path, shots_dir):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=StringIO())
    run = Run.objects.get(scenario__name=demo.RESTORATION)
    page = new_page(desktop=True)
    page.set_viewport_size({"width": A4_PRINTABLE_PX, "height": 1000})
    page.goto(f"/landscapes/kilombero-valley/scenarios/runs/{run.pk}/results/")
    comparison = page.locator("[data-scn-compare]")
    for pane in ("scn0", "scn1"):
        expect(comparison.locator(f".leaflet-{pane}-pane img.leaflet-tile-loaded").first).to_be_attached()
    # On screen the controls are there (so hiding them below is print's doing).
    for control in ("form.scn-year", ".scn-swipe", ".scn-mode", "[data-scn-compare] .leaflet-control-zoom"):
        expect(page.locator(control)).to_be_visible()

    page.emulate_media(media="print")

    for control in (
        "form.scn-year",
        ".scn-swipe",
        ".scn-mode",
        "[data-scn-compare] .leaflet-control-zoom",
        ".lm-header",
    ):
        expect(page.locator(control)).to_be_hidden()
    for summary in page.locator("main details > summary").all():
        expect(summary).to_be_hidden()
    # What the page is for stays: the summary, the map of both runs with their labels, legend, charts.
    expect(page.locator(".scn-summary li").first).to_be_visible()
    assert page.locator(".scn-summary li").count() >= 3
    expect(page.locator("#maps-title")).to_have_text("Maps of 2040")
    expect(comparison).to_be_visible()
    assert comparison.bounding_box()["height"] > 200
    for pane in ("scn0", "scn1"):
        expect(comparison.locator(f".leaflet-{pane}-pane img.leaflet-tile-loaded").first).to_be_visible()
    expect(comparison.locator(".scn-map-label-left")).to_have_text("Business as usual")
    expect(comparison.locator(".scn-map-label-right")).to_have_text(demo.RESTORATION)
    expect(page.locator(".scn-legend").first).to_be_visible()
    charts = page.locator("figure.scn-chart")
    assert charts.count() >= 3
    for chart in charts.all():
        expect(chart.locator("svg")).to_be_visible()
        expect(chart.locator("table")).to_be_visible()  # its numbers, out of their closed disclosure
        assert chart.bounding_box()["width"] <= A4_PRINTABLE_PX
    expect(page.get_by_role("heading", name="Every class in 2040")).to_be_visible()

    # Nothing passes the paper's width, and no table is cut at the edge.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= A4_PRINTABLE_PX
    assert page.evaluate(OVERFLOWING, A4_PRINTABLE_PX) == []
    page.screenshot(path=str(shots_dir / "scenario-results-print.png"), full_page=True)
    assert not page.js_errors, page.js_errors
