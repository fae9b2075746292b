"""Business-as-usual projection and scenario interventions."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from landmosaic.scenarios.engine import (
    Driver,
    Intervention,
    ProjectionParams,
    allocation,
    annualise,
    cross_tabulate,
    normalise_driver,
    project,
    project_steps,
    transition_matrix,
    transition_quantities,
)

from .conftest import NODATA, patchy_map


def _lausanne_params(before: np.ndarray, after: np.ndarray, **overrides) -> ProjectionParams:
    crosstab = cross_tabulate(before=before, after=after, nodata=NODATA)
    annual = annualise(matrix=transition_matrix(crosstab=crosstab), years=6)
    options = {
        "classes": tuple(int(c) for c in crosstab.classes),
        "annual_matrix": annual.matrix,
        "nodata": NODATA,
        "cell_area_ha": 6.25,
        "years": 5,
        "seed": 7,
    }
    options.update(overrides)
    return ProjectionParams(**options)


def _off_diagonal(matrix: np.ndarray) -> np.ndarray:
    out = np.array(matrix, copy=True)
    np.fill_diagonal(out, 0)
    return out


def test_quantities_keep_each_row_total_and_round_deterministically():
    counts = np.array([10, 7, 0])
    matrix = np.array([[0.55, 0.25, 0.2], [1 / 3, 1 / 3, 1 / 3], [0.0, 0.5, 0.5]])
    quantities = transition_quantities(counts=counts, matrix=matrix)
    np.testing.assert_array_equal(quantities.sum(axis=1), counts)
    # 10 x (5.5, 2.5, 2): the remainders tie, so the lower class position gets the extra cell.
    np.testing.assert_array_equal(quantities[0], [6, 2, 2])
    # 7/3 each: one cell left over, to the first position.
    np.testing.assert_array_equal(quantities[1], [3, 2, 2])
    np.testing.assert_array_equal(quantities, transition_quantities(counts=counts, matrix=matrix))


def test_bau_conserves_cells_and_realises_the_planned_quantities(lausanne_250):
    before, after = lausanne_250
    params = _lausanne_params(before, after)
    previous = after
    for step in project_steps(landcover=after, params=params):
        assert step.landcover.shape == after.shape
        # Nodata stays nodata and the number of valid cells is unchanged.
        np.testing.assert_array_equal(step.landcover == NODATA, after == NODATA)
        counts = cross_tabulate(
            before=previous,
            after=step.landcover,
            nodata=NODATA,
            classes=np.array(params.classes, dtype=np.uint8),
        ).counts
        np.testing.assert_array_equal(_off_diagonal(counts), _off_diagonal(step.planned))
        np.testing.assert_array_equal(step.realised, _off_diagonal(step.planned))
        # Planned quantities follow the annual matrix applied to this year's class counts.
        class_counts = counts.sum(axis=1)
        np.testing.assert_array_equal(
            step.planned, transition_quantities(counts=class_counts, matrix=params.annual_matrix)
        )
        previous = np.array(step.landcover)
    assert step.year == 5


def test_project_streams_read_only_maps_with_calendar_years(lausanne_250):
    before, after = lausanne_250
    years = project(landcover=after, params=_lausanne_params(before, after, base_year=2012, years=3))
    assert iter(years) is years
    year, landcover = next(years)
    assert year == 2013
    assert not landcover.flags.writeable
    assert [y for y, _ in years] == [2014, 2015]


def test_projection_is_bit_identical_across_runs_and_differs_by_seed(lausanne_250):
    before, after = lausanne_250
    first = [np.array(m) for _, m in project(landcover=after, params=_lausanne_params(before, after))]
    second = [np.array(m) for _, m in project(landcover=after, params=_lausanne_params(before, after))]
    for a, b in zip(first, second, strict=True):
        assert a.tobytes() == b.tobytes()
    other = [np.array(m) for _, m in project(landcover=after, params=_lausanne_params(before, after, seed=8))]
    assert other[-1].tobytes() != first[-1].tobytes()


@pytest.mark.parametrize("edge_bytes", [0.0, float("inf")])
def test_fast_paths_choose_the_same_cells_as_the_full_scan(lausanne_250, monkeypatch, edge_bytes):
    before, after = lausanne_250
    # Both neighbourhood strategies (edge table, whole-map box filter) must agree with the plain scan.
    monkeypatch.setattr(allocation, "EDGE_TABLE_BYTES_PER_CELL", edge_bytes)
    params = _lausanne_params(before, after, years=4)
    fast = [np.array(s.landcover) for s in project_steps(landcover=after, params=params)]
    exact = [np.array(s.landcover) for s in project_steps(landcover=after, params=params, exact=True)]
    for a, b in zip(fast, exact, strict=True):
        np.testing.assert_array_equal(a, b)


def test_projection_does_not_depend_on_thread_settings(lausanne_100_paths, tmp_path):
    script = tmp_path / "run.py"
    script.write_text(
        "import hashlib, sys\n"
        "from landmosaic.scenarios.engine import *\n"
        "from landmosaic.scenarios.engine.io import read_categorical\n"
        "a = read_categorical(path=sys.argv[1]).array\n"
        "b = read_categorical(path=sys.argv[2]).array\n"
        "ct = cross_tabulate(before=a, after=b, nodata=255)\n"
        "m = annualise(matrix=transition_matrix(crosstab=ct), years=6).matrix.round(12)\n"
        "p = ProjectionParams(classes=tuple(int(c) for c in ct.classes), annual_matrix=m, nodata=255,\n"
        "                     cell_area_ha=1.0, years=3, seed=3)\n"
        "h = hashlib.sha256()\n"
        "for _, lc in project(landcover=b, params=p):\n"
        "    h.update(lc.tobytes())\n"
        "print(h.hexdigest())\n"
    )
    root = Path(__file__).resolve().parents[3]
    digests = set()
    for threads in ("1", "2"):
        env = {
            **os.environ,
            "OMP_NUM_THREADS": threads,
            "OPENBLAS_NUM_THREADS": threads,
            "PYTHONPATH": str(root),
        }
        result = subprocess.run(
            [sys.executable, str(script), *map(str, lausanne_100_paths)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
            cwd=root,
        )
        digests.add(result.stdout.strip())
    assert len(digests) == 1


def test_protected_cells_never_change(lausanne_250):
    before, after = lausanne_250
    protected = np.zeros(after.shape, dtype=bool)
    protected[20:90, 40:140] = True
    params = _lausanne_params(
        before, after, years=6, interventions=(Intervention.protect(start_year=1, mask=protected),)
    )
    changed_outside = 0
    for _, landcover in project(landcover=after, params=params):
        np.testing.assert_array_equal(landcover[protected], after[protected])
        changed_outside += int(np.count_nonzero(landcover != after))
    assert changed_outside > 0


def test_no_change_mask_and_protection_start_year():
    start = patchy_map(shape=(30, 30), classes=2)
    matrix = np.array([[0.8, 0.2], [0.3, 0.7]])
    water = np.zeros(start.shape, dtype=bool)
    water[:, :5] = True
    later = np.zeros(start.shape, dtype=bool)
    later[20:, :] = True
    params = ProjectionParams(
        classes=(1, 2),
        annual_matrix=matrix,
        nodata=None,
        cell_area_ha=1.0,
        years=4,
        no_change=water,
        interventions=(Intervention.protect(start_year=3, mask=later),),
    )
    maps = {year: np.array(m) for year, m in project(landcover=start, params=params)}
    for landcover in maps.values():
        np.testing.assert_array_equal(landcover[water], start[water])
    # Protection starts in year 3: the zone may change until year 2 and is frozen afterwards.
    assert np.any(maps[2][later] != start[later])
    np.testing.assert_array_equal(maps[3][later], maps[2][later])
    np.testing.assert_array_equal(maps[4][later], maps[2][later])


def test_restoration_converts_the_target_cells_each_year_capped_by_availability():
    start = np.full((20, 20), 2, dtype=np.uint8)
    start[:, :10] = 1
    zone = np.zeros(start.shape, dtype=bool)
    zone[:, :5] = True
    restore = Intervention.restore(start_year=1, from_class=1, to_class=3, mask=zone, hectares_per_year=120)
    params = ProjectionParams(
        classes=(1, 2, 3),
        annual_matrix=np.eye(3),
        nodata=None,
        cell_area_ha=4.0,
        years=5,
        interventions=(restore,),
    )
    previous = start
    restored_each_year = []
    for step in project_steps(landcover=start, params=params):
        landcover = np.array(step.landcover)
        changed = landcover != previous
        assert not np.any(changed & ~zone)
        assert np.all(previous[changed] == 1) and np.all(landcover[changed] == 3)
        restored_each_year.append(int(changed.sum()))
        assert step.intervention_cells == (restored_each_year[-1],)
        previous = landcover
    # 120 ha / 4 ha = 30 cells a year; the zone holds 100 cells of class 1.
    assert restored_each_year == [30, 30, 30, 10, 0]


def test_fractional_hectares_accumulate_without_drift():
    start = np.ones((10, 10), dtype=np.uint8)
    agro = Intervention.agroforestry(
        start_year=2, from_class=1, to_class=2, mask=np.ones(start.shape, dtype=bool), hectares_per_year=2.5
    )
    params = ProjectionParams(
        classes=(1, 2), annual_matrix=np.eye(2), nodata=None, cell_area_ha=1.0, years=5, interventions=(agro,)
    )
    converted = [step.intervention_cells[0] for step in project_steps(landcover=start, params=params)]
    assert converted == [0, 2, 3, 2, 3]


def test_restoration_goes_before_business_as_usual(lausanne_250):
    before, after = lausanne_250
    source = 12  # the most common class
    zone = after == source
    zone[:, 100:] = False
    restore = Intervention.restore(
        start_year=1, from_class=source, to_class=2, mask=zone, hectares_per_year=250
    )
    steps = list(
        project_steps(landcover=after, params=_lausanne_params(before, after, interventions=(restore,)))
    )
    assert all(step.intervention_cells == (40,) for step in steps)
    assert np.count_nonzero(np.array(steps[0].landcover)[zone] == 2) >= 40


def test_rate_multiplier_halves_a_transition():
    start = patchy_map(shape=(60, 60), classes=3, seed=4)
    matrix = np.array([[0.9, 0.1, 0.0], [0.0, 0.95, 0.05], [0.0, 0.0, 1.0]])
    base = ProjectionParams(classes=(1, 2, 3), annual_matrix=matrix, nodata=None, cell_area_ha=1.0, years=1)
    halved = ProjectionParams(
        classes=(1, 2, 3),
        annual_matrix=matrix,
        nodata=None,
        cell_area_ha=1.0,
        years=1,
        interventions=(Intervention.rate(start_year=1, from_class=1, to_class=2, multiplier=0.5),),
    )
    (plain,) = list(project_steps(landcover=start, params=base))
    (slow,) = list(project_steps(landcover=start, params=halved))
    ones = int(np.count_nonzero(start == 1))
    # Largest-remainder rounding gives the floor or the ceiling of the expected count.
    assert abs(plain.planned[0, 1] - ones * 0.1) < 1
    assert abs(slow.planned[0, 1] - ones * 0.05) < 1
    assert slow.planned[1, 2] == plain.planned[1, 2]


def test_settlement_expansion_multiplies_every_transition_into_settlements():
    start = patchy_map(shape=(60, 60), classes=3, seed=5)
    matrix = np.array([[0.9, 0.05, 0.05], [0.0, 0.96, 0.04], [0.0, 0.0, 1.0]])
    grow = Intervention.expand_settlement(start_year=1, settlement_class=3, multiplier=2.0)
    params = ProjectionParams(
        classes=(1, 2, 3), annual_matrix=matrix, nodata=None, cell_area_ha=1.0, years=1, interventions=(grow,)
    )
    (step,) = list(project_steps(landcover=start, params=params))
    ones, twos = np.count_nonzero(start == 1), np.count_nonzero(start == 2)
    assert abs(step.planned[0, 2] - ones * 0.10) < 1
    assert abs(step.planned[1, 2] - twos * 0.08) < 1
    assert abs(step.planned[0, 1] - ones * 0.05) < 1


def test_drivers_steer_allocation_and_the_scan_agrees(lausanne_250):
    before, after = lausanne_250
    rows = np.broadcast_to(np.arange(after.shape[0], dtype=np.float32)[:, None], after.shape)
    north = Driver(values=normalise_driver(values=rows), weight=2.0, sign=-1)
    params = _lausanne_params(before, after, years=3, drivers=(north,))
    fast = [np.array(s.landcover) for s in project_steps(landcover=after, params=params)]
    exact = [np.array(s.landcover) for s in project_steps(landcover=after, params=params, exact=True)]
    np.testing.assert_array_equal(fast[-1], exact[-1])
    changed_rows = np.nonzero(fast[-1] != after)[0]
    plain = [
        np.array(m) for _, m in project(landcover=after, params=_lausanne_params(before, after, years=3))
    ]
    # A driver favouring low row numbers pulls change towards the north of the map.
    assert changed_rows.mean() < np.nonzero(plain[-1] != after)[0].mean()


def test_invalid_inputs_are_refused():
    start = np.ones((4, 4), dtype=np.uint8)
    with pytest.raises(ValueError, match="annual_matrix"):
        list(
            project(
                landcover=start,
                params=ProjectionParams(
                    classes=(1, 2), annual_matrix=np.eye(3), nodata=None, cell_area_ha=1.0
                ),
            )
        )
    with pytest.raises(ValueError, match="neither nodata"):
        list(
            project(
                landcover=start * 5,
                params=ProjectionParams(
                    classes=(1, 2), annual_matrix=np.eye(2), nodata=None, cell_area_ha=1.0
                ),
            )
        )
    with pytest.raises(ValueError, match="boolean mask"):
        Intervention.restore(
            start_year=1, from_class=1, to_class=2, mask=np.ones((4, 4)), hectares_per_year=1
        )


def test_carried_class_totals_match_a_fresh_count(lausanne_250):
    before, after = lausanne_250
    zone = np.zeros(after.shape, dtype=bool)
    zone[:, :90] = True
    restore = Intervention.restore(start_year=2, from_class=12, to_class=2, mask=zone, hectares_per_year=100)
    carried = _lausanne_params(before, after, years=4, interventions=(restore,))
    # An empty no-change mask makes every year count its free cells afresh.
    counted = _lausanne_params(
        before, after, years=4, interventions=(restore,), no_change=np.zeros(after.shape, dtype=bool)
    )
    pairs = zip(
        project_steps(landcover=after, params=carried),
        project_steps(landcover=after, params=counted),
        strict=True,
    )
    for a, b in pairs:
        np.testing.assert_array_equal(a.planned, b.planned)
        np.testing.assert_array_equal(a.landcover, b.landcover)


@pytest.mark.parametrize("edge_bytes", [0.0, float("inf")])
def test_uint16_codes_and_wider_windows(monkeypatch, edge_bytes):
    monkeypatch.setattr(allocation, "EDGE_TABLE_BYTES_PER_CELL", edge_bytes)
    codes = np.array([1000, 2000, 65000], dtype=np.uint16)
    start = codes[patchy_map(shape=(50, 60), classes=3, seed=9) - 1]
    start[:3, :3] = 65535
    matrix = np.array([[0.9, 0.07, 0.03], [0.02, 0.95, 0.03], [0.01, 0.01, 0.98]])
    params = ProjectionParams(
        classes=(1000, 2000, 65000), annual_matrix=matrix, nodata=65535, cell_area_ha=1.0, years=3, window=5
    )
    fast = list(project_steps(landcover=start, params=params))
    exact = list(project_steps(landcover=start, params=params, exact=True))
    for a, b in zip(fast, exact, strict=True):
        assert a.landcover.dtype == np.uint16
        np.testing.assert_array_equal(a.landcover, b.landcover)
        np.testing.assert_array_equal(a.realised, _off_diagonal(a.planned))
    assert np.all(fast[-1].landcover[:3, :3] == 65535)


def _synthetic_params(**overrides) -> ProjectionParams:
    matrix = np.array(
        [[0.9, 0.06, 0.04, 0.0], [0.03, 0.92, 0.0, 0.05], [0.0, 0.1, 0.88, 0.02], [0, 0, 0.01, 0.99]]
    )
    options = {"classes": (1, 2, 3, 4), "annual_matrix": matrix, "nodata": 0, "cell_area_ha": 1.0, "years": 4}
    options.update(overrides)
    return ProjectionParams(**options)


def test_synthetic_projection_conserves_cells_and_is_reproducible():
    start = patchy_map(shape=(80, 90), classes=4, seed=3)
    start[:6, :6] = 0
    runs = [
        [np.array(s.landcover) for s in project_steps(landcover=start, params=_synthetic_params())]
        for _ in "ab"
    ]
    previous = start
    for step, again in zip(project_steps(landcover=start, params=_synthetic_params()), runs[1], strict=True):
        assert step.landcover.tobytes() == again.tobytes()
        np.testing.assert_array_equal(step.landcover == 0, start == 0)
        counts = cross_tabulate(
            before=previous, after=step.landcover, nodata=0, classes=np.arange(1, 5)
        ).counts
        np.testing.assert_array_equal(_off_diagonal(counts), _off_diagonal(step.planned))
        previous = np.array(step.landcover)
    other = [np.array(m) for _, m in project(landcover=start, params=_synthetic_params(seed=1))]
    assert other[-1].tobytes() != runs[0][-1].tobytes()


@pytest.mark.parametrize(
    "weights, rate, targets",
    [
        ((0.5, 0.5), 0.01, None),  # drivers as strong as half the neighbourhood: a short walk
        ((3.0, 0.0), 0.02, None),  # one dominant driver, the other weightless
        ((0.05, 0.05), 0.30, None),  # weak drivers: the cells next to the target decide
        ((1.0, 1.0), 0.60, None),  # large quantities: some walks go deep and give up for the scan
        ((1.0, 1.0), 0.05, (2,)),  # drivers for one target only; the others take the fast path
    ],
)
def test_the_walk_down_the_drivers_order_chooses_what_the_scan_chooses(weights, rate, targets):
    start = patchy_map(shape=(120, 140), classes=4, seed=11)
    rows, cols = np.indices(start.shape, dtype=np.float32)
    # Coarse values: many cells share a driver part, so ties are ranked by noise and cell index.
    roads = np.floor(np.hypot(rows - 40, cols - 90) / 7)
    slope = np.floor((rows + cols) / 25)
    drivers = tuple(
        Driver(values=normalise_driver(values=values), weight=weight, sign=-1, targets=targets)
        for values, weight in zip((roads, slope), weights, strict=True)
    )
    matrix = np.full((4, 4), rate / 3) + np.eye(4) * (1 - 4 * rate / 3)
    params = ProjectionParams(
        classes=(1, 2, 3, 4), annual_matrix=matrix, nodata=None, cell_area_ha=1.0, years=3, seed=4,
        drivers=drivers,
    )  # fmt: skip
    fast = [np.array(s.landcover) for s in project_steps(landcover=start, params=params)]
    exact = [np.array(s.landcover) for s in project_steps(landcover=start, params=params, exact=True)]
    for a, b in zip(fast, exact, strict=True):
        np.testing.assert_array_equal(a, b)
    assert np.count_nonzero(fast[-1] != start) > 0.02 * rate * start.size
