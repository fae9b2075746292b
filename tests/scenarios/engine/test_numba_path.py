"""The numba path gives bit-identical maps to the numpy path (skipped when numba is not installed)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from landmosaic.scenarios.engine import (
    Driver,
    Intervention,
    ProjectionParams,
    allocation,
    backend,
    neighbourhood,
    normalise_driver,
    project_steps,
)
from landmosaic.scenarios.engine.change import class_lookup
from landmosaic.scenarios.engine.neighbourhood import EdgeNeighbours, GroupScoring
from landmosaic.scenarios.engine.potential import OrderPrefix, PotentialModel, _quantise
from landmosaic.scenarios.engine.ranking import top_k

from .conftest import patchy_map

pytestmark = pytest.mark.skipif(not backend.numba_installed(), reason="numba is not installed")


def _both_paths(start: np.ndarray, params: ProjectionParams) -> None:
    """Project on each path and require the same maps, plans and realised counts every year."""
    runs = {}
    for path in ("numpy", "numba"):
        with backend.use(path):
            runs[path] = [
                (np.array(s.landcover), s.planned, s.realised, s.intervention_cells)
                for s in project_steps(landcover=start, params=params)
            ]
    assert len(runs["numpy"]) == params.years
    for (a, plan_a, real_a, moved_a), (b, plan_b, real_b, moved_b) in zip(
        runs["numpy"], runs["numba"], strict=True
    ):
        assert a.dtype == b.dtype
        assert a.tobytes() == b.tobytes()
        np.testing.assert_array_equal(plan_a, plan_b)
        np.testing.assert_array_equal(real_a, real_b)
        assert moved_a == moved_b
    # The comparison means something only if the maps changed.
    assert np.count_nonzero(runs["numba"][-1][0] != start) > 0


def _drivers(shape: tuple[int, int], seed: int, targets: tuple[int, ...] | None) -> tuple[Driver, ...]:
    rows, cols = np.indices(shape, dtype=np.float32)
    rng = np.random.default_rng(seed)
    # Coarse values so that many cells tie on their drivers' part and noise and cell index decide.
    roads = np.floor(np.hypot(rows - rng.integers(shape[0]), cols - rng.integers(shape[1])) / 7)
    slope = rng.random(shape, dtype=np.float32)
    return (
        Driver(values=normalise_driver(values=roads), weight=0.7, sign=-1, targets=targets),
        Driver(values=normalise_driver(values=slope), weight=0.3, sign=1),
    )


@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    classes=st.integers(2, 6),
    rate=st.sampled_from([0.02, 0.1, 0.3]),
    window=st.sampled_from([3, 5]),
    drivers=st.sampled_from(["none", "all", "one target"]),
    nodata=st.booleans(),
    # The neighbourhood strategy: whole-map box filter (0), edge table (inf), or chosen by size (1 byte).
    edge_bytes=st.sampled_from([0.0, 1.0, float("inf")]),
    # The numba path's edge cells grouped by (target, source) at once, or tabled and counted per target.
    grouped=st.booleans(),
    # The drivers' order made a few cells at a time (walks then extend it), or whole at once.
    first_cells=st.sampled_from([1, 7, OrderPrefix.FIRST]),
)
def test_random_landscapes_give_the_same_maps_on_both_paths(
    seed, classes, rate, window, drivers, nodata, edge_bytes, grouped, first_cells
):
    rng = np.random.default_rng(seed)
    shape = (int(rng.integers(30, 90)), int(rng.integers(30, 90)))
    start = patchy_map(shape=shape, classes=classes, seed=seed)
    if nodata:
        start[: rng.integers(1, 10), : rng.integers(1, 10)] = 0
    # Every class loses ``rate`` of its cells a year, shared unevenly among the others.
    off = rng.uniform(0.2, 1.0, size=(classes, classes))
    np.fill_diagonal(off, 0)
    matrix = off / off.sum(axis=1, keepdims=True) * rate + np.eye(classes) * (1 - rate)
    codes = tuple(range(1, classes + 1))
    chosen = {
        "none": (),
        "all": _drivers(shape, seed, None),
        "one target": _drivers(shape, seed, (2,)),
    }
    params = ProjectionParams(
        classes=codes, annual_matrix=matrix, nodata=0 if nodata else None, cell_area_ha=1.0, years=3,
        seed=seed, window=window, drivers=chosen[drivers],
    )  # fmt: skip
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(allocation, "EDGE_TABLE_BYTES_PER_CELL", edge_bytes)
        patch.setattr(neighbourhood, "MAX_GROUPED_CLASSES", 1024 if grouped else 0)
        patch.setattr(OrderPrefix, "FIRST", first_cells)
        _both_paths(start, params)


@pytest.mark.parametrize("edge_bytes", [0.0, float("inf")])
def test_interventions_give_the_same_maps_on_both_paths(monkeypatch, edge_bytes):
    # Both neighbourhood strategies (edge table, whole-map box filter) on each path.
    monkeypatch.setattr(allocation, "EDGE_TABLE_BYTES_PER_CELL", edge_bytes)
    start = patchy_map(shape=(90, 110), classes=4, seed=5)
    zone = np.zeros(start.shape, dtype=bool)
    zone[10:60, 20:80] = True
    park = np.zeros(start.shape, dtype=bool)
    park[50:, :40] = True
    water = np.zeros(start.shape, dtype=bool)
    water[:, :4] = True
    interventions = (
        Intervention.restore(start_year=1, from_class=2, to_class=5, mask=zone, hectares_per_year=40),
        Intervention.protect(start_year=2, mask=park),
        Intervention.rate(start_year=1, from_class=1, to_class=3, multiplier=0.5),
    )
    matrix = np.full((5, 5), 0.02) + np.eye(5) * 0.9
    matrix[4] = np.eye(5)[4]
    params = ProjectionParams(
        classes=(1, 2, 3, 4, 5), annual_matrix=matrix, nodata=None, cell_area_ha=1.0, years=4, seed=3,
        drivers=_drivers(start.shape, 3, None), no_change=water, interventions=interventions,
    )  # fmt: skip
    _both_paths(start, params)


def test_uint16_codes_give_the_same_maps_on_both_paths():
    codes = np.array([1000, 2000, 65000], dtype=np.uint16)
    start = codes[patchy_map(shape=(50, 60), classes=3, seed=9) - 1]
    start[:3, :3] = 65535
    matrix = np.array([[0.9, 0.07, 0.03], [0.02, 0.95, 0.03], [0.01, 0.01, 0.98]])
    params = ProjectionParams(
        classes=(1000, 2000, 65000), annual_matrix=matrix, nodata=65535, cell_area_ha=1.0, years=3, window=5,
        drivers=_drivers(start.shape, 1, None),
    )  # fmt: skip
    _both_paths(start, params)


def test_the_switch_selects_a_path_and_refuses_unknown_names():
    with backend.use("numpy"):
        assert backend.kernels() is None and backend.name() == "numpy"
        with backend.use("numba"):
            assert backend.kernels() is not None and backend.name() == "numba"
        assert backend.name() == "numpy"
    with pytest.raises(ValueError), backend.use("fortran"):
        pass


@settings(max_examples=25, deadline=None)
@given(
    values=st.lists(st.floats(width=32) | st.floats(-0.5, 1.5), min_size=1, max_size=60),
    sign=st.sampled_from([1, -1]),
)
def test_drivers_are_quantised_alike_on_both_paths(values, sign):
    # NaN, infinities and values outside 0..1 included.
    raster = np.array([*values, np.nan, -np.inf, 1.0], dtype=np.float32).reshape(1, -1)
    driver = Driver(values=raster, weight=1.0, sign=sign)
    np.testing.assert_array_equal(_quantise(driver), _quantise(driver, backend._numba_kernels()))


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), size=st.integers(1, 400), levels=st.sampled_from([2, 5, 65536]))
def test_the_compiled_top_k_chooses_what_the_histogram_top_k_chooses(seed, size, levels):
    rng = np.random.default_rng(seed)
    # Few levels make many ties on potential and noise, so the lower cell index decides.
    cells = rng.choice(10 * size, size=size, replace=False).astype(np.int64)
    potential = rng.integers(0, levels, size=size).astype(np.uint16)
    noise = rng.integers(0, levels, size=10 * size).astype(np.uint16)
    k = int(rng.integers(0, size + 2))
    ascending = np.argsort(cells, kind="stable")
    expected = cells[ascending][top_k(primary=potential[ascending], secondary=noise[cells[ascending]], k=k)]
    chosen = backend._numba_kernels().top_cells(cells, potential, noise, k)
    np.testing.assert_array_equal(chosen, expected)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), size=st.integers(1, 3000), levels=st.sampled_from([3, 300, 65536]))
def test_the_drivers_order_made_from_a_level_is_the_first_part_of_the_stable_argsort(seed, size, levels):
    rng = np.random.default_rng(seed)
    values = (rng.integers(0, levels, size=size) * (65536 // levels)).astype(np.uint16)
    level = int(rng.integers(0, 65536))
    kernels = backend._numba_kernels()
    expected = np.argsort(np.uint16(65535) - values, kind="stable")
    expected = expected[: np.count_nonzero(values >= level)]
    chosen = kernels.descending_from(values, level, kernels.level_histogram(values))
    assert chosen.dtype == np.int32
    np.testing.assert_array_equal(chosen, expected)


@settings(max_examples=20, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    classes=st.integers(2, 6),
    window=st.sampled_from([3, 5]),
    nodata=st.booleans(),
    # No margin: groups that grow from one year to the next outgrow their room or come close to it.
    margin=st.sampled_from([0, 256]),
)
def test_grouped_edge_cells_are_the_tabled_ones_with_their_potentials(seed, classes, window, nodata, margin):
    """Every (target, source) group: the cells and counts the numpy table gives, and the potentials."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(neighbourhood, "GROUP_MARGIN_CELLS", margin)
        _check_groups_against_the_table(seed, classes, window, nodata)


