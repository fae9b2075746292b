"""Drivers derived from the landscape's data: distance to a map layer and slope of an elevation raster,
stored as raster datasets and used by runs like any uploaded driver."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest
import rasterio
from pyproj import Transformer
from rasterio.transform import Affine

from landmosaic.core.errors import ValidationFailed
from landmosaic.datasets.models import Dataset
from landmosaic.scenarios import commons
from landmosaic.scenarios.derived_drivers import Grid
from landmosaic.scenarios.services.drivers import scenario_set_add_derived_driver
from tests.scenarios.conftest import CELL_M, SHAPE, UTM_37S, bau, client_for, geotiff, origin_in_landscape
from tests.scenarios.test_runs import final_map


def line_geojson(*, row: float, offset_m: float = 0.0) -> bytes:
    """A straight east-west road through the centre of ``row`` of the test maps, in longitude/latitude."""
    x0, y0 = origin_in_landscape()
    y = y0 - (row + 0.5) * CELL_M - offset_m
    to_lonlat = Transformer.from_crs(UTM_37S, "EPSG:4326", always_xy=True)
    points = [to_lonlat.transform(x0 + x * CELL_M, y) for x in np.linspace(0.2, SHAPE[1] - 0.2, 11)]
    feature = {
        "type": "Feature",
        "properties": {"name": "Main road"},
        "geometry": {"type": "LineString", "coordinates": [[round(a, 8), round(b, 8)] for a, b in points]},
    }
    return json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()


def derived(**fields) -> dict:
    """The page's form fields for a derived driver (the form is prefixed)."""
    return {f"derived-{name}": value for name, value in fields.items()}


def stored_values(dataset: Dataset) -> np.ndarray:
    with commons.local_raster(dataset.current_version) as path, rasterio.open(path) as source:
        return source.read(1)


def test_distance_to_a_road_is_metres_on_the_set_grid(private_cast, scenario_set, ingest):
    road = ingest(private_cast.landscape, private_cast.editor, line_geojson(row=10), "roads.geojson")
    scenario_set_add_derived_driver(
        actor=private_cast.editor, scenario_set=scenario_set, kind="distance", dataset_id=road.pk,
        weight=2, effect="repels",
    )  # fmt: skip
    scenario_set.refresh_from_db()
    [entry] = scenario_set.drivers
    assert entry["weight"] == 2.0 and entry["effect"] == "repels"
    driver = Dataset.objects.get(pk=entry["dataset_id"])
    assert driver.title == f"Distance to {road.title}"
    values = stored_values(driver)
    assert values.shape == SHAPE
    # The road runs through row 10: each row is |row - 10| cells of 100 m from it.
    expected = np.abs(np.arange(SHAPE[0]) - 10)[:, None] * CELL_M
    assert np.allclose(values, np.broadcast_to(expected, SHAPE))


def test_slope_of_a_tilted_plane_is_the_arctangent_of_its_gradient(private_cast, scenario_set, ingest):
    # 5 m higher every 100 m eastwards: a gradient of 0.05.
    plane = np.broadcast_to(np.arange(SHAPE[1], dtype=np.float32) * 5 + 300, SHAPE).copy()
    dem = ingest(private_cast.landscape, private_cast.editor, geotiff(plane, nodata=-9999), "dem.tif")
    scenario_set_add_derived_driver(
        actor=private_cast.editor, scenario_set=scenario_set, kind="slope", dataset_id=dem.pk,
        weight=1, effect="repels",
    )  # fmt: skip
    scenario_set.refresh_from_db()
    values = stored_values(Dataset.objects.get(pk=scenario_set.drivers[0]["dataset_id"]))
    assert np.allclose(values, math.degrees(math.atan(0.05)), atol=1e-4)


def test_bad_sources_are_refused_and_nothing_is_stored(private_cast, scenario_set, ingest, maps):
    far_road = ingest(
        private_cast.landscape, private_cast.editor, line_geojson(row=10, offset_m=50_000), "far.geojson"
    )
    before = Dataset.objects.count()
    cases = [
        ("distance", far_road.pk, 1, "repels", "no feature on the land-cover map"),
        ("distance", maps[0].pk, 1, "repels", "Choose a map layer"),
        ("slope", maps[0].pk, 1, "repels", "does not hold elevations"),
        ("slope", far_road.pk, 1, "repels", "Choose an elevation raster"),
        ("distance", far_road.pk, 0, "repels", "weight above 0"),
        ("distance", far_road.pk, 1, "sideways", "attract or repel"),
        ("contour", far_road.pk, 1, "repels", "Choose how the driver is made"),
    ]
    for kind, dataset_id, weight, effect, message in cases:
        with pytest.raises(ValidationFailed, match=message):
            scenario_set_add_derived_driver(
                actor=private_cast.editor, scenario_set=scenario_set, kind=kind, dataset_id=dataset_id,
                weight=weight, effect=effect,
            )  # fmt: skip
    scenario_set.refresh_from_db()
    assert scenario_set.drivers == [] and Dataset.objects.count() == before


def test_the_page_adds_a_derived_driver_and_runs_use_it(private_cast, scenario_set, ingest, run_now):
    plain = run_now(private_cast.editor, bau(scenario_set))
    road = ingest(private_cast.landscape, private_cast.editor, line_geojson(row=5), "roads.geojson")
    client = client_for(private_cast.editor)
    page = client.get(scenario_set.get_absolute_url())
    assert "distance to a map layer" in page.content.decode().lower()
    ids = re.findall(r'\sid="([^"]+)"', page.content.decode())
    assert len(ids) == len(set(ids))  # both driver forms on one page, every label on its own control
    url = f"{scenario_set.get_absolute_url()}drivers/derived/"
    response = client.post(url, derived(kind="distance", dataset_id=road.pk, weight="5", effect="repels"))
    assert response.status_code == 302, response.content.decode()[:2000]
    scenario_set.refresh_from_db()
    assert len(scenario_set.drivers) == 1
    steered = run_now(private_cast.editor, bau(scenario_set))
    assert steered.succeeded, steered.error
    assert (final_map(steered) != final_map(plain)).any()


