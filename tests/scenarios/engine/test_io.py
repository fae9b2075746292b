"""Raster files: categorical GeoTIFF reading, palette COG writing, rasterising masks, grid checks."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from landmosaic.scenarios.engine import Intervention, ProjectionParams, project
from landmosaic.scenarios.engine.io import (
    cog_driver_available,
    rasterize_geometries,
    read_categorical,
    same_grid,
    write_categorical_cog,
    write_projection,
)

from .conftest import patchy_map

COLOURS = {1: (30, 120, 30, 255), 2: (230, 200, 60, 255), 3: (200, 40, 40, 255), 255: (0, 0, 0, 0)}
PROFILE = {"crs": "EPSG:2056", "transform": from_origin(2_500_000, 1_200_000, 100, 100)}


@pytest.mark.parametrize("force_gtiff", [False, True])
def test_cog_round_trip_keeps_values_colormap_and_overviews(tmp_path, force_gtiff):
    landcover = patchy_map(shape=(700, 600), classes=3)
    landcover[:10, :10] = 255
    path = tmp_path / "map.tif"
    driver = write_categorical_cog(
        path=path, array=landcover, profile=PROFILE, nodata=255, colormap=COLOURS, force_gtiff=force_gtiff
    )
    assert driver == ("GTiff" if force_gtiff or not cog_driver_available() else "COG")
    array, profile, nodata = read_categorical(path=path)
    np.testing.assert_array_equal(array, landcover)
    assert nodata == 255
    assert profile["crs"].to_epsg() == 2056
    assert profile["transform"] == PROFILE["transform"]
    with rasterio.open(path) as src:
        assert src.colormap(1)[2] == COLOURS[2]
        assert src.overviews(1), "a cloud-optimised file carries overviews"
        assert src.profile["tiled"]
        assert src.tags(ns="IMAGE_STRUCTURE").get("LAYOUT", "COG") == "COG" or force_gtiff
        # Overviews of a categorical map are sampled, never averaged into codes that do not exist.
        assert set(np.unique(src.read(1, out_shape=(175, 150)))) <= {1, 2, 3, 255}


def test_lausanne_maps_read_with_their_nodata_and_grid_check(lausanne_100_paths):
    first, second = (read_categorical(path=path) for path in lausanne_100_paths)
    assert first.array.dtype == np.uint8 and first.array.shape == (325, 472)
    assert first.nodata == 255
    # The two 100 m maps are not on one grid (origins ~61 m and ~145 m apart): the platform should check.
    assert not same_grid(first=first.profile, second=second.profile)
    assert same_grid(first=first.profile, second=first.profile)


def test_rasterize_geometries_marks_covered_cells():
    transform = from_origin(0, 10, 1, 1)
    square = {"type": "Polygon", "coordinates": [[(2, 2), (2, 5), (6, 5), (6, 2), (2, 2)]]}
    feature = {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": (8.5, 8.5)}}
    mask = rasterize_geometries(geometries=[square, feature], transform=transform, shape=(10, 10))
    assert mask.dtype == bool
    assert mask.sum() == 12 + 1
    assert mask[6, 3] and not mask[2, 3] and mask[1, 8]
    assert not rasterize_geometries(geometries=[], transform=transform, shape=(3, 3)).any()


def test_projection_streams_to_one_file_per_year(tmp_path):
    start = patchy_map(shape=(60, 80), classes=3)
    protect = np.zeros(start.shape, dtype=bool)
    protect[:20] = True
    params = ProjectionParams(
        classes=(1, 2, 3),
        annual_matrix=np.array([[0.9, 0.1, 0], [0, 0.9, 0.1], [0.05, 0, 0.95]]),
        nodata=255,
        cell_area_ha=1.0,
        years=3,
        base_year=2024,
        interventions=(Intervention.protect(start_year=2025, mask=protect),),
    )
    paths = write_projection(
        years=project(landcover=start, params=params),
        folder=tmp_path,
        profile=PROFILE,
        nodata=255,
        colormap=COLOURS,
    )
    assert [p.name for p in paths] == ["landcover_2025.tif", "landcover_2026.tif", "landcover_2027.tif"]
    last = read_categorical(path=paths[-1]).array
    np.testing.assert_array_equal(last[protect], start[protect])
    assert np.any(last != start)
