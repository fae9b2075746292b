"""Fixtures for the scenarios platform: small land-cover GeoTIFFs ingested into a landscape's commons."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import rasterio
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pyproj import Transformer
from rasterio.transform import Affine

from landmosaic.core.models import Job
from landmosaic.datasets import services as dataset_services
from landmosaic.datasets import storage
from landmosaic.datasets.models import Dataset, DatasetVersion
from landmosaic.scenarios import services
from landmosaic.scenarios.models import Run, Scenario, ScenarioSet

LAUSANNE = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real" / "lausanne"
UTM_37S = "EPSG:32737"
CELL_M = 100.0  # one hectare a cell
SHAPE = (40, 50)
NODATA = 255
TREES, GRASS, CROPS, BUILT, WATER = 10, 30, 40, 50, 80
POOLS_CSV = (
    b"lucode,LULC_name,c_above,c_below,c_soil,c_dead\n"
    b"10,Trees,120,30,80,10\n30,Grass,5,10,60,1\n40,Crops,5,2,45,0\n50,Built,0,0,20,0\n80,Water,0,0,0,0\n"
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    """Each test stores its files in a fresh folder, so "nothing stored" can be checked."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media: Path) -> list[str]:
    root = media / "datasets"
    return sorted(str(p.relative_to(media)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def origin_in_landscape() -> tuple[float, float]:
    """The top-left corner of the test maps in UTM 37S, inside the factory landscape (36.0-36.2 E)."""
    x, y = Transformer.from_crs("EPSG:4326", UTM_37S, always_xy=True).transform(36.05, -8.05)
    return round(x, -2), round(y, -2)


def land_cover_pair(*, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Two blocky maps: trees, grass, crops, a town and a lake; crops eat into the trees by t1."""
    rng = np.random.default_rng(seed)
    blocks = rng.choice([TREES, TREES, GRASS, CROPS, CROPS], size=(SHAPE[0] // 5, SHAPE[1] // 5)).astype(
        np.uint8
    )
    before = np.kron(blocks, np.ones((5, 5), dtype=np.uint8))
    before[30:36, 40:48] = BUILT
    before[2:8, 2:10] = WATER
    before[0, :] = NODATA  # a strip outside the landscape
    after = before.copy()
    trees = np.argwhere(after == TREES)
    chosen = trees[rng.random(len(trees)) < 0.12]
    after[chosen[:, 0], chosen[:, 1]] = CROPS
    crops = np.argwhere(before == CROPS)
    chosen = crops[rng.random(len(crops)) < 0.04]
    after[chosen[:, 0], chosen[:, 1]] = BUILT
    return before, after


def geotiff(
    array: np.ndarray,
    *,
    crs: str | object = UTM_37S,
    origin: tuple[float, float] | None = None,
    nodata: float | None = NODATA,
    cell: float = CELL_M,
) -> bytes:
    x, y = origin or origin_in_landscape()
    with rasterio.MemoryFile() as memory:
        with memory.open(
            driver="GTiff",
            width=array.shape[1],
            height=array.shape[0],
            count=1,
            dtype=array.dtype.name,
            crs=crs,
            transform=Affine(cell, 0, x, 0, -cell, y),
            nodata=nodata,
        ) as dst:
            dst.write(array, 1)
        return memory.read()


@pytest.fixture
def ingest(django_capture_on_commit_callbacks) -> Callable[..., Dataset]:
    """Upload bytes through the datasets service, run the ingest job, return the dataset."""

    def run(landscape, actor, data: bytes, filename: str) -> Dataset:
        with django_capture_on_commit_callbacks(execute=True):
            job = dataset_services.dataset_create_from_upload(
                actor=actor, landscape=landscape, upload=SimpleUploadedFile(filename, data)
            )
        job.refresh_from_db()
        assert job.status == Job.Status.SUCCEEDED, job.error
        return Dataset.objects.get(pk=job.result["links"][0]["id"])

    return run


def raw_raster_dataset(landscape, actor, data: bytes, filename: str) -> Dataset:
    """A raster dataset stored without the ingest, for files the ingest itself cannot take (an
    engineering CRS that has no transformation to longitude/latitude)."""
    prefix = storage.new_prefix()
    stored = storage.save_upload(SimpleUploadedFile(filename, data), prefix=prefix)
    dataset = Dataset.objects.create(
        landscape=landscape, title=filename, slug=filename.replace(".", "-"), kind="raster", created_by=actor
    )
    version = DatasetVersion.objects.create(
        dataset=dataset,
        number=1,
        storage_prefix=prefix,
        original_path=stored.path,
        original_filename=filename,
        original_sha256=hashlib.sha256(data).hexdigest(),
        original_size=len(data),
        original_format="tiff",
        media_type="image/tiff",
    )
    dataset.current_version = version
    dataset.save()
    return dataset


def ingest_pair(cast, ingest) -> tuple[Dataset, Dataset]:
    before, after = land_cover_pair()
    landscape, editor = cast.landscape, cast.editor
    return (
        ingest(landscape, editor, geotiff(before), "landcover_2015.tif"),
        ingest(landscape, editor, geotiff(after), "landcover_2020.tif"),
    )


@pytest.fixture
def maps(private_cast, ingest) -> tuple[Dataset, Dataset]:
    return ingest_pair(private_cast, ingest)


def make_set(cast, maps, *, horizon: int = 5, pools: bool = True, **kwargs) -> ScenarioSet:
    scenario_set = services.scenario_set_create(
        actor=cast.editor,
        landscape=cast.landscape,
        title=kwargs.pop("title", "Kilombero 2015-2020"),
        t0_dataset_id=maps[0].pk,
        t1_dataset_id=maps[1].pk,
        t0_year=2015,
        t1_year=2020,
        horizon_years=horizon,
        **kwargs,
    )
    if pools:
        services.scenario_set_import_table(
            actor=cast.editor, scenario_set=scenario_set, table="carbon_pools", data=POOLS_CSV
        )
        services.scenario_set_update(actor=cast.editor, scenario_set=scenario_set, carbon_price=10.0)
    scenario_set.refresh_from_db()
    return scenario_set


@pytest.fixture
def scenario_set(private_cast, maps) -> ScenarioSet:
    return make_set(private_cast, maps)


def bau(scenario_set: ScenarioSet) -> Scenario:
    return scenario_set.scenarios.get(kind=Scenario.Kind.BAU)


@pytest.fixture
def run_now(django_capture_on_commit_callbacks) -> Callable[..., Run]:
    """Start a run through the service and let the job run as the transaction commits."""

    def start(actor, scenario: Scenario, **kwargs) -> Run:
        with django_capture_on_commit_callbacks(execute=True):
            run = services.scenario_run_start(actor=actor, scenario=scenario, **kwargs)
        run.refresh_from_db()
        return run

    return start


def client_for(user) -> Client:
    client = Client()
    if getattr(user, "is_authenticated", False):
        client.force_login(user)
    return client


def lonlat_box(rows: tuple[int, int], cols: tuple[int, int]) -> dict:
    """A GeoJSON polygon in longitude/latitude covering the given rows and columns of the test maps."""
    x0, y0 = origin_in_landscape()
    to_lonlat = Transformer.from_crs(UTM_37S, "EPSG:4326", always_xy=True)
    left, right = x0 + cols[0] * CELL_M, x0 + cols[1] * CELL_M
    top, bottom = y0 - rows[0] * CELL_M, y0 - rows[1] * CELL_M
    ring = [
        to_lonlat.transform(x, y) for x, y in [(left, top), (right, top), (right, bottom), (left, bottom)]
    ]
    ring = [[round(x, 7), round(y, 7)] for x, y in ring]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}
