"""Issue 4's "Done means" from real maps: an editor uploads the real Lausanne land-use pair (250 m, 2006
and 2012) to the landscape's data commons, builds a scenario set in the pages (classes named and given
their kind of land, a carbon table imported), adds a restoration scenario whose zone is drawn with the
mouse, runs business as usual and the restoration; a French-speaking member of the community then opens
the results on a phone: both runs' tiles, the year slider, the swipe, the charts and a summary in French.

Every job (ingests, runs) runs in the request that starts it (the test settings' immediate backend)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import numpy as np
import pytest
import rasterio
from playwright.sync_api import expect
from pyproj import Transformer

from landmosaic.core.permissions import Role, Visibility
from landmosaic.datasets.models import Dataset
from landmosaic.scenarios.models import Run, Scenario
from tests.browser.helpers import controls_without_name, draw_polygon, images_without_alt, sign_in
from tests.factories import LandscapeFactory, member

pytestmark = pytest.mark.browser

LAUSANNE = Path("/work/shared/data/real/lausanne")
FILES = ("ls250_06.tif", "ls250_12.tif")
ARABLE, BROADLEAVED, CONIFEROUS, MIXED = 12, 23, 24, 25  # the maps' CORINE-like class codes
RESTORATION = "Reboiser le plateau"
HECTARES_PER_YEAR = 150
HORIZON = 10


def arable_centre() -> tuple[float, float]:
    """Longitude and latitude of the middle of the arable land in 2012: the drawing map opens on it."""
    with rasterio.open(LAUSANNE / FILES[1]) as source:
        rows, cols = np.nonzero(source.read(1) == ARABLE)
        x, y = source.xy(int(np.median(rows)), int(np.median(cols)))
        lon, lat = Transformer.from_crs(source.crs, "EPSG:4326", always_xy=True).transform(x, y)
    return round(lon, 5), round(lat, 5)


def pools_csv(codes: list[int]) -> bytes:
    """Indicative carbon densities (Mg C/ha): forests hold most, arable land little, the rest a little."""
    forest = {BROADLEAVED: 120, CONIFEROUS: 110, MIXED: 115}
    rows = [f"{c},{forest.get(c, 5 if c == ARABLE else 10)},30,60,5" for c in codes]
    return ("lucode,c_above,c_below,c_soil,c_dead\n" + "\n".join(rows) + "\n").encode()


@pytest.mark.skipif(not (LAUSANNE / FILES[0]).exists(), reason=f"real Lausanne maps not found at {LAUSANNE}")
def test_from_two_real_maps_to_a_french_phone_comparing_restoration_with_business_as_usual(
    new_page, settings, tmp_path, shots_dir
):
    started = time.monotonic()
    settings.MEDIA_ROOT = tmp_path
    lon, lat = arable_centre()
    landscape = LandscapeFactory(
        name="Gros-de-Vaud",
        slug="gros-de-vaud",
        visibility=Visibility.PRIVATE,
        centroid_lon=lon,
        centroid_lat=lat,
        bbox_west=6.29,
        bbox_south=46.45,
        bbox_east=6.91,
        bbox_north=46.75,
    )
    editor = member(landscape, Role.EDITOR, name="Léa Editor", language="en")
    community = member(landscape, Role.MEMBER, name="Jean Membre", language="fr")
    page = new_page(desktop=True)  # the editor draws the zone with the mouse

    # 1. The two real maps into the data commons, through the upload form; each ingest runs as a job.
    sign_in(page, editor.email)
    page.goto(f"/landscapes/{landscape.slug}/data/")
    page.get_by_role("link", name="Upload data").click()
    page.locator("input[type=file]").set_input_files(
        [{"name": n, "mimeType": "image/tiff", "buffer": (LAUSANNE / n).read_bytes()} for n in FILES]
    )
    page.locator("main form").get_by_role("button", name="Upload").click()
    for name in FILES:
        section = page.locator("section", has_text=name)
        expect(section.get_by_role("link", name=re.compile("^Open"))).to_be_visible(timeout=30_000)
    first, second = (
        Dataset.objects.get(landscape=landscape, current_version__original_filename=n) for n in FILES
    )
    uploaded = time.monotonic()

    # 2. The scenario set, from the scenarios page.
    page.goto(f"/landscapes/{landscape.slug}/scenarios/new/")
    form = page.locator("main form")
    form.get_by_label("Title").fill("Lausanne 2006-2012")
    form.get_by_label("First land-cover map").select_option(str(first.pk))
    form.get_by_label("Year of the first map").fill("2006")
    form.get_by_label("Second, later land-cover map").select_option(str(second.pk))
    form.get_by_label("Year of the second map").fill("2012")
    form.get_by_label("Years to project").fill(str(HORIZON))
    # Not one of the global products the form knows: numbered classes, named below.
    form.get_by_label("Legend of the maps").select_option("custom")
    form.get_by_role("button", name="Create the scenario set").click()
    expect(page.locator(".messages")).to_contain_text("Scenario set created.")
    set_url = page.url

    # 3. Classes mapped: names and kinds of land (what counts as restoration), the maps' own colours kept.
    legend = page.locator("#legend form")
    for code, name, role in (
        (ARABLE, "Arable land", "farmed"),
        (BROADLEAVED, "Broad-leaved forest", "natural"),
        (CONIFEROUS, "Coniferous forest", "natural"),
        (MIXED, "Mixed forest", "natural"),
    ):
        legend.locator(f"#id_name_{code}").fill(name)
        legend.locator(f"#id_role_{code}").select_option(role)
    expect(legend.locator(f"#id_colour_{ARABLE}")).to_have_value("#ffffa8")  # from the GeoTIFF's palette
    legend.get_by_role("button", name="Save the legend").click()
    expect(page.locator(".messages")).to_be_visible()
    ids = page.locator("#legend form input[id^=id_name_]").evaluate_all("els => els.map(e => e.id)")
    codes = [int(i.removeprefix("id_name_")) for i in ids]
    assert len(codes) == 21

    # The carbon table, imported from a CSV file.
    pools = page.locator("#carbon_pools")
    pools.locator("form.scn-import input[type=file]").set_input_files(
        {"name": "pools.csv", "mimeType": "text/csv", "buffer": pools_csv(codes)}
    )
    pools.get_by_role("button", name="Import and replace").click()
    expect(page.locator(".messages")).to_be_visible()
    expect(page.locator(f"#carbon_pools input[name=c_above_{BROADLEAVED}]")).to_have_value("120")

    # 4. A restoration scenario: arable land back to broad-leaved forest inside a zone drawn on the map.
    new = page.locator("form.scn-new")
    new.get_by_label("Name").fill(RESTORATION)
    new.get_by_role("button", name="Add the scenario").click()
    page.locator("input[name=kind][value=restore]").check()
    page.locator("#id_from_class").select_option(str(ARABLE))
    page.locator("#id_to_class").select_option(str(BROADLEAVED))
    page.locator("#id_hectares_per_year").fill(str(HECTARES_PER_YEAR))
    box = page.locator("[data-lm-draw]").bounding_box()
    cx, cy = box["width"] / 2, box["height"] / 2
    draw_polygon(page, [(cx - 90, cy - 40), (cx + 90, cy - 40), (cx + 90, cy + 110), (cx - 90, cy + 110)])
    expect(page.locator("#id_zone")).to_have_value(re.compile("Polygon"))
    page.get_by_role("button", name="Add the intervention").click()
    expect(page.locator(".scn-interventions li")).to_have_count(1)
    restoration = Scenario.objects.get(scenario_set__landscape=landscape, name=RESTORATION)
    assert restoration.interventions[0]["zone_source"]["type"] == "drawn"
    built = time.monotonic()

    # 5. Both scenarios run from the set's page (each run is a job: 10 yearly COGs and a table).
    for name in ("Business as usual", RESTORATION):
        page.goto(set_url)
        item = page.locator("#scenarios li.stack", has=page.get_by_role("link", name=name, exact=True))
        item.get_by_role("button", name="Run", exact=True).click()
        page.wait_for_load_state()
    runs = {r.scenario.kind: r for r in Run.objects.filter(scenario__scenario_set__landscape=landscape)}
    for run in runs.values():
        assert run.succeeded, run.error
    bau, alternative = runs[Scenario.Kind.BAU], runs[Scenario.Kind.ALTERNATIVE]
    restored = alternative.indicators["restored_ha_year"]
    assert all(r >= HECTARES_PER_YEAR - 6.25 for r in restored[1:])  # to within a 250 m cell
    ran = time.monotonic()

    # 6. A member of the community who reads French opens the results on a phone.
    phone = new_page()
    sign_in(phone, community.email)
    tiles: list[str] = []
    phone.on("response", lambda r: tiles.append(r.url) if "/tiles/" in r.url and r.status == 200 else None)
    phone.goto(f"/landscapes/{landscape.slug}/scenarios/runs/{alternative.pk}/results/")
    expect(phone.locator("html")).to_have_attribute("lang", "fr")
    expect(phone.locator("#summary-title")).to_have_text("Ce qui change")
    summary = phone.locator(".scn-summary")
    expect(summary).to_contain_text("Stock de carbone")
    expect(summary).to_contain_text("par rapport au scénario tendanciel")
    expect(summary).to_contain_text(re.compile(r"ha restaurés d'ici 2022"))
    comparison = phone.locator("[data-scn-compare]")
    expect(comparison).to_have_class(re.compile("leaflet-container"))
    expect(comparison.locator(".scn-map-label-left")).to_have_text("Scénario tendanciel")
    expect(comparison.locator(".scn-map-label-right")).to_have_text(RESTORATION)
    for pane, run in (("scn0", bau), ("scn1", alternative)):
        slug = run.landcover_dataset.slug
        final = comparison.locator(
            f".leaflet-{pane}-pane img.leaflet-tile-loaded[src*='/{slug}/versions/{HORIZON}/']"
        )
        expect(final.first).to_be_attached()

    # The year slider: the first projected year on both maps, without reloading the page.
    year = phone.locator("#id_year")
    year.focus()
    phone.keyboard.press("Home")
    expect(phone.locator("form.scn-year output")).to_have_text("2013")
    expect(phone.locator("#maps-title")).to_have_text("Cartes de 2013")
    for pane, run in (("scn0", bau), ("scn1", alternative)):
        slug = run.landcover_dataset.slug
        expect(
            comparison.locator(
                f".leaflet-{pane}-pane img.leaflet-tile-loaded[src*='/{slug}/versions/1/']"
            ).first
        ).to_be_attached()
    assert phone.url.endswith("?year=2013")

    # The swipe: labelled in French, it moves the divider.
    swipe = phone.get_by_label(re.compile("^Faites glisser pour comparer"))
    swipe.fill("30")
    expect(comparison).to_have_attribute("data-swipe", "30")
    width = comparison.evaluate("el => el.clientWidth")
    divider, box = comparison.locator(".scn-divider").bounding_box(), comparison.bounding_box()
    assert divider["x"] - box["x"] == pytest.approx(0.3 * width, abs=3)

    # The charts, titled in French, each an SVG with its numbers.
    expect(phone.locator("#charts-title")).to_have_text("Au fil du temps")
    charts = phone.locator("figure.scn-chart")
    assert charts.count() >= 3
    for index in range(charts.count()):
        expect(charts.nth(index).locator("svg")).to_be_visible()
    expect(phone.locator("main")).to_contain_text("Stock de carbone (Mg C)")
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    # Read with a screen reader too: one heading, every control and image named.
    expect(phone.locator("h1")).to_have_count(1)
    assert controls_without_name(phone) == [] and images_without_alt(phone) == []
    assert not phone.js_errors, phone.js_errors
    phone.screenshot(path=str(shots_dir / "scenario-lausanne-results-fr-phone.png"), full_page=True)
    finished = time.monotonic()
    print(
        f"\njourney: upload+ingest {uploaded - started:.1f} s, build {built - uploaded:.1f} s, "
        f"runs {ran - built:.1f} s, results page {finished - ran:.1f} s, total {finished - started:.1f} s; "
        f"{len(tiles)} tiles"
    )
