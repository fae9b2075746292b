"""Benchmark of the scenario engine: yearly business-as-usual steps and carbon accounting on a large map.

    .venv/bin/python bench/scenario_engine.py            # 5000 x 5000 = 25,000,000 cells, 20 years
    .venv/bin/python bench/scenario_engine.py --smoke    # 500 x 500, 3 years, a few seconds
    .venv/bin/python bench/scenario_engine.py --cells 4000000 --years 10 --pattern tiled

The map is the real Lausanne land-use map (../shared/data), nodata filled from the nearest valid cell and
upsampled to the requested size, driven by its real 2006 -> 2012 annual matrix (21 classes, ~117 transitions);
without the shared data a generated patch pattern and matrix are used instead.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np
from scipy import ndimage

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from landmosaic.scenarios.engine import (  # noqa: E402
    CarbonPools,
    ProjectionParams,
    annualise,
    carbon_stock,
    cross_tabulate,
    impacts_by_zone,
    project,
    transition_matrix,
)
from landmosaic.scenarios.engine.io import read_categorical  # noqa: E402

LAUSANNE = ROOT.parent / "shared" / "data" / "real" / "lausanne"
BUDGET_STEPS_S = 20.0
BUDGET_CARBON_S = 1.0
INVEST_CARBON_S = 14.0
NODATA = 255


def lausanne_inputs(side: int, pattern: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, str]:
    before = read_categorical(path=LAUSANNE / "ls100_06.tif").array
    after = read_categorical(path=LAUSANNE / "ls100_12.tif").array
    crosstab = cross_tabulate(before=before, after=after, nodata=NODATA)
    annual = annualise(matrix=transition_matrix(crosstab=crosstab), years=6)
    _, (rows, cols) = ndimage.distance_transform_edt(after == NODATA, return_indices=True)
    filled = after[rows, cols]
    if pattern == "tiled":
        # Mirrored tiles keep the native 100 m fragmentation (many patch edges) at any size.
        tile = np.block([[filled, filled[:, ::-1]], [filled[::-1], filled[::-1, ::-1]]])
        reps = (side // tile.shape[0] + 1, side // tile.shape[1] + 1)
        big = np.ascontiguousarray(np.tile(tile, reps)[:side, :side])
    else:
        r = (np.arange(side) * filled.shape[0]) // side
        c = (np.arange(side) * filled.shape[1]) // side
        big = np.ascontiguousarray(filled[r][:, c])
    return big, crosstab.classes, annual.matrix, f"Lausanne 100 m {pattern}, annual matrix by {annual.method}"


def generated_inputs(side: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, str]:
    rng = np.random.default_rng(0)
    blocks = rng.integers(1, 9, size=(side // 16 + 1, side // 16 + 1), dtype=np.uint8)
    big = np.ascontiguousarray(np.kron(blocks, np.ones((16, 16), dtype=np.uint8))[:side, :side])
    matrix = rng.dirichlet(np.full(8, 0.3), size=8) * 0.04 + np.eye(8) * 0.96
    return (
        big,
        np.arange(1, 9, dtype=np.uint8),
        matrix / matrix.sum(axis=1, keepdims=True),
        "generated blocks",
    )


def pools_for(classes: np.ndarray) -> CarbonPools:
    rng = np.random.default_rng(1)
    return CarbonPools.from_rows(
        rows=[
            {"lucode": int(c), "c_above": a, "c_below": a / 4, "c_soil": s, "c_dead": a / 10}
            for c, a, s in zip(
                classes, rng.uniform(0, 150, len(classes)), rng.uniform(20, 120, len(classes)), strict=True
            )
        ]
    )


def _edge_share(landcover: np.ndarray) -> float:
    rows = landcover[1:] != landcover[:-1]
    cols = landcover[:, 1:] != landcover[:, :-1]
    edge = np.zeros(landcover.shape, dtype=bool)
    edge[1:] |= rows
    edge[:-1] |= rows
    edge[:, 1:] |= cols
    edge[:, :-1] |= cols
    return float(edge.mean())


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cells", type=int, default=25_000_000, help="approximate cell count (square map)")
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--smoke", action="store_true", help="500 x 500 cells, 3 years")
    parser.add_argument(
        "--pattern",
        choices=("upsampled", "tiled"),
        default="upsampled",
        help="upsample the Lausanne map (large patches) or tile it at its native grain (many edges)",
    )
    args = parser.parse_args()
    if args.smoke:
        args.cells, args.years = 250_000, 3
    side = round(args.cells**0.5)

    started = time.perf_counter()
    if (LAUSANNE / "ls100_06.tif").exists():
        landcover, classes, matrix, source = lausanne_inputs(side, args.pattern)
    else:
        landcover, classes, matrix, source = generated_inputs(side)
    pools = pools_for(classes)
    params = ProjectionParams(
        classes=tuple(int(c) for c in classes),
        annual_matrix=matrix,
        nodata=NODATA,
        cell_area_ha=0.01,
        years=args.years,
        seed=args.seed,
    )
    setup_s = time.perf_counter() - started
    rss_inputs = peak_rss_mb()
    print(f"map: {side} x {side} = {landcover.size:,} cells, {len(classes)} classes, {source}")
    edges = _edge_share(landcover)
    print(f"cells with a different class among their 4 neighbours: {edges:.1%}")
    print(f"transitions with cells each year: {int(np.count_nonzero(matrix - np.diag(np.diag(matrix))))}")
    print(f"setup (map + matrix): {setup_s:.2f} s, peak RSS after inputs: {rss_inputs:.0f} MB")

    step_times, step_cpu, carbon_times = [], [], []
    changed = []
    carbon_before = carbon_stock(landcover=landcover, pools=pools, cell_area_ha=0.01, nodata=NODATA)
    years = project(landcover=landcover, params=params)
    previous = landcover
    while True:
        tick, cpu = time.perf_counter(), time.process_time()
        try:
            year, current = next(years)
        except StopIteration:
            break
        step_times.append(time.perf_counter() - tick)
        step_cpu.append(time.process_time() - cpu)
        tick = time.perf_counter()
        carbon = carbon_stock(landcover=current, pools=pools, cell_area_ha=0.01, nodata=NODATA)
        carbon_times.append(time.perf_counter() - tick)
        changed.append(int(np.count_nonzero(current != previous)))
        previous = current
        print(
            f"  year {year:2d}: step {step_times[-1]:.2f} s (CPU {step_cpu[-1]:.2f} s), "
            f"carbon {carbon_times[-1]:.3f} s, "
            f"{changed[-1]:,} cells changed, {carbon:,.0f} Mg C"
        )

    tick = time.perf_counter()
    zones = (
        np.arange(landcover.size, dtype=np.int32).reshape(landcover.shape) // (landcover.size // 8)
    ).astype(np.int32)
    impacts_by_zone(
        before=landcover,
        after=previous,
        classes=classes,
        nodata=NODATA,
        cell_area_ha=0.01,
        zones=zones,
        pools=pools,
        coefficients={"water": {int(c): 1.0 for c in classes}},
    )
    zone_s = time.perf_counter() - tick

    total = sum(step_times)
    steps = len(step_times)
    budget_steps = BUDGET_STEPS_S * steps / 20
    carbon_mean = float(np.mean(carbon_times))
    print()
    print(
        f"{steps} yearly steps: {total:.2f} s total, {total / steps:.2f} s per step "
        f"(first {step_times[0]:.2f} s, later mean {np.mean(step_times[1:] or step_times):.2f} s)"
    )
    print(f"  budget {budget_steps:.0f} s for {steps} steps -> ratio {total / budget_steps:.2f}")
    print(
        f"  CPU time of this process: {sum(step_cpu):.2f} s (ratio {sum(step_cpu) / budget_steps:.2f}); "
        f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    print(f"carbon accounting: {carbon_mean:.3f} s per year (max {max(carbon_times):.3f} s)")
    print(
        f"  budget {BUDGET_CARBON_S:.0f} s -> ratio {carbon_mean / BUDGET_CARBON_S:.3f}; "
        f"InVEST anchor {INVEST_CARBON_S:.0f} s per map pair -> ratio {2 * carbon_mean / INVEST_CARBON_S:.4f}"
    )
    print(f"impacts_by_zone (8 zones, transitions + carbon + 1 indicator, one year): {zone_s:.2f} s")
    print(f"carbon change over {steps} years: {carbon - carbon_before:,.0f} Mg C")
    print(
        f"peak RSS: {peak_rss_mb():.0f} MB "
        f"(inputs alone {rss_inputs:.0f} MB; one map {landcover.nbytes / 2**20:.0f} MB)"
    )


if __name__ == "__main__":
    main()
