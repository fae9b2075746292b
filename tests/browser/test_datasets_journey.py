"""The data commons' "Done means", in a real browser on a phone: an editor uploads a zipped Shapefile,
a spreadsheet of field points and a GeoTIFF, follows each ingest, previews them on a map and in a
table, downloads a GeoPackage and the raster's Cloud-Optimised GeoTIFF; a manager makes one public;
an anonymous GIS client lists only that one through /ogc/."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
import shapely
from playwright.sync_api import expect

from landmosaic.core.permissions import Role, Visibility
from landmosaic.datasets.models import Dataset
from tests.browser.helpers import sign_in, sign_out
from tests.core.geo.builders import zipped_shapefile
from tests.datasets.builders import points_csv
from tests.datasets.test_raster import classes_array, tiff_bytes
from tests.factories import LandscapeFactory, member

pytestmark = pytest.mark.browser

NATURAL_EARTH = Path("/work/shared/data/real/naturalearth_lowres")
LAUSANNE_LAND_USE = Path("/work/shared/data/real/lausanne/ls250_06.tif")


def generated_shapefile() -> bytes:
    parcels = [shapely.box(36.0 + i * 0.1, -4.0, 36.08 + i * 0.1, -3.92) for i in range(3)]
    return zipped_shapefile(parcels, stem="parcels")


def natural_earth_shapefile() -> bytes:
    if not NATURAL_EARTH.exists():
        pytest.skip(f"real data not found at {NATURAL_EARTH}")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in sorted(NATURAL_EARTH.iterdir()):
            archive.write(part, f"parcels{part.suffix}")
    return buffer.getvalue()


def generated_geotiff() -> bytes:
    return tiff_bytes(classes_array((240, 280)))


def real_geotiff() -> bytes:
    if not LAUSANNE_LAND_USE.exists():
        pytest.skip(f"real data not found at {LAUSANNE_LAND_USE}")
    return LAUSANNE_LAND_USE.read_bytes()


@pytest.mark.parametrize(
    ("shapefile", "geotiff"),
    [(generated_shapefile, generated_geotiff), (natural_earth_shapefile, real_geotiff)],
    ids=["generated", "real"],
)
def test_an_editor_uploads_previews_downloads_and_a_manager_shares(
    page, new_page, shots_dir, tmp_path, shapefile, geotiff
):
    data = shapefile()
    landscape = LandscapeFactory(name="Usambara Hills", slug="usambara", visibility=Visibility.PRIVATE)
    editor = member(landscape, Role.EDITOR, name="Neema Editor")
    manager = member(landscape, Role.MANAGER, name="Amina Manager")

    # The editor opens the landscape's data page and uploads both files through the form.
    sign_in(page, editor.email)
    page.goto(f"/landscapes/{landscape.slug}/data/")
    page.get_by_role("link", name="Upload data").click()
    page.locator("input[type=file]").set_input_files(
        [
            {"name": "parcels.zip", "mimeType": "application/zip", "buffer": data},
            {"name": "field-points.csv", "mimeType": "text/csv", "buffer": points_csv()},
            {"name": "landcover.tif", "mimeType": "image/tiff", "buffer": geotiff()},
        ]
    )
    page.locator("main form").get_by_role("button", name="Upload").click()

    # One progress bar per file, each until its dataset can be opened.
    expect(page.get_by_role("heading", name="Your uploads")).to_be_visible()
    names = ("parcels.zip", "field-points.csv", "landcover.tif")
    sections = {name: page.locator("section", has_text=name) for name in names}
    for section in sections.values():
        expect(section.locator("progress")).to_be_visible()
        expect(section.get_by_role("link", name=re.compile("^Open"))).to_be_visible(timeout=30_000)
    page.screenshot(path=str(shots_dir / "datasets-progress-phone.png"), full_page=True)
    assert Dataset.objects.filter(landscape=landscape).count() == 3

    # The GeoTIFF: archived as a Cloud-Optimised GeoTIFF, drawn on the map, its classes listed.
    sections["landcover.tif"].get_by_role("link", name=re.compile("^Open")).click()
    expect(page.locator(".leaflet-container")).to_be_visible()
    expect(page.get_by_role("heading", name="Classes")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="Cloud-Optimised GeoTIFF", exact=True).click()
    target = tmp_path / "landcover.tif"
    info.value.save_as(target)
    assert target.read_bytes()[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00")
    page.go_back()

    # The points: a map with circle markers and the table of the first rows.
    sections["field-points.csv"].get_by_role("link", name=re.compile("^Open")).click()
    points_url = page.url
    expect(page.locator(".leaflet-container")).to_be_visible()
    expect(page.locator(".leaflet-container path.leaflet-interactive")).to_have_count(3)
    expect(page.locator("#preview-caption")).to_contain_text("3")
    expect(page.locator("table").first).to_contain_text("Well A")

    # The parcels: drawn on the map, described in the table, downloaded as a GeoPackage.
    page.go_back()
    sections["parcels.zip"].get_by_role("link", name=re.compile("^Open")).click()
    parcels_url = page.url
    expect(page.locator(".leaflet-container path.leaflet-interactive").first).to_be_attached()
    expect(page.locator("#preview-caption")).to_be_visible()
    expect(page.get_by_role("heading", name="Use in QGIS / GIS software")).to_be_visible()
    parcels = Dataset.objects.get(landscape=landscape, current_version__original_filename="parcels.zip")
    expect(page.locator("[data-ogc-url]")).to_have_text(
        re.compile(rf"/ogc/collections/{landscape.slug}\.{parcels.slug}$")
    )
    page.screenshot(path=str(shots_dir / "datasets-detail-phone.png"), full_page=True)
    with page.expect_download() as info:
        page.get_by_role("link", name="GeoPackage", exact=True).click()
    target = tmp_path / "parcels.gpkg"
    info.value.save_as(target)
    assert target.read_bytes().startswith(b"SQLite format 3")
    assert not page.js_errors, page.js_errors
    sign_out(page)

    # Sharing is a manager's call: the manager makes the parcels public.
    sign_in(page, manager.email)
    page.goto(parcels_url)
    page.get_by_role("link", name="Sharing").click()
    page.get_by_label("Public: anyone").check()
    page.locator("main form").first.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Sharing settings saved.")
    assert page.url == parcels_url

    # An anonymous GIS client lists the public layer through /ogc/, and not the private one.
    anonymous = new_page()
    listing = anonymous.request.get("/ogc/collections", headers={"Accept": "application/json"})
    assert listing.ok
    ids = [c["id"] for c in listing.json()["collections"]]
    points = Dataset.objects.get(
        landscape=landscape, kind="vector", current_version__original_filename="field-points.csv"
    )
    assert ids == [f"{landscape.slug}.{parcels.slug}"]
    items = anonymous.request.get(
        f"/ogc/collections/{ids[0]}/items?limit=2", headers={"Accept": "application/geo+json"}
    )
    assert items.ok and len(items.json()["features"]) == 2
    for path in (f"/ogc/collections/{landscape.slug}.{points.slug}", points_url):
        assert anonymous.request.get(path, headers={"Accept": "application/json"}).status == 404, path
