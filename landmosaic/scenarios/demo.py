"""Demo scenarios for the Kilombero Valley: a generated two-date land-cover pair and two finished runs.

The pair is made by code (no data files), deterministically: 500 x 500 cells of 200 m in UTM 37S with
ESA WorldCover codes: a river with wetland, a farmed floodplain, towns, forest and eroded slopes on
the escarpments. Between 2015 and 2020 farms spread into the bush next to them and towns grow. A
generated distance to the river and towns drives where change happens, and water never changes. The
set's business-as-usual run and a restoration run (replanting eroded slopes on the escarpment,
halving forest loss) are executed here, so a newcomer opens finished results.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from rasterio.features import geometry_mask
from rasterio.io import MemoryFile
from rasterio.transform import Affine
from rasterio.warp import transform_geom
from scipy import ndimage
from shapely.geometry import mapping, shape

from landmosaic.core.permissions import Visibility
from landmosaic.datasets.services import dataset_set_sharing
from landmosaic.landscapes.demo import DemoContext, register_demo_step

from . import commons, services
from .models import Run, Scenario

SEED = 20150520
SIZE = 500
CELL_M = 200.0
CRS = "EPSG:32737"
NODATA = 0
T0_YEAR, T1_YEAR, HORIZON = 2015, 2020, 20
TREES, SHRUBS, GRASS, CROPS, BUILT, BARE, WATER, WETLAND = 10, 20, 30, 40, 50, 60, 80, 90
#: Indicative tropical densities (Mg C/ha), in the InVEST carbon model's columns.
POOLS_CSV = (
    b"lucode,LULC_name,c_above,c_below,c_soil,c_dead\n"
    b"10,Tree cover,110,28,75,9\n20,Shrubland,22,9,55,3\n30,Grassland,5,9,50,1\n"
    b"40,Cropland,5,2,40,0\n50,Built-up,2,0,20,0\n60,Bare or sparse vegetation,1,1,25,0\n"
    b"80,Permanent water bodies,0,0,0,0\n90,Herbaceous wetland,8,4,140,2\n"
)
RESTORATION = "Restore the escarpment"
DISTANCE_TITLE = "Distance to the river and towns (m)"


def _smooth(rng: np.random.Generator, sigma: float) -> np.ndarray:
    """Spatially autocorrelated noise with mean 0 and standard deviation 1."""
    field = ndimage.gaussian_filter(rng.standard_normal((SIZE, SIZE)), sigma, mode="reflect")
    return (field - field.mean()) / field.std()


def _grid(boundary: Any) -> Affine:
    """A 100 km square in UTM 37S centred on the valley, on whole hundreds of metres."""
    x, y = Transformer.from_crs("EPSG:4326", CRS, always_xy=True).transform(*boundary.centroid.coords[0])
    half = SIZE * CELL_M / 2
    return Affine(CELL_M, 0, round(x - half, -2), 0, -CELL_M, round(y + half, -2))


def land_cover_pair(boundary: Any) -> tuple[np.ndarray, np.ndarray, Affine]:
    """The 2015 and 2020 maps (uint8, WorldCover codes, 0 outside the valley) and their grid."""
    rng = np.random.default_rng(SEED)
    rows, cols = np.indices((SIZE, SIZE)) / SIZE - 0.5
    # The river winds from south-west to north-east; the escarpments rise away from it.
    river = np.abs(rows + 0.6 * cols + 0.05 * np.sin(cols * 18)) + 0.015 * _smooth(rng, 6)
    height = river + 0.12 * _smooth(rng, 25)
    wet, patchy, towns = _smooth(rng, 12), _smooth(rng, 4), _smooth(rng, 3)
    before = np.full((SIZE, SIZE), GRASS, dtype=np.uint8)
    before[patchy > 0.2] = SHRUBS
    before[(height < 0.22) & (wet > -0.7)] = CROPS
    before[height > 0.36] = TREES
    before[(height > 0.33) & (patchy < -1.0)] = BARE  # eroded slopes below the forest
    before[(river < 0.045) & (wet > -0.3)] = WETLAND
    before[(towns > 2.1) & (river < 0.3)] = BUILT
    before[river < 0.008] = WATER
    after = before.copy()
    # Farms spread into the bush and forest beside them; towns grow into the farms around them.
    near_crops = ndimage.uniform_filter((before == CROPS).astype(np.float32), 3) > 0
    near_towns = ndimage.uniform_filter((before == BUILT).astype(np.float32), 3) > 0
    draw = rng.random((SIZE, SIZE))
    after[near_crops & np.isin(before, [SHRUBS, GRASS]) & (draw < 0.35)] = CROPS
    after[near_towns & (before == CROPS) & (draw < 0.3)] = BUILT
    # The forest edge is cut into bush, and erosion eats into the forest around bare slopes.
    forest_edge = (before == TREES) & (ndimage.uniform_filter((before == TREES).astype(np.float32), 3) < 0.99)
    after[forest_edge & (draw < 0.3)] = SHRUBS
    after[(before == TREES) & (patchy < -0.8) & (height > 0.33) & (draw < 0.3)] = BARE
    transform = _grid(boundary)
    outside = geometry_mask(
        [transform_geom("EPSG:4326", CRS, mapping(boundary))], out_shape=(SIZE, SIZE), transform=transform
    )
    before[outside], after[outside] = NODATA, NODATA
    return before, after, transform


def distance_to_river_and_towns(landcover: np.ndarray) -> np.ndarray:
    """Metres from each cell to the nearest water, wetland or built-up cell (float32, -1 outside)."""
    near = np.isin(landcover, [WATER, WETLAND, BUILT])
    distance = ndimage.distance_transform_edt(~near).astype(np.float32) * CELL_M
    distance[landcover == NODATA] = -1
    return distance


def geotiff(array: np.ndarray, transform: Affine) -> bytes:
    measure = array.dtype.kind == "f"
    profile = {
        "driver": "GTiff", "width": SIZE, "height": SIZE, "count": 1, "dtype": array.dtype.name, "crs": CRS,
        "transform": transform, "nodata": -1 if measure else NODATA, "compress": "deflate",
    }  # fmt: skip
    with MemoryFile() as memory:
        with memory.open(**profile) as raster:
            raster.write(array, 1)
        return memory.read()


def escarpment_zone(boundary: Any) -> dict[str, Any]:
    """Where the partnership would replant: the valley's north-western escarpment."""
    west, _south, _east, north = boundary.bounds
    centre_lon, centre_lat = boundary.centroid.coords[0]
    ring = [
        (west, centre_lat), (centre_lon, north), (centre_lon + 0.15, north),
        (west, centre_lat - 0.15), (west, centre_lat),
    ]  # fmt: skip
    zone = boundary.intersection(shape({"type": "Polygon", "coordinates": [ring]}))
    return json.loads(shapely.to_geojson(zone.buffer(0).simplify(0.002)))


