"""Raster tiles drawn by the platform from the commons' COGs: colours, transparency, caching, access."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from django.test import Client
from PIL import Image
from rasterio.io import MemoryFile
from rasterio.transform import from_bounds

from landmosaic.datasets import services
from landmosaic.datasets.ingest.quicklook import RAMP
from landmosaic.datasets.models import Dataset
from landmosaic.maps import tiles
from tests.datasets.builders import points_csv
from tests.datasets.conftest import created
from tests.datasets.test_permissions import client_for

#: The raster below covers exactly this tile, one cell per tile pixel, in Web Mercator.
Z, X, Y = 12, 2500, 2100
RED, BLUE = (255, 0, 0), (0, 0, 255)


def tile_tiff(array: np.ndarray, *, nodata, colormap=None, crs: str = "EPSG:3857") -> bytes:
    left, bottom, right, top = tiles.tile_bounds_3857(Z, X, Y)
    profile = {
        "driver": "GTiff",
        "width": array.shape[1],
        "height": array.shape[0],
        "count": 1,
        "dtype": array.dtype.name,
        "crs": crs,
        "transform": from_bounds(left, bottom, right, top, array.shape[1], array.shape[0]),
        "nodata": nodata,
    }
    with MemoryFile() as memory:
        with memory.open(**profile) as raster:
            if colormap:
                raster.write_colormap(1, colormap)
            raster.write(array[np.newaxis])
        return memory.read()


def land_cover() -> np.ndarray:
    """Forest (1, red) on the left half, cropland (2, blue) on the right, no data (0) in a corner."""
    array = np.ones((256, 256), dtype=np.uint8)
    array[:, 128:] = 2
    array[:32, :32] = 0
    return array


def pixels(response) -> np.ndarray:
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(response.content)) as image:
        assert image.size == (256, 256)
        return np.asarray(image.convert("RGBA"))


@pytest.fixture
def raster(private_cast, ingest) -> Dataset:
    data = tile_tiff(land_cover(), nodata=0, colormap={1: (*RED, 255), 2: (*BLUE, 255)})
    [dataset] = created(ingest(private_cast.landscape, private_cast.editor, data, "cover.tif", title="Cover"))
    return dataset


def tile_url(dataset: Dataset, z: int = Z, x: int = X, y: int = Y, number: int = 1) -> str:
    return f"/landscapes/{dataset.landscape.slug}/data/{dataset.slug}/versions/{number}/tiles/{z}/{x}/{y}.png"


def test_a_tile_draws_classes_with_their_colours_and_no_data_transparent(private_cast, raster):
    image = pixels(client_for(private_cast.viewer).get(tile_url(raster)))
    assert tuple(image[200, 40]) == (*RED, 255)
    assert tuple(image[200, 220]) == (*BLUE, 255)
    assert image[5, 5, 3] == 0 and image[:32, :32, 3].max() == 0  # no data
    assert image[32:, :, 3].min() == 255 and image[:, 32:, 3].min() == 255  # edge to edge: no seams
    # Every drawn pixel is one of the two class colours: nearest neighbour, never a blend.
    drawn = image[image[..., 3] > 0][:, :3]
    assert {tuple(p) for p in drawn} == {RED, BLUE}
    # A tile one zoom closer shows the top-left quarter: the no-data corner grows to 64 pixels.
    closer = pixels(client_for(private_cast.viewer).get(tile_url(raster, Z + 1, 2 * X, 2 * Y)))
    assert closer[:62, :62, 3].max() == 0 and tuple(closer[100, 100]) == (*RED, 255)
    assert tuple(closer[250, 250]) == (*RED, 255) and closer[64:, 64:, 3].min() == 255


def test_a_zoomed_out_tile_reads_the_raster_smaller_and_keeps_its_colours(private_cast, raster):
    image = pixels(client_for(private_cast.viewer).get(tile_url(raster, Z - 2, X // 4, Y // 4)))
    drawn = image[image[..., 3] > 0]
    # The raster covers one sixteenth of that tile: about 64 x 64 pixels, in the two class colours.
    assert 55 * 55 < len(drawn) < 70 * 70
    assert {tuple(p[:3]) for p in drawn} == {RED, BLUE}


def test_tiles_outside_the_raster_are_the_shared_transparent_tile(private_cast, raster):
    client = client_for(private_cast.viewer)
    far = client.get(tile_url(raster, Z, X + 5, Y))
    assert far.content == tiles.empty_png()
    assert pixels(far)[..., 3].max() == 0
    # A tile 4 zooms out shows the raster as a 16 x 16 pixel speck.
    speck = pixels(client.get(tile_url(raster, Z - 4, X // 16, Y // 16)))[..., 3] > 0
    assert 14 * 14 <= speck.sum() <= 18 * 18


def test_measures_are_stretched_between_the_stored_minimum_and_maximum(private_cast, ingest):
    ramp = np.tile(np.linspace(10, 20, 256, dtype=np.float32), (256, 1))
    ramp[:, :16] = -9999
    data = tile_tiff(ramp, nodata=-9999)
    [dataset] = created(ingest(private_cast.landscape, private_cast.editor, data, "heat.tif"))
    image = pixels(client_for(private_cast.viewer).get(tile_url(dataset)))
    low, high = RAMP[0][1], RAMP[-1][1]
    assert image[100, 5, 3] == 0  # no data
    assert np.abs(image[100, 16, :3].astype(int) - low).max() <= 12
    assert np.abs(image[100, 255, :3].astype(int) - high).max() <= 2
    assert image[100, 16:, 1].astype(int).std() > 20  # a gradient, not one colour


def test_outsiders_get_404_and_the_public_tile_opens_to_anyone_with_cache_headers(private_cast, raster):
    for person in ("anonymous", "outsider", "superuser"):
        assert client_for(private_cast[person]).get(tile_url(raster)).status_code == 404, person
    private = client_for(private_cast.viewer).get(tile_url(raster))
    assert "private" in private["Cache-Control"] and "immutable" in private["Cache-Control"]
    Dataset.objects.filter(pk=raster.pk).update(visibility="public")
    anonymous = Client()
    response = anonymous.get(tile_url(raster))
    assert response.status_code == 200 and response["Cache-Control"].startswith("public")
    assert response["ETag"] and response["X-Content-Type-Options"] == "nosniff"
    again = anonymous.get(tile_url(raster), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and not again.content
    assert anonymous.get(tile_url(raster, number=2)).status_code == 404


def test_share_link_holders_see_tiles_until_the_link_is_revoked(private_cast, raster):
    link, token = services.dataset_link_create(actor=private_cast.manager, dataset=raster)
    url = f"/d/{token}/versions/1/tiles/{Z}/{X}/{Y}.png"
    assert tuple(pixels(Client().get(url))[200, 40]) == (*RED, 255)
    services.dataset_link_revoke(actor=private_cast.manager, dataset=raster, link=link)
    assert Client().get(url).status_code == 404


@pytest.mark.parametrize("z, x, y", [(23, 0, 0), (3, 8, 0), (3, 0, 8), (0, 1, 0)])
def test_impossible_tiles_are_refused_with_a_message(private_cast, raster, z, x, y):
    response = client_for(private_cast.viewer).get(tile_url(raster, z, x, y))
    assert response.status_code == 400
    assert b"There is no tile" in response.content


def test_datasets_that_are_not_rasters_have_no_tiles(private_cast, ingest):
    [table] = created(ingest(private_cast.landscape, private_cast.editor, points_csv(), "wells.csv"))
    assert client_for(private_cast.viewer).get(tile_url(table)).status_code == 404


def test_tile_maths_matches_web_mercator():
    world = (-tiles.ORIGIN, -tiles.ORIGIN, tiles.ORIGIN, tiles.ORIGIN)
    assert tiles.tile_bounds_3857(0, 0, 0) == pytest.approx(world)
    west, south, east, north = tiles.tile_bounds_4326(1, 1, 0)
    assert (west, east) == (0, 180) and south == pytest.approx(0)
    assert north == pytest.approx(85.0511, abs=1e-4)
    assert not tiles.valid_tile(2, 4, 0) and tiles.valid_tile(22, 2**22 - 1, 0)
    assert tiles.style_for({"bands": 1, "dtype": "float32"}) is None


def test_the_dataset_page_and_its_share_link_page_draw_the_raster_with_tiles(private_cast, raster):
    _link, token = services.dataset_link_create(actor=private_cast.manager, dataset=raster)
    pages = ((client_for(private_cast.viewer), raster.get_absolute_url()), (Client(), f"/d/{token}/"))
    for client, page in pages:
        html = client.get(page).content.decode()
        template = re.search(r'data-tiles-url="([^"]+)"', html).group(1).replace("&amp;", "&")
        url = template.replace("{z}", str(Z)).replace("{x}", str(X)).replace("{y}", str(Y))
        assert tuple(pixels(client.get(url))[200, 40]) == (*RED, 255)
        assert "maps/tiles.js" in html
