"""Rasters: GeoTIFF in any CRS -> Cloud-Optimised GeoTIFF, statistics, a quicklook, bad rasters refused."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
import rasterio
from django.test import Client
from PIL import Image
from rasterio.io import MemoryFile
from rasterio.transform import Affine

from landmosaic.core.geo.cog import overview_factors, write_cog
from landmosaic.core.models import Job
from landmosaic.datasets.ingest import IngestError, IngestLimits
from landmosaic.datasets.ingest.raster import raster_part
from tests.datasets.conftest import created, stored_files

LAUSANNE = "real/lausanne/ls100_06.tif"


def tiff_bytes(array: np.ndarray, *, crs: str | None = "EPSG:32737", nodata=None, colormap=None) -> bytes:
    """A GeoTIFF made in memory (UTM 37S by default, 30 m cells near Kilombero)."""
    bands = array if array.ndim == 3 else array[np.newaxis]
    profile = {
        "driver": "GTiff",
        "width": bands.shape[2],
        "height": bands.shape[1],
        "count": bands.shape[0],
        "dtype": bands.dtype.name,
        "transform": Affine(30, 0, 800_000, 0, -30, 9_080_000),
        "nodata": nodata,
    }
    if crs:
        profile["crs"] = crs
    with MemoryFile() as memory:
        with memory.open(**profile) as raster:
            if colormap:
                raster.write_colormap(1, colormap)
            raster.write(bands)
        return memory.read()


def classes_array(shape=(600, 700)) -> np.ndarray:
    rows, cols = np.indices(shape)
    array = (1 + (rows // 100 + cols // 150) % 4).astype(np.uint8)
    array[:50, :50] = 0  # no data
    return array


def part_of(tmp_path: Path, data: bytes, *, filename: str = "landcover.tif", limits=None):
    folder = tmp_path / "work"
    folder.mkdir(exist_ok=True)
    source = tmp_path / "upload.tif"
    source.write_bytes(data)
    return raster_part(
        source, filename=filename, title="Land cover", workdir=folder, limits=limits or IngestLimits()
    )


# --- The COG writer (core.geo, no Django) -----------------------------------------------------


@pytest.mark.parametrize("force_gtiff", [False, True])
def test_cog_writer_tiles_and_adds_overviews_keeping_crs_and_values(tmp_path, force_gtiff):
    source = tmp_path / "plain.tif"
    source.write_bytes(
        tiff_bytes(classes_array(), nodata=0, colormap={1: (255, 0, 0, 255), 2: (0, 0, 255, 255)})
    )
    target = tmp_path / "cog.tif"
    driver = write_cog(source=source, target=target, force_gtiff=force_gtiff)
    assert driver == ("GTiff" if force_gtiff else "COG")
    with rasterio.open(source) as before, rasterio.open(target) as after:
        assert after.crs == before.crs and after.transform == before.transform and after.nodata == 0
        assert after.block_shapes == [(256, 256)] and after.overviews(1) == [2, 4]
        assert np.array_equal(after.read(1), before.read(1))
        assert after.colormap(1)[2][:3] == (0, 0, 255)
        assert after.tags(ns="IMAGE_STRUCTURE")["COMPRESSION"] == "DEFLATE"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("landmosaic-cog-")]


def test_overview_factors_go_down_to_one_tile():
    assert overview_factors((300, 200)) == [2]
    assert overview_factors((5000, 3000)) == [2, 4, 8, 16, 32]
    assert overview_factors((256, 100)) == []


# --- Inspection (no Django) -------------------------------------------------------------------


def test_real_swiss_land_use_raster_is_categorical_with_counts_and_a_quicklook(tmp_path, shared_data):
    part = part_of(tmp_path, (shared_data / LAUSANNE).read_bytes(), filename="ls100_06.tif")
    details = part.details
    assert (part.kind, part.crs, part.normalised_format) == ("raster", "EPSG:2056", "cog")
    assert (details["width"], details["height"], details["bands"], details["dtype"]) == (472, 325, 1, "uint8")
    assert details["nodata"] == 255 and details["resolution"][0] == pytest.approx(100.005, abs=0.01)
    west, south, east, north = part.bbox_4326
    assert 6.2 < west < east < 7.0 and 46.4 < south < north < 46.8
    statistics = details["statistics"]
    values = [c["value"] for c in statistics["classes"]]
    assert statistics["kind"] == "categorical" and 255 not in values and values == sorted(values)
    assert sum(c["count"] for c in statistics["classes"]) == statistics["valid_cells"] == 77289
    # The raster's own colour table colours the classes (class 2 is red in the source).
    assert {c["value"]: c["colour"] for c in statistics["classes"]}[2] == "#ff0000"
    with rasterio.open(part.normalised) as cog:
        assert cog.crs.to_epsg() == 2056 and cog.overviews(1) and cog.block_shapes == [(256, 256)]
    quicklook = details["quicklook"]
    assert part.extras == {"quicklook.png": tmp_path / "work" / "quicklook.png"}
    with Image.open(part.extras["quicklook.png"]) as image:
        assert image.format == "PNG" and image.mode == "RGBA" and max(image.size) <= 512
        assert image.size == (quicklook["width"], quicklook["height"])
        alpha = np.asarray(image)[..., 3]
        assert (alpha == 0).any() and (alpha == 255).any()  # no data is transparent
    assert quicklook["bounds_4326"] == pytest.approx(part.bbox_4326, abs=0.01)


def test_measures_get_minimum_maximum_and_mean(tmp_path):
    elevation = np.linspace(100, 1600, 400 * 300, dtype=np.float32).reshape(300, 400)
    elevation[0, 0] = -9999
    part = part_of(tmp_path, tiff_bytes(elevation, nodata=-9999))
    statistics = part.details["statistics"]
    assert statistics["kind"] == "continuous" and statistics["valid_cells"] == 400 * 300 - 1
    assert statistics["min"] == pytest.approx(100, abs=0.1) and statistics["max"] == 1600
    assert statistics["mean"] == pytest.approx(850, abs=1)
    counts = np.arange(300 * 400, dtype=np.int32).reshape(300, 400)  # integers, but far too many values
    assert part_of(tmp_path, tiff_bytes(counts)).details["statistics"]["kind"] == "continuous"


def test_colour_photos_keep_their_colours_in_the_quicklook(tmp_path):
    rgb = np.zeros((3, 64, 64), dtype=np.uint8)
    rgb[0] = 200
    part = part_of(tmp_path, tiff_bytes(rgb))
    assert part.details["bands"] == 3 and "statistics" not in part.details
    with Image.open(part.extras["quicklook.png"]) as image:
        red, green, _blue, alpha = np.asarray(image)[image.size[1] // 2, image.size[0] // 2]
    assert (red, green, alpha) == (200, 0, 255)


def test_a_tiff_without_crs_is_kept_as_an_image_with_a_warning(tmp_path):
    part = part_of(tmp_path, tiff_bytes(classes_array((40, 40)), crs=None))
    assert part.kind == "document" and [w.code for w in part.warnings] == ["no_crs_raster"]
    assert part.normalised is None and part.details["width"] == 40


def test_a_truncated_tiff_is_refused_as_damaged(tmp_path):
    data = tiff_bytes(np.random.default_rng(1).integers(0, 200, (500, 500), dtype=np.uint8))
    with pytest.raises(IngestError) as info:
        part_of(tmp_path, data[: len(data) // 3], filename="cut.tif")
    assert info.value.code == "corrupt_file" and "cut.tif" in info.value.message


def test_a_raster_over_the_pixel_limit_is_refused_before_any_work(tmp_path):
    with pytest.raises(IngestError) as info:
        part_of(
            tmp_path,
            tiff_bytes(classes_array()),
            filename="huge.tif",
            limits=IngestLimits(max_raster_pixels=1000),
        )
    assert info.value.code == "raster_too_large"
    assert "huge.tif" in info.value.message and "700 × 600" in info.value.message
    assert not list((tmp_path / "work").iterdir())


# --- Through the job, the pages and the downloads ------------------------------------------------


@pytest.fixture
def landcover(private_cast, ingest):
    job = ingest(private_cast.landscape, private_cast.editor, tiff_bytes(classes_array(), nodata=0), "lc.tif")
    return created(job)[0]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_uploaded_geotiff_is_archived_as_cog_and_downloads_as_cog(private_cast, landcover, media):
    version = landcover.current_version
    assert (landcover.kind, version.normalised_format, version.crs) == ("raster", "cog", "EPSG:32737")
    assert version.normalised_path.endswith("/normalised.tif")
    names = sorted(name.rsplit("/", 1)[-1] for name in stored_files(media))
    assert names == ["lc.tif", "normalised.tif", "quicklook.png"]  # and no GDAL side files
    assert [c["value"] for c in version.details["statistics"]["classes"]] == [1, 2, 3, 4]
    url = f"/landscapes/{private_cast.landscape.slug}/data/{landcover.slug}/versions/1/download/cog/"
    response = signed_in(private_cast.viewer).get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("image/tiff")
    assert b"".join(response.streaming_content) == (media / version.normalised_path).read_bytes()
    assert signed_in(private_cast.outsider).get(url).status_code == 404
    api = signed_in(private_cast.viewer).get(f"/api/v1/datasets/{landcover.pk}").json()
    assert "cog" in [link["format"] for link in api["current_version"]["downloads"]]


def test_raster_page_shows_the_preview_on_a_map_and_the_classes(private_cast, landcover):
    base = f"/landscapes/{private_cast.landscape.slug}/data/{landcover.slug}/"
    html = signed_in(private_cast.viewer).get(base).content.decode()
    quicklook = f"{base}versions/1/quicklook.png"
    assert f'data-image-url="{quicklook}"' in html and 'data-image-bounds="' in html
    assert f'<img src="{quicklook}"' in html and 'alt="Preview image of lc"' in html
    assert "4 classes and their number of cells" in html and "uint8" in html
    response = signed_in(private_cast.viewer).get(quicklook)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Cache-Control"].startswith("private")
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).format == "PNG"
    assert signed_in(private_cast.outsider).get(quicklook).status_code == 404
    assert Client().get(quicklook).status_code == 404


def test_a_version_without_preview_answers_404(private_cast, ingest):
    from tests.datasets.builders import points_csv

    [wells] = created(ingest(private_cast.landscape, private_cast.editor, points_csv(), "wells.csv"))
    url = f"/landscapes/{private_cast.landscape.slug}/data/{wells.slug}/versions/1/quicklook.png"
    assert signed_in(private_cast.viewer).get(url).status_code == 404


def test_refused_rasters_store_nothing_and_say_why(private_cast, ingest, media, settings):
    settings.DATASET_RASTER_MAX_PIXELS = 1000
    job = ingest(private_cast.landscape, private_cast.editor, tiff_bytes(classes_array()), "big.tif")
    assert job.status == Job.Status.FAILED and "big.tif" in job.error and "million pixels" in job.error
    data = tiff_bytes(classes_array())
    job = ingest(private_cast.landscape, private_cast.editor, data[: len(data) // 4], "cut.tif")
    assert job.status == Job.Status.FAILED and "cut.tif" in job.error
    assert stored_files(media) == [] and not private_cast.landscape.datasets.exists()


def test_a_new_raster_version_says_what_changed(private_cast, landcover, add_version):
    job = add_version(
        landcover, private_cast.editor, tiff_bytes(classes_array(), crs="EPSG:32736"), "lc2.tif"
    )
    assert job.status == Job.Status.SUCCEEDED, job.error
    change = landcover.versions.get(number=2).change_summary
    assert change["crs"] == {"before": "EPSG:32737", "after": "EPSG:32736"} and "rows_added" not in change
    json.dumps(change)
