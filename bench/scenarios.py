"""Benchmarks of land-use scenarios (issue 4): the engine on a large map, carbon accounting against a naive
loop, and the real Lausanne pair end to end through the platform.

    .venv/bin/python bench/scenarios.py                  # 5000 x 5000 cells, 8 classes, 2 drivers, 20 years
    .venv/bin/python bench/scenarios.py --smoke          # 500 x 500, 3 years, and Lausanne for 3 years
    .venv/bin/python bench/scenarios.py --map lausanne-tiled --no-platform   # the real matrix, 21 classes
    .venv/bin/python bench/scenarios.py --platform-only  # only Lausanne upload -> run -> results page

1. Engine, numpy path then numba path in the same run (``--engine`` picks one; numba is the optional extra
   ``.[numba]``): yearly business-as-usual steps with a 3 x 3 neighbourhood and two driver rasters
   (distance to roads, slope), wall and CPU time, peak RSS, and a check that both paths give the same maps.
   Budgets (issue 4): 20 steps < 20 s on numpy and < 5 s on numba, peak memory < 1.5 GB.
2. Carbon accounting of one year (engine.carbon_stock) and, in the same run, the naive way: a carbon map
   filled class by class with boolean masks, then summed. Budget < 1 s; InVEST anchor 14 s per map pair.
3. Lausanne 100 m pair (../shared/data, skipped when absent): both GeoTIFFs uploaded to a landscape's
   commons and ingested, a scenario set made, business as usual run for 20 years by the job (maps stored
   as 20 COG versions and an indicator table), then the results page and one map tile served.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

import numpy as np
from scipy import ndimage

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from landmosaic.scenarios.engine import (  # noqa: E402
    CarbonPools,
    Driver,
    ProjectionParams,
    annualise,
    backend,
    carbon_stock,
    cross_tabulate,
    normalise_driver,
    project,
    transition_matrix,
)
from landmosaic.scenarios.engine.io import read_categorical  # noqa: E402

LAUSANNE = ROOT.parent / "shared" / "data" / "real" / "lausanne"
# 20 yearly steps, per path (issue 4).
BUDGETS_STEPS_S = {"numpy": 20.0, "numba": 5.0}
BUDGET_CARBON_S = 1.0
BUDGET_RSS_MB = 1536
INVEST_CARBON_S = 14.0
NODATA = 255
CELL_HA = 0.09  # 30 m cells, as Landsat-based land cover


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- Inputs ----------------------------------------------------------------------------------------


def _smooth(rng: np.random.Generator, shape: tuple[int, int], sigma: float) -> np.ndarray:
    field = ndimage.gaussian_filter(rng.standard_normal(shape).astype(np.float32), sigma)
    return (field - field.mean()) / field.std()


def generated_inputs(side: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[np.ndarray], str]:
    """Eight classes in spatially autocorrelated patches (made at a quarter of the size, then upsampled
    with a fine-grained border noise), a matrix with about 1 % of each class changing a year, and two
    drivers: distance to a road network and slope."""
    rng = np.random.default_rng(0)
    small = (side + 3) // 4
    a, b = _smooth(rng, (small, small), 12), _smooth(rng, (small, small), 5)
    classes_small = (np.digitize(a, [-0.8, 0.0, 0.8]) * 2 + (b > 0)).astype(np.uint8) + 1
    landcover = np.repeat(np.repeat(classes_small, 4, axis=0), 4, axis=1)[:side, :side]
    jitter = rng.random((side, side), dtype=np.float32) < 0.02
    landcover[jitter] = np.roll(landcover, 1, axis=1)[jitter]  # ragged patch borders
    landcover = np.ascontiguousarray(landcover)
    matrix = rng.dirichlet(np.full(8, 0.3), size=8) * 0.01 + np.eye(8) * 0.99
    matrix /= matrix.sum(axis=1, keepdims=True)
    roads = np.zeros((side, side), dtype=bool)
    roads[rng.integers(0, side, 12), :] = True
    roads[:, rng.integers(0, side, 12)] = True
    distance = ndimage.distance_transform_cdt(~roads, metric="taxicab").astype(np.float32)
    del roads
    slope = np.repeat(np.repeat(np.abs(np.gradient(a)[0]), 4, axis=0), 4, axis=1)[:side, :side]
    drivers = [normalise_driver(values=distance), normalise_driver(values=np.ascontiguousarray(slope))]
    return landcover, np.arange(1, 9, dtype=np.uint8), matrix, drivers, "generated patches, 2 drivers"


def lausanne_inputs(side: int, pattern: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, list, str]:
    """The real 2012 map grown to the size (upsampled: large patches; tiled: the native 100 m grain) and
    the real 2006 -> 2012 annual matrix (21 classes), no drivers."""
    before = read_categorical(path=LAUSANNE / "ls100_06.tif").array
    after = read_categorical(path=LAUSANNE / "ls100_12.tif").array
    crosstab = cross_tabulate(before=before, after=after, nodata=NODATA)
    annual = annualise(matrix=transition_matrix(crosstab=crosstab), years=6)
    _, (rows, cols) = ndimage.distance_transform_edt(after == NODATA, return_indices=True)
    filled = after[rows, cols]
    if pattern == "tiled":
        tile = np.block([[filled, filled[:, ::-1]], [filled[::-1], filled[::-1, ::-1]]])
        reps = (side // tile.shape[0] + 1, side // tile.shape[1] + 1)
        big = np.ascontiguousarray(np.tile(tile, reps)[:side, :side])
    else:
        r = (np.arange(side) * filled.shape[0]) // side
        c = (np.arange(side) * filled.shape[1]) // side
        big = np.ascontiguousarray(filled[r][:, c])
    return big, crosstab.classes, annual.matrix, [], f"Lausanne 100 m {pattern}, matrix by {annual.method}"


def pools_for(classes: np.ndarray) -> CarbonPools:
    rng = np.random.default_rng(1)
    above, soil = rng.uniform(0, 150, len(classes)), rng.uniform(20, 120, len(classes))
    return CarbonPools.from_rows(
        rows=[
            {"lucode": int(c), "c_above": a, "c_below": a / 4, "c_soil": s, "c_dead": a / 10}
            for c, a, s in zip(classes, above, soil, strict=True)
        ]
    )


def naive_carbon(landcover: np.ndarray, pools: CarbonPools, classes: np.ndarray) -> float:
    """The way a script usually does it (and InVEST's carbon map): a float map filled class by class."""
    densities = pools.density(classes=classes)
    carbon_map = np.zeros(landcover.shape, dtype=np.float64)
    for code, value in zip(classes.tolist(), densities.tolist(), strict=True):
        carbon_map[landcover == code] = value * CELL_HA
    return float(carbon_map.sum())


# --- 1 and 2: engine and carbon --------------------------------------------------------------------


def engine_bench(args: argparse.Namespace) -> None:
    side = round(args.cells**0.5)
    started = time.perf_counter()
    if args.map == "generated" or not (LAUSANNE / "ls100_06.tif").exists():
        landcover, classes, matrix, drivers, source = generated_inputs(side)
    else:
        landcover, classes, matrix, drivers, source = lausanne_inputs(side, args.map.split("-")[1])
    pools = pools_for(classes)
    params = ProjectionParams(
        classes=tuple(int(c) for c in classes),
        annual_matrix=matrix,
        nodata=NODATA,
        cell_area_ha=CELL_HA,
        years=args.years,
        seed=1,
        window=3,
        # Change happens near roads and on gentle slopes.
        drivers=tuple(Driver(values=values, weight=0.5, sign=-1) for values in drivers),
    )
    setup_s = time.perf_counter() - started
    rss_inputs = peak_rss_mb()
    print(f"== Engine: {side} x {side} = {landcover.size:,} cells, {len(classes)} classes, {source}")
    print(f"   setup {setup_s:.1f} s; peak RSS after inputs {rss_inputs:.0f} MB")

    paths = ["numpy", "numba"] if args.engine == "both" else [args.engine]
    if "numba" in paths and not backend.numba_installed():
        print("   numba path: skipped, numba is not installed (pip install -e '.[numba]')")
        paths.remove("numba")
    runs = {}
    for path in paths:
        with backend.use(path):
            runs[path] = _timed_projection(path, landcover, params, pools, carbon=not runs)
    first, *others = paths
    for path in others:
        same = runs[path].digests == runs[first].digests
        print(f"   {path} maps {'bit-identical to' if same else 'DIFFER FROM'} {first} maps, all "
              f"{len(runs[path].digests)} years")  # fmt: skip
        assert same, f"{path} and {first} paths disagree"
    if {"numpy", "numba"} <= runs.keys():
        numpy_run, numba_run = runs["numpy"], runs["numba"]
        # CPU time too: other jobs on a shared machine stretch wall time, not the process's own work.
        print(f"   numba path {numpy_run.total / numba_run.total:.1f}x faster than numpy in wall time "
              f"({numba_run.total:.2f} s against {numpy_run.total:.2f} s), "
              f"{numpy_run.cpu / numba_run.cpu:.1f}x in CPU time ({numba_run.cpu:.2f} s against "
              f"{numpy_run.cpu:.2f} s)")  # fmt: skip
    carbon_times, current = runs[first].carbon_times, runs[first].final
    naive_times = []
    for _ in range(3):
        tick = time.perf_counter()
        naive = naive_carbon(current, pools, classes)
        naive_times.append(time.perf_counter() - tick)
    engine_carbon = carbon_stock(landcover=current, pools=pools, cell_area_ha=CELL_HA, nodata=NODATA)
    assert abs(naive - engine_carbon) <= 1e-6 * max(1.0, abs(naive)), (naive, engine_carbon)
    steps = len(carbon_times)
    carbon_s, naive_s = float(np.median(carbon_times)), float(np.median(naive_times))
    print(f"== Carbon of one year: {carbon_s:.3f} s (median of {steps}), budget {BUDGET_CARBON_S:.0f} s "
          f"-> ratio {carbon_s / BUDGET_CARBON_S:.3f}")  # fmt: skip
    print(f"   naive per-class loop, same map, same run: {naive_s:.3f} s -> engine is "
          f"{naive_s / carbon_s:.1f}x faster; InVEST anchor {INVEST_CARBON_S:.0f} s a map pair -> ratio "
          f"{2 * carbon_s / INVEST_CARBON_S:.4f}")  # fmt: skip


class _Run(NamedTuple):
    total: float
    cpu: float
    digests: list[str]
    carbon_times: list[float]
    final: np.ndarray


def _timed_projection(
    path: str, landcover: np.ndarray, params: ProjectionParams, pools: CarbonPools, *, carbon: bool
) -> _Run:
    """One projection on the active path: wall and CPU time a step, a digest of every year's map (to
    compare paths) and, for the first path, the carbon of every year."""
    print(f"-- {path} path")
    if path == "numba":
        # Compiling (or loading the cached kernels) once per process is not the projection's time.
        tick = time.perf_counter()
        small = np.ascontiguousarray(landcover[:64, :64])
        drivers = tuple(dataclasses.replace(d, values=d.values[:64, :64]) for d in params.drivers)
        warm = dataclasses.replace(params, years=1, drivers=drivers)
        for _ in project(landcover=small, params=warm):
            pass
        print(f"   kernels compiled or loaded from the cache: {time.perf_counter() - tick:.2f} s")
    step_times, step_cpu, carbon_times, digests = [], [], [], []
    years = project(landcover=landcover, params=params)
    current = landcover
    while True:
        tick, cpu = time.perf_counter(), time.process_time()
        try:
            year, current = next(years)
        except StopIteration:
            break
        step_times.append(time.perf_counter() - tick)
        step_cpu.append(time.process_time() - cpu)
        digests.append(hashlib.sha256(current.tobytes()).hexdigest())
        line = f"   year {year:2d}: step {step_times[-1]:.2f} s (CPU {step_cpu[-1]:.2f} s)"
        if carbon:
            tick = time.perf_counter()
            stock = carbon_stock(landcover=current, pools=pools, cell_area_ha=CELL_HA, nodata=NODATA)
            carbon_times.append(time.perf_counter() - tick)
            line += f", carbon {carbon_times[-1]:.3f} s, {stock:,.0f} Mg C"
        print(line)
    rss = peak_rss_mb()
    total, steps = sum(step_times), len(step_times)
    budget = BUDGETS_STEPS_S[path] * steps / 20
    print(f"   {path}: {steps} steps: {total:.2f} s ({total / steps:.2f} s a step), budget {budget:.0f} s "
          f"-> ratio {total / budget:.2f}; CPU {sum(step_cpu):.2f} s; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")  # fmt: skip
    print(f"   peak RSS of the process so far {rss:.0f} MB, budget {BUDGET_RSS_MB} MB "
          f"-> ratio {rss / BUDGET_RSS_MB:.2f}")  # fmt: skip
    return _Run(
        total=total, cpu=sum(step_cpu), digests=digests, carbon_times=carbon_times, final=np.array(current)
    )


# --- 3: Lausanne through the platform --------------------------------------------------------------


def platform_bench(years: int) -> None:
    if not (LAUSANNE / "ls100_06.tif").exists():
        print(f"== Lausanne end to end: skipped, no data at {LAUSANNE}")
        return
    # Django only now: the engine figures above are measured without it in memory.
    if "DATABASE_URL" not in os.environ:
        os.environ["LANDMOSAIC_VAR_DIR"] = tempfile.mkdtemp(prefix="landmosaic-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "landmosaic.config.settings.local")
    os.environ["DEBUG"] = "false"
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from landmosaic.accounts.models import User
    from landmosaic.landscapes.models import Landscape, Membership
    from landmosaic.scenarios import commons, services
    from landmosaic.scenarios.models import Scenario

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)  # production-like pages
    user = User.objects.create_user(email="bench@example.org", password="bench-password-123")
    landscape = Landscape.objects.create(name="Lausanne", slug="lausanne", visibility="private")
    Membership.objects.create(landscape=landscape, user=user, role="editor")
    print(f"== Lausanne 100 m end to end ({years} years)")
    clock = time.perf_counter()
    maps = [commons.upload_now(actor=user, landscape=landscape, path=LAUSANNE / name)
            for name in ("ls100_06.tif", "ls100_12.tif")]  # fmt: skip
    upload_s = time.perf_counter() - clock
    version = maps[1].current_version
    cells = version.details["width"] * version.details["height"]
    clock = time.perf_counter()
    scenario_set = services.scenario_set_create(
        actor=user, landscape=landscape, title="Lausanne 2006-2012", t0_dataset_id=maps[0].pk,
        t1_dataset_id=maps[1].pk, t0_year=2006, t1_year=2012, horizon_years=years,
    )  # fmt: skip
    rows = [f"{e['code']},{10 + i},{2 + i % 5},{40 + i},1" for i, e in enumerate(scenario_set.legend)]
    pools = "\n".join(["lucode,c_above,c_below,c_soil,c_dead", *rows]).encode()
    services.scenario_set_import_table(
        actor=user, scenario_set=scenario_set, table="carbon_pools", data=pools
    )
    set_s = time.perf_counter() - clock
    clock = time.perf_counter()
    run = services.scenario_run_now(actor=user, scenario=scenario_set.scenarios.get(kind=Scenario.Kind.BAU))
    run_s = time.perf_counter() - clock
    assert run.succeeded, run.error
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    url = f"/landscapes/lausanne/scenarios/runs/{run.pk}/results/"
    clock = time.perf_counter()
    page = client.get(url)
    page_s = time.perf_counter() - clock
    assert page.status_code == 200, page.status_code
    west, south, east, north = version.bbox_4326
    z, lat = 11, np.radians((south + north) / 2)
    x = int(((west + east) / 2 + 180) / 360 * 2**z)
    y = int((1 - np.arcsinh(np.tan(lat)) / np.pi) / 2 * 2**z)
    tile = f"/landscapes/lausanne/data/{run.landcover_dataset.slug}/versions/{years}/tiles/{z}/{x}/{y}.png"
    clock = time.perf_counter()
    tile_response = client.get(tile)
    tile_s = time.perf_counter() - clock
    print(f"   map {version.details['width']} x {version.details['height']} = {cells:,} cells, "
          f"{len(scenario_set.legend)} classes")  # fmt: skip
    print(f"   upload + ingest of both maps: {upload_s:.2f} s; scenario set with pools: {set_s:.2f} s")
    print(f"   run of {years} years (projection, {years} COGs ingested as versions, table): {run_s:.2f} s")
    print(f"   results page: {page_s * 1000:.0f} ms ({len(page.content) / 1024:.0f} KiB); one map tile: "
          f"{tile_s * 1000:.0f} ms (HTTP {tile_response.status_code}, "
          f"{len(tile_response.content)} bytes)")  # fmt: skip
    print(f"   total upload -> results page: {upload_s + set_s + run_s + page_s:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cells", type=int, default=25_000_000, help="approximate cell count (square map)")
    parser.add_argument("--years", type=int, default=20)
    maps = ("generated", "lausanne-upsampled", "lausanne-tiled")
    parser.add_argument("--map", choices=maps, default="generated")
    parser.add_argument(
        "--engine", choices=("both", "numpy", "numba"), default="both",
        help="which path of the engine to time (both: numpy then numba in the same run, maps compared)",
    )  # fmt: skip
    parser.add_argument("--smoke", action="store_true", help="500 x 500 cells, 3 years")
    parser.add_argument("--no-platform", action="store_true", help="skip the Lausanne end-to-end part")
    parser.add_argument("--platform-only", action="store_true", help="only the Lausanne end-to-end part")
    args = parser.parse_args()
    if args.smoke:
        args.cells, args.years = 250_000, 3
    if not args.platform_only:
        engine_bench(args)
    if not args.no_platform:
        platform_bench(args.years)


if __name__ == "__main__":
    main()
