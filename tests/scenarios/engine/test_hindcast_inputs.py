"""The hindcast runs the business-as-usual model: the same drivers and land that never changes."""

from __future__ import annotations

import numpy as np
import pytest

from landmosaic.scenarios.engine import (
    Driver,
    ProjectionParams,
    backend,
    hindcast,
    normalise_driver,
    project,
)

SIZE = 41
ROWS, COLS = np.indices((SIZE, SIZE))
DISTANCE = np.maximum(abs(ROWS - 20), abs(COLS - 20))


def growing_town() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A town (2) grows ring by ring into farmland (1) until t1; by t2 it grew only west of column 20,
    the east being a reserve that never changes."""
    t0 = np.where(DISTANCE <= 4, 2, 1).astype(np.uint8)
    t1 = np.where(DISTANCE <= 6, 2, 1).astype(np.uint8)
    t2 = np.where((DISTANCE <= 8) & (COLS < 20), 2, t1).astype(np.uint8)
    return t0, t1, t2


def run(**inputs):
    t0, t1, t2 = growing_town()
    return hindcast(
        t0=t0, t1=t1, t2=t2, nodata=None, years_calibration=2, years_validation=2, cell_area_ha=1.0, seed=1,
        **inputs,
    )  # fmt: skip


def test_land_that_never_changes_stays_as_it_was_and_changes_the_figure_of_merit():
    reserve = COLS >= 20
    _t0, t1, _t2 = growing_town()
    free = run()
    kept = run(no_change=reserve)
    assert (free.simulated[reserve] != t1[reserve]).any()  # without the mask the town grows east too
    np.testing.assert_array_equal(kept.simulated[reserve], t1[reserve])
    assert (kept.simulated[~reserve] != t1[~reserve]).any()  # the west still grows
    # Growth placed in the reserve was a false alarm; with the mask it is not placed there at all.
    assert kept.model.false_alarms < free.model.false_alarms
    assert kept.model.figure_of_merit > free.model.figure_of_merit
    # The null model does not depend on the model's inputs.
    assert kept.null == free.null


def north_attracts() -> tuple[Driver, ...]:
    """High values (the northern rows) attract change, strongly enough to beat the neighbourhood."""
    values = normalise_driver(values=(SIZE - ROWS).astype(np.float32))
    return (Driver(values=values, weight=5.0, sign=1),)


def test_a_driver_moves_the_hindcast_change_as_it_moves_a_projection():
    _t0, t1, _t2 = growing_town()
    plain, steered = run(), run(drivers=north_attracts())
    changed = {name: np.nonzero(r.simulated != t1)[0] for name, r in (("plain", plain), ("steered", steered))}
    assert len(changed["plain"]) == len(changed["steered"]) > 0
    assert changed["steered"].mean() < changed["plain"].mean() - 2
    # The hindcast's map is exactly a projection from t1 with the calibrated matrix and the same driver.
    params = ProjectionParams(
        classes=(1, 2), annual_matrix=steered.annual.matrix, nodata=None, cell_area_ha=1.0, years=2, seed=1,
        drivers=north_attracts(),
    )  # fmt: skip
    *_, (_year, projected) = project(landcover=t1, params=params)
    assert projected.tobytes() == steered.simulated.tobytes()


@pytest.mark.skipif(not backend.numba_installed(), reason="numba is not installed")
def test_a_hindcast_with_drivers_and_kept_land_is_the_same_on_both_paths():
    maps = {}
    for path in ("numpy", "numba"):
        with backend.use(path):
            maps[path] = run(drivers=north_attracts(), no_change=COLS >= 30).simulated
    assert maps["numpy"].tobytes() == maps["numba"].tobytes()
