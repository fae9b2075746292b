"""Real boundaries from /work/shared/data (never copied into the repository)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pyogrio.raw
import pytest
import shapely
from pyproj import Transformer

from landmosaic.core.geo import parse_boundary_file

from .builders import shapefile_parts, zip_bytes

REAL = Path(os.environ.get("LANDMOSAIC_SHARED_DATA", "/work/shared/data")) / "real"
LAUSANNE = REAL / "lausanne" / "gmb-lausanne.gpkg"
WORLD = REAL / "naturalearth_lowres" / "naturalearth_lowres.shp"


def need(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"real data {path} is not available on this machine (shared data folder absent)")


def test_lausanne_lv95_shapefile_is_reprojected_with_its_real_area():
    need(LAUSANNE)
    _meta, _fids, wkbs, fields = pyogrio.raw.read(LAUSANNE, columns=["AREA_HA"])
    official_ha = float(fields[0][0])
    data = zip_bytes(
        {
            f"gmb/{name}": content
            for name, content in shapefile_parts(
                list(shapely.from_wkb(wkbs)), crs="EPSG:2056", geometry_type="MultiPolygon", stem="lausanne"
            ).items()
        }
    )
    boundary = parse_boundary_file(data=data, filename="lausanne.zip")
    assert boundary.source_crs == "EPSG:2056"
    assert boundary.geometry["type"] == "MultiPolygon"  # the commune has an exclave in the Jorat
    assert boundary.area_ha == pytest.approx(official_ha, rel=0.01)
    assert 4100 < boundary.area_ha < 4200
    # The geometric centroid lies north of the town centre (6.63E 46.52N) because of the Jorat woods.
    assert boundary.centroid == pytest.approx((6.652, 46.5515), abs=0.005)
    assert shapely.geometry.shape(boundary.geometry).bounds == pytest.approx(boundary.bbox)
    assert 6.58 < boundary.bbox[0] < boundary.centroid[0] < boundary.bbox[2] < 6.73


def test_world_countries_dissolve_into_the_land_area():
    need(WORLD)
    folder = WORLD.parent
    data = zip_bytes({path.name: path.read_bytes() for path in folder.iterdir()})
    boundary = parse_boundary_file(data=data, filename="naturalearth_lowres.zip")
    assert boundary.source_crs == "EPSG:4326"
    assert boundary.bbox == pytest.approx((-180, -90, 180, 83.645), abs=1e-3)
    assert boundary.area_ha == pytest.approx(1.49e10, rel=0.03)  # Earth's land area, 149 million km²
    assert [w.code for w in boundary.warnings] == ["features_dissolved"]


def test_switzerland_from_natural_earth():
    need(WORLD)
    _meta, _fids, wkbs, fields = pyogrio.raw.read(WORLD, columns=["name"])
    swiss = [
        shapely.from_wkb(wkb) for wkb, name in zip(wkbs, fields[0], strict=True) if name == "Switzerland"
    ]
    data = zip_bytes(shapefile_parts(swiss))
    boundary = parse_boundary_file(data=data, filename="switzerland.zip")
    # The low-resolution outline is crude, so compare with its own area in the Swiss projection.
    to_lv95 = Transformer.from_crs("EPSG:4326", "EPSG:2056", always_xy=True)
    outline = shapely.segmentize(shapely.union_all(swiss), 0.01)
    planar_ha = shapely.transform(outline, lambda xy: np.column_stack(to_lv95.transform(*xy.T))).area / 10_000
    assert boundary.area_ha == pytest.approx(planar_ha, rel=0.002)
    assert 3.9e6 < boundary.area_ha < 4.8e6
    assert boundary.centroid == pytest.approx((8.2, 46.8), abs=0.3)