def test_the_api_adds_a_derived_driver(private_cast, scenario_set, ingest, run_now):
    plain = run_now(private_cast.editor, bau(scenario_set))
    road = ingest(private_cast.landscape, private_cast.editor, line_geojson(row=5), "roads.geojson")
    client = client_for(private_cast.editor)
    url = f"/api/v1/scenario-sets/{scenario_set.pk}/drivers"
    payload = {"kind": "distance", "dataset_id": road.pk, "weight": 5, "effect": "repels"}
    response = client.post(url, json.dumps(payload), content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["drivers"][0]["title"] == f"Distance to {road.title}"
    bad = client.post(url, json.dumps({**payload, "kind": "slope"}), content_type="application/json")
    assert bad.status_code == 400 and "elevation" in bad.json()["error"]["message"]
    scenario_set.refresh_from_db()
    steered = run_now(private_cast.editor, bau(scenario_set))
    assert (final_map(steered) != final_map(plain)).any()


def place_geojson(kind: str) -> bytes:
    """A well at the centre of cell (20, 25) ("Point"), or a village over rows 30-34, columns 40-44."""
    x0, y0 = origin_in_landscape()
    to_lonlat = Transformer.from_crs(UTM_37S, "EPSG:4326", always_xy=True)

    def lonlat(row: float, col: float) -> list[float]:
        x, y = to_lonlat.transform(x0 + col * CELL_M, y0 - row * CELL_M)
        return [round(x, 8), round(y, 8)]

    corners = [(30.2, 40.2), (30.2, 44.8), (34.8, 44.8), (34.8, 40.2), (30.2, 40.2)]
    geometry = (
        {"type": "Point", "coordinates": lonlat(20.5, 25.5)}
        if kind == "Point"
        else {"type": "Polygon", "coordinates": [[lonlat(r, c) for r, c in corners]]}
    )
    feature = {"type": "Feature", "properties": {}, "geometry": geometry}
    return json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()


def test_distance_to_points_and_polygons(private_cast, scenario_set, ingest):
    wells = ingest(private_cast.landscape, private_cast.editor, place_geojson("Point"), "wells.geojson")
    village = ingest(private_cast.landscape, private_cast.editor, place_geojson("Polygon"), "village.geojson")
    for layer in (wells, village):
        scenario_set_add_derived_driver(
            actor=private_cast.editor, scenario_set=scenario_set, kind="distance", dataset_id=layer.pk,
            weight=1, effect="repels",
        )  # fmt: skip
    scenario_set.refresh_from_db()
    to_wells, to_village = (
        stored_values(Dataset.objects.get(pk=d["dataset_id"])) for d in scenario_set.drivers
    )
    assert to_wells[20, 25] == 0.0 and to_wells[20, 30] == pytest.approx(500.0)
    assert to_wells[23, 29] == pytest.approx(500.0)  # 3 rows and 4 columns away: 3-4-5
    assert (to_village[30:35, 40:45] == 0).all() and (to_village[29, 40:45] == 100).all()
    assert to_village[30, 38] == pytest.approx(200.0)  # two columns west of the village


def test_the_page_explains_a_refusal_and_the_api_adds_a_raster_as_it_is(private_cast, scenario_set, ingest):
    road = ingest(private_cast.landscape, private_cast.editor, line_geojson(row=5), "roads.geojson")
    client = client_for(private_cast.editor)
    url = f"{scenario_set.get_absolute_url()}drivers/derived/"
    before = Dataset.objects.count()
    response = client.post(url, derived(kind="slope", dataset_id=road.pk, weight="1", effect="repels"))
    assert response.status_code == 400
    assert "Choose an elevation raster of this landscape." in response.content.decode()
    assert client_for(private_cast.viewer).post(
        url, derived(kind="distance", dataset_id=road.pk, weight="1", effect="repels")
    ).status_code in (403, 404)
    assert Dataset.objects.count() == before
    plane = np.broadcast_to(np.arange(SHAPE[1], dtype=np.float32), SHAPE).copy()
    measure = ingest(private_cast.landscape, private_cast.editor, geotiff(plane, nodata=-9999), "m.tif")
    payload = {"kind": "raster", "dataset_id": measure.pk, "weight": 1.5, "effect": "attracts"}
    response = client.post(
        f"/api/v1/scenario-sets/{scenario_set.pk}/drivers",
        json.dumps(payload),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert [d["dataset_id"] for d in response.json()["drivers"]] == [measure.pk]
    assert Dataset.objects.count() == before + 1  # the raster itself, nothing computed


def test_a_longitude_latitude_grid_measures_cells_at_its_centre_latitude_and_says_so():
    grid = Grid(crs="EPSG:4326", transform=Affine(0.001, 0, 6.5, 0, -0.001, 46.6), width=100, height=200)
    width, height, note = grid.cell_metres()
    assert height == pytest.approx(111.195, rel=1e-4)
    assert width == pytest.approx(height * math.cos(math.radians(46.5)), rel=1e-6)
    assert "longitude/latitude" in note and "46.500°" in note
    projected = Grid(crs=UTM_37S, transform=Affine(30, 0, 0, 0, -30, 0), width=2, height=2)
    assert projected.cell_metres() == (30.0, 30.0, "")