def _check_groups_against_the_table(seed: int, classes: int, window: int, nodata: bool) -> None:
    rng = np.random.default_rng(seed)
    shape = (int(rng.integers(20, 60)), int(rng.integers(20, 60)))
    landcover = patchy_map(shape=shape, classes=classes, seed=seed)
    if nodata:
        landcover[: rng.integers(1, 10), : rng.integers(1, 10)] = 0
    free = (landcover != 0) & (rng.random(shape) < 0.8)
    codes = np.arange(1, classes + 1, dtype=np.uint8)
    drivers = _drivers(shape, seed, (2,))
    model = PotentialModel(window=window, neighbourhood_weight=1.0, noise_weight=0.2, drivers=drivers)
    noise = rng.integers(0, 65536, size=landcover.size).astype(np.uint16)
    parts = [model.driver_part(target=int(c)) for c in codes]
    common = next(p for p in parts if p is not None)
    scoring = GroupScoring(
        luts=np.stack([model.neighbour_lut(target=int(c)) for c in codes]),
        multipliers=np.array([model.noise_multiplier(target=int(c)) for c in codes], dtype=np.int64),
        part=common,
        with_part=np.array([p is common for p in parts], dtype=np.uint8),
        noise=noise,
    )
    kernels = backend._numba_kernels()
    edges = EdgeNeighbours(shape=shape, window=window, dtype=np.dtype(np.uint8), pad_code=0, kernels=kernels)
    lookup = class_lookup(classes=codes, dtype=np.uint8)
    # Several years on one EdgeNeighbours: groups outgrow their room, or come close and get more.
    for _ in range(4):
        made = edges.update(
            landcover=landcover, free=free, max_table_cells=np.inf, classes=codes, scoring=scoring
        )
        assert made and edges.grouped
        table = EdgeNeighbours(shape=shape, window=window, dtype=np.dtype(np.uint8), pad_code=0)
        assert table.update(landcover=landcover, free=free, max_table_cells=np.inf)
        for t, target in enumerate(codes):
            near, counts = table.near(code=int(target), free=free.ravel())
            for s in range(classes):
                if s == t:
                    continue
                cells, group_counts, scores = edges.group(target=t, source=s)
                mine = lookup[landcover.ravel()[near]] == s
                np.testing.assert_array_equal(cells, near[mine])
                np.testing.assert_array_equal(group_counts, counts[mine])
                full = model.potential_at(
                    target=int(target), indices=cells, counts=group_counts, noise=noise[cells]
                )
                if not scoring.with_part[t] and parts[t] is not None:
                    full = full - parts[t][cells]
                np.testing.assert_array_equal(scores, full)
        # Scattered conversions: more edge cells next year.
        changed = rng.random(shape) < 0.05
        landcover[changed & (landcover != 0)] = rng.integers(1, classes + 1, size=shape, dtype=np.uint8)[
            changed & (landcover != 0)
        ]
