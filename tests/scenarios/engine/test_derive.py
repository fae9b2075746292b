"""Distances to features and slopes computed on small grids, checked against values worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from landmosaic.scenarios.engine.derive import cell_size_metres, distance_to, slope_degrees


def test_distances_are_metres_to_the_nearest_feature_cell():
    features = np.zeros((3, 4), dtype=bool)
    features[0, 0] = True
    features[2, 3] = True
    distances = distance_to(features, cell_x=10.0, cell_y=20.0)
    # Row 0: 0, 10, 20 from (0,0); the last cell is 40 m above (2,3) and 30 m right of (0,0) → 30.
    assert distances[0].tolist() == [0.0, 10.0, 20.0, 30.0]
    # (1,1): to (0,0) √(10²+20²) ≈ 22.36; to (2,3) √(20²+20²) ≈ 28.28.
    assert distances[1, 1] == pytest.approx(math.hypot(10, 20), rel=1e-6)
    # (2,0): to (0,0) 40 m down; to (2,3) 30 m across.
    assert distances[2, 0] == pytest.approx(30.0)
    assert distances[2, 3] == 0.0
    assert distances.dtype == np.float32


def test_no_feature_is_refused():
    with pytest.raises(ValueError, match="no feature"):
        distance_to(np.zeros((2, 2), dtype=bool), cell_x=1, cell_y=1)


def test_the_slope_of_a_plane_is_the_arctangent_of_its_gradient():
    rows, cols = np.mgrid[0:6, 0:7]
    # 30 m cells; elevation rises 3 m per cell eastwards and 4 m per cell southwards: gradient 5/30.
    elevation = 3.0 * cols + 4.0 * rows
    slope = slope_degrees(elevation, cell_x=30.0, cell_y=30.0)
    expected = math.degrees(math.atan(math.hypot(3 / 30, 4 / 30)))
    assert np.allclose(slope, expected, atol=1e-4)
    assert slope_degrees(np.full((3, 3), 7.0), cell_x=1, cell_y=1).max() == 0.0


def test_missing_elevations_make_their_neighbours_missing():
    elevation = np.arange(16, dtype=float).reshape(4, 4)
    elevation[1, 1] = np.nan
    slope = slope_degrees(elevation, cell_x=1, cell_y=1)
    assert np.isnan(slope[1, 1]) and np.isnan(slope[1, 2]) and np.isnan(slope[2, 1])
    assert np.isfinite(slope[3, 3])
    with pytest.raises(ValueError, match="2 x 2"):
        slope_degrees(np.ones((1, 5)), cell_x=1, cell_y=1)


def test_degrees_become_metres_at_the_grid_latitude():
    assert cell_size_metres(cell_x=25, cell_y=-25, geographic=False) == (25.0, 25.0)
    width, height = cell_size_metres(cell_x=0.001, cell_y=-0.001, geographic=True, latitude=60.0)
    assert height == pytest.approx(111.195, rel=1e-4)
    assert width == pytest.approx(height / 2, rel=1e-6)
