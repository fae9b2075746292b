"""Raster tiles of rasters crossing the antimeridian (Fiji, Kiribati, Chukotka…): drawn on both sides of
180°, whichever way the extent is written, and empty tiles (never errors) everywhere else."""

from __future__ import annotations

import math

import numpy as np
import pytest
from rasterio.io import MemoryFile
from rasterio.transform import from_bounds

from landmosaic.maps import tiles
from tests.datasets.conftest import created
from tests.datasets.test_permissions import client_for
from tests.maps.test_tiles import BLUE, RED, pixels

SOUTH, NORTH = -20.0, -10.0


def tiff(bounds: tuple[float, float, float, float], crs: str, shape=(200, 400)) -> bytes:
    """Class 1 (red) on the western half of the raster's columns, class 2 (blue) on the eastern."""
    array = np.ones(shape, dtype=np.uint8)
    array[:, shape[1] // 2 :] = 2
    profile = {
        "driver": "GTiff",
        "width": shape[1],
        "height": shape[0],
        "count": 1,
        "dtype": "uint8",
        "crs": crs,
        "transform": from_bounds(*bounds, shape[1], shape[0]),
        "nodata": 0,
    }
    with MemoryFile() as memory:
        with memory.open(**profile) as raster:
            raster.write_colormap(1, {1: (*RED, 255), 2: (*BLUE, 255)})
            raster.write(array[np.newaxis])
        return memory.read()


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = math.floor((lon + 180) / 360 * n)
    y = math.floor((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return min(x, n - 1), y


def pixel_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """(row, column) of a place in its tile."""
    n = 2**z * tiles.TILE_SIZE
    column = (lon + 180) / 360 * n
    row = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return int(row) % tiles.TILE_SIZE, int(column) % tiles.TILE_SIZE


def tile_at(cast, dataset, lon: float, lat: float, z: int):
    x, y = tile_of(lon, lat, z)
    url = f"/landscapes/{dataset.landscape.slug}/data/{dataset.slug}/versions/1/tiles/{z}/{x}/{y}.png"
    response = client_for(cast.viewer).get(url)
    return response, pixels(response)


def colour_at(cast, dataset, lon: float, lat: float, z: int = 6) -> tuple[int, ...]:
    _response, image = tile_at(cast, dataset, lon, lat, z)
    return tuple(image[pixel_of(lon, lat, z)])


@pytest.fixture
def upload(private_cast, ingest):
    def run(bounds, crs: str):
        data = tiff(bounds, crs)
        [dataset] = created(ingest(private_cast.landscape, private_cast.editor, data, "islands.tif"))
        return dataset

    return run


@pytest.mark.parametrize(
    ("bounds", "red_at", "blue_at"),
    [
        ((170.0, SOUTH, 190.0, NORTH), 175.0, -175.0),  # longitudes beyond 180
        ((-190.0, SOUTH, -170.0, NORTH), 175.0, -175.0),  # longitudes beyond -180
    ],
)
def test_a_raster_in_degrees_beyond_180_is_drawn_on_both_sides(private_cast, upload, bounds, red_at, blue_at):
    dataset = upload(bounds, "EPSG:4326")
    assert colour_at(private_cast, dataset, red_at, -15.0) == (*RED, 255)
    assert colour_at(private_cast, dataset, blue_at, -15.0) == (*BLUE, 255)
    # Just past the raster's two ends, and north of it: transparent.
    assert colour_at(private_cast, dataset, 169.0, -15.0)[3] == 0
    assert colour_at(private_cast, dataset, -169.0, -15.0)[3] == 0
    assert colour_at(private_cast, dataset, 175.0, -9.0)[3] == 0


@pytest.mark.parametrize(
    ("crs", "bounds"),
    [
        # UTM 60 S (central meridian 177°E): 600..1000 km east reaches past 180° to about 178.3°W.
        ("EPSG:32760", (600_000.0, 7_900_000.0, 1_000_000.0, 8_100_000.0)),
        # PDC Mercator (central meridian 150°E), used around the Pacific: 174°E to 173°W.
        ("EPSG:3832", (2_650_000.0, -2_000_000.0, 3_550_000.0, -1_700_000.0)),
    ],
)
def test_a_projected_raster_whose_bounds_cross_180_is_drawn_on_both_sides(private_cast, upload, crs, bounds):
    dataset = upload(bounds, crs)
    west, _south, east, _north = dataset.current_version.bbox_4326
    assert west > 0 > east  # ingest wrote the crossing extent as west > east
    lat = (_south + _north) / 2
    z = 6
    _response, west_side = tile_at(private_cast, dataset, 179.9, lat, z)
    _response, east_side = tile_at(private_cast, dataset, -179.9, lat, z)
    for side in (west_side, east_side):
        assert side[..., 3].any()
        assert {tuple(p[:3]) for p in side[side[..., 3] > 0]} <= {RED, BLUE}
    # Both sides meet at 180°: the last column of one and the first of the other are drawn alike.
    row = pixel_of(179.9, lat, z)[0]
    assert west_side[row, -1, 3] == 255 and east_side[row, 0, 3] == 255
    assert tuple(west_side[row, -1]) == tuple(east_side[row, 0])
    assert colour_at(private_cast, dataset, west + 0.3, lat) == (*RED, 255)
    assert colour_at(private_cast, dataset, east - 0.3, lat) == (*BLUE, 255)


def test_tiles_away_from_a_crossing_raster_are_empty_and_the_world_tile_shows_both_ends(private_cast, upload):
    dataset = upload((170.0, SOUTH, 190.0, NORTH), "EPSG:4326")
    for lon, lat, z in [(0.0, -15.0, 6), (150.0, -15.0, 6), (-150.0, -15.0, 6), (175.0, 40.0, 6)]:
        response, image = tile_at(private_cast, dataset, lon, lat, z)
        assert response.content == tiles.empty_png() and image[..., 3].max() == 0, (lon, lat)
    _response, world = tile_at(private_cast, dataset, 0.0, 0.0, 0)
    row = pixel_of(0.0, -15.0, 0)[0]
    assert tuple(world[row, 2]) == (*BLUE, 255)  # 181°..190° at the left edge
    assert tuple(world[row, 253]) == (*RED, 255)  # 170°..180° at the right edge
    assert world[row, 20:236, 3].max() == 0


@pytest.mark.parametrize(
    ("bbox", "pieces"),
    [
        ([10, -5, 20, 5], [(10, -5, 20, 5)]),
        ([170, -5, 190, 5], [(170, -5, 180, 5), (-180, -5, -170, 5)]),
        ([-190, -5, -170, 5], [(170, -5, 180, 5), (-180, -5, -170, 5)]),
        ([178, -5, -179, 5], [(178, -5, 180, 5), (-180, -5, -179, 5)]),
        ([185, -5, 190, 5], [(-175, -5, -170, 5)]),
        ([-200, -5, 200, 5], [(-180, -5, 180, 5)]),
    ],
)
def test_an_extent_is_cut_at_the_antimeridian(bbox, pieces):
    assert tiles.extent_pieces(bbox) == [tuple(float(v) for v in p) for p in pieces]


def test_a_world_raster_laid_out_from_0_to_360_degrees_fills_the_western_half_too(private_cast, upload):
    dataset = upload((0.0, -80.0, 360.0, 80.0), "EPSG:4326")
    # Columns 0..180 (red) are the eastern hemisphere, 180..360 (blue) the western one.
    for z in (0, 3):
        assert colour_at(private_cast, dataset, 90.0, 10.0, z) == (*RED, 255), z
        assert colour_at(private_cast, dataset, -90.0, 10.0, z) == (*BLUE, 255), z
        assert colour_at(private_cast, dataset, -1.0, 10.0, z) == (*BLUE, 255), z
        assert colour_at(private_cast, dataset, 1.0, 10.0, z) == (*RED, 255), z
