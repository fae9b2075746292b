"""Driver rasters derived from other data: distance to mapped features and slope of an elevation model.

Pure numpy/scipy on a grid given by its cell sizes in metres; reading, rasterising and storing are the
caller's job.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import ndimage

#: Metres per degree of latitude (mean Earth radius 6 371 008.8 m); a degree of longitude is this times
#: the cosine of the latitude.
METRES_PER_DEGREE = 2 * math.pi * 6_371_008.8 / 360


def cell_size_metres(
    *, cell_x: float, cell_y: float, geographic: bool, latitude: float = 0.0
) -> tuple[float, float]:
    """The cell's width and height in metres: as given on a projected grid; on a longitude/latitude grid,
    the degrees converted at ``latitude`` (the grid's centre), so distances are approximate away from it."""
    cell_x, cell_y = abs(float(cell_x)), abs(float(cell_y))
    if not geographic:
        return cell_x, cell_y
    return cell_x * METRES_PER_DEGREE * math.cos(math.radians(latitude)), cell_y * METRES_PER_DEGREE


def distance_to(features: np.ndarray, *, cell_x: float, cell_y: float) -> np.ndarray:
    """Euclidean distance in metres from each cell's centre to the centre of the nearest feature cell
    (0 on the features), as float32; ``features`` is a boolean mask with at least one True."""
    mask = np.asarray(features, dtype=bool)
    if not mask.any():
        raise ValueError("no feature cell to measure distances from")
    # distance_transform_edt measures to the nearest zero: the features are the zeros.
    distances = ndimage.distance_transform_edt(~mask, sampling=(abs(cell_y), abs(cell_x)))
    return np.asarray(distances, dtype=np.float32)


def slope_degrees(elevation: np.ndarray, *, cell_x: float, cell_y: float) -> np.ndarray:
    """Slope in degrees from central differences of an elevation grid (metres), as float32; cells next to
    a missing value (NaN) are NaN too, and a grid thinner than two cells has no slope (ValueError)."""
    values = np.asarray(elevation, dtype=np.float64)
    if values.ndim != 2 or min(values.shape) < 2:
        raise ValueError("a slope needs an elevation grid of at least 2 x 2 cells")
    dz_dy, dz_dx = np.gradient(values, abs(cell_y), abs(cell_x))
    slope = np.degrees(np.arctan(np.hypot(dz_dx, dz_dy)))
    # Central differences skip the cell itself: a missing elevation still has no slope of its own.
    slope[~np.isfinite(values)] = np.nan
    return slope.astype(np.float32)