def _finished(run: Run) -> Run:
    """Refuse to leave a demo whose run failed."""
    if run.status != Run.Status.SUCCEEDED:
        raise RuntimeError(f"demo scenario run failed: {run.error}")
    return run


@register_demo_step(name="scenarios", order=40)
def load_demo_scenarios(context: DemoContext) -> None:
    """Two land-cover maps in the commons, a scenario set with its carbon pools, and two finished runs
    whose results are public like the valley."""
    valley, editor, manager = context.valley, context.editor, context.manager
    boundary = shape(valley.boundary_geojson)
    before, after, transform = land_cover_pair(boundary)
    maps = []
    with tempfile.TemporaryDirectory(prefix="landmosaic-demo-") as folder:
        for year, array in ((T0_YEAR, before), (T1_YEAR, after)):
            path = Path(folder) / f"land-cover-{year}-worldcover.tif"
            path.write_bytes(geotiff(array, transform))
            maps.append(
                commons.upload_now(
                    actor=editor, landscape=valley, path=path,
                    title=f"Land cover {year} (WorldCover classes)", license="CC-BY-4.0",
                    keywords=["land cover", "scenarios"],
                    description="Generated for the demo: 200 m cells with ESA WorldCover class codes.",
                )
            )  # fmt: skip
        path = Path(folder) / "distance-to-river-and-towns.tif"
        path.write_bytes(geotiff(distance_to_river_and_towns(after), transform))
        distance = commons.upload_now(
            actor=editor, landscape=valley, path=path, title=DISTANCE_TITLE, license="CC-BY-4.0",
            keywords=["distance", "scenarios"],
            description="Generated for the demo: metres to the nearest river, wetland or town in 2020.",
        )  # fmt: skip
        maps.append(distance)
    scenario_set = services.scenario_set_create(
        actor=editor, landscape=valley, title="Kilombero land use 2015-2020",
        description="Where the valley goes if the 2015-2020 trends continue, and what restoration changes.",
        t0_dataset_id=maps[0].pk, t1_dataset_id=maps[1].pk, t0_year=T0_YEAR, t1_year=T1_YEAR,
        horizon_years=HORIZON,
    )  # fmt: skip
    services.scenario_set_import_table(
        actor=editor, scenario_set=scenario_set, table="carbon_pools", data=POOLS_CSV
    )
    services.scenario_set_update(actor=editor, scenario_set=scenario_set, carbon_price=15.0)
    # Farms and towns spread most near the river and the towns; the river itself stays where it is.
    services.scenario_set_update_drivers(
        actor=editor, scenario_set=scenario_set,
        drivers=[{"dataset_id": distance.pk, "weight": 0.5, "effect": "repels"}],
    )  # fmt: skip
    services.scenario_set_update_no_change(actor=editor, scenario_set=scenario_set, classes=[WATER])
    restoration = services.scenario_create(
        actor=editor, scenario_set=scenario_set, name=RESTORATION,
        description="Replant 400 ha of eroded slopes a year on the escarpment and halve forest loss.",
        interventions=[
            {"kind": "restore", "start_year": T1_YEAR + 1, "from_class": BARE, "to_class": TREES,
             "hectares_per_year": 400, "zone": escarpment_zone(boundary)},
            {"kind": "rate", "start_year": T1_YEAR + 1, "from_class": TREES, "percent": 50},
        ],
    )  # fmt: skip
    for scenario in (scenario_set.scenarios.get(kind=Scenario.Kind.BAU), restoration):
        run = _finished(services.scenario_run_now(actor=editor, scenario=scenario))
        for dataset in (run.landcover_dataset, run.table_dataset):
            dataset_set_sharing(actor=manager, dataset=dataset, visibility=Visibility.PUBLIC)
    for dataset in maps:
        dataset_set_sharing(actor=manager, dataset=dataset, visibility=Visibility.PUBLIC)

