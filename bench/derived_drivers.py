"""Benchmark of derived drivers (issue 4): distance to a rasterised road network and slope of an
elevation model on a large grid, the pure engine parts (engine/derive.py) plus the rasterisation.

    .venv/bin/python bench/derived_drivers.py            # 5000 x 5000 cells of 30 m
    .venv/bin/python bench/derived_drivers.py --size 1000

Prints wall time per step and the cells per second; no budget is asserted (a driver is computed once per
set, while runs read it every time).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from rasterio.transform import Affine

from landmosaic.scenarios.engine.derive import distance_to, slope_degrees
from landmosaic.scenarios.engine.io import rasterize_geometries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=5000)
    size = parser.parse_args().size
    cell = 30.0
    transform = Affine(cell, 0, 0, 0, -cell, size * cell)
    rng = np.random.default_rng(1)
    # 200 straight roads between random points of the map.
    ends = rng.uniform(0, size * cell, size=(200, 2, 2))
    roads = [{"type": "LineString", "coordinates": e.tolist()} for e in ends]
    rows, cols = np.mgrid[0:size, 0:size].astype(np.float32)
    elevation = 500 + 200 * np.sin(rows / 300) * np.cos(cols / 400) + rows * 0.05

    steps = {}
    start = time.perf_counter()
    mask = rasterize_geometries(geometries=roads, transform=transform, shape=(size, size), all_touched=True)
    steps["rasterise 200 roads"] = time.perf_counter() - start
    start = time.perf_counter()
    distance = distance_to(mask, cell_x=cell, cell_y=cell)
    steps["distance transform"] = time.perf_counter() - start
    start = time.perf_counter()
    slope = slope_degrees(elevation, cell_x=cell, cell_y=cell)
    steps["slope"] = time.perf_counter() - start
    cells = size * size
    print(f"{size} x {size} cells ({cells / 1e6:.1f} M), road cells {mask.mean():.2%}")
    for name, seconds in steps.items():
        print(f"  {name:<22} {seconds:7.2f} s   {cells / seconds / 1e6:7.1f} M cells/s")
    print(f"  max distance {float(distance.max()):.0f} m, max slope {float(np.nanmax(slope)):.1f}°")


if __name__ == "__main__":
    main()
