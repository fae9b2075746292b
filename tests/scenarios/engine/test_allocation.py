"""Quantity-constrained allocation: histogram top-k and the per-year allocator (property tests)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from landmosaic.scenarios.engine import allocation
from landmosaic.scenarios.engine.allocation import Workspace, YearAllocator
from landmosaic.scenarios.engine.change import cross_tabulate
from landmosaic.scenarios.engine.neighbourhood import neighbour_counts, neighbour_counts_at
from landmosaic.scenarios.engine.potential import PotentialModel
from landmosaic.scenarios.engine.ranking import top_k
from landmosaic.scenarios.engine.rng import yearly_noise

from .conftest import patchy_map

_small = st.integers(min_value=0, max_value=6)


@settings(max_examples=80, deadline=None)
@given(
    primary=arrays(np.uint16, st.integers(0, 60), elements=_small),
    secondary_seed=st.integers(0, 2**32 - 1),
    k=st.integers(-1, 70),
)
def test_top_k_matches_a_full_sort(primary, secondary_seed, k):
    secondary = np.random.default_rng(secondary_seed).integers(0, 4, size=len(primary)).astype(np.uint16)
    chosen = top_k(primary=primary, secondary=secondary, k=k)
    order = sorted(range(len(primary)), key=lambda i: (-int(primary[i]), -int(secondary[i]), i))
    expected = sorted(order[: max(k, 0)])
    assert chosen.tolist() == expected


def test_neighbour_counts_match_a_direct_count():
    landcover = patchy_map(shape=(23, 17), classes=3, seed=2)
    for window in (1, 3, 5):
        counts = neighbour_counts(landcover=landcover, code=2, window=window)
        padded = np.pad(landcover == 2, window // 2)
        direct = np.zeros(landcover.shape, dtype=int)
        for dr in range(window):
            for dc in range(window):
                direct += padded[dr : dr + landcover.shape[0], dc : dc + landcover.shape[1]]
        np.testing.assert_array_equal(counts, direct)
        indices = np.arange(landcover.size)[::7]
        at = neighbour_counts_at(landcover=landcover, code=2, window=window, indices=indices)
        np.testing.assert_array_equal(at, direct.ravel()[indices])


@st.composite
def _year(draw):
    rows, cols = draw(st.integers(3, 14)), draw(st.integers(3, 14))
    classes = draw(st.integers(2, 4))
    landcover = draw(arrays(np.uint8, (rows, cols), elements=st.integers(1, classes)))
    blocked = draw(arrays(bool, (rows, cols)))
    demand = draw(arrays(np.int64, (classes, classes), elements=st.integers(0, 30)))
    noise_weight = draw(st.sampled_from([0.0, 0.01, 0.5, 3.0]))
    seed = draw(st.integers(0, 2**16))
    return landcover, blocked, demand, noise_weight, seed


def _allocate(landcover, blocked, demand, noise_weight, seed, *, exact):
    classes = np.arange(1, demand.shape[0] + 1, dtype=np.uint8)
    following = landcover.copy()
    free = ~blocked
    model = PotentialModel(window=3, neighbourhood_weight=1.0, noise_weight=noise_weight)
    noise = yearly_noise(seed=seed, year=1, size=landcover.size)
    allocator = YearAllocator(
        current=landcover,
        following=following,
        free=free,
        classes=classes,
        model=model,
        noise=noise,
        workspace=Workspace(shape=landcover.shape, window=3),
        exact=exact,
    )
    return following, allocator.run(quantities=demand), classes


@settings(max_examples=150, deadline=None)
@given(_year())
def test_allocation_respects_quantities_availability_and_masks(year):
    landcover, blocked, demand, noise_weight, seed = year
    following, realised, classes = _allocate(landcover, blocked, demand, noise_weight, seed, exact=False)
    changed = following != landcover
    assert not np.any(changed & blocked)
    off = demand.copy()
    np.fill_diagonal(off, 0)
    assert np.all(realised <= off)
    for i, code in enumerate(classes):
        available = int(np.count_nonzero((landcover == code) & ~blocked))
        assert realised[i].sum() <= available
        # Capped only by availability: either every transition got its cells or the class ran out.
        assert realised[i].sum() == min(off[i].sum(), available)
    counts = cross_tabulate(before=landcover, after=following, nodata=None, classes=classes).counts
    np.fill_diagonal(counts, 0)
    np.testing.assert_array_equal(counts, realised)
    exact, _, _ = _allocate(landcover, blocked, demand, noise_weight, seed, exact=True)
    np.testing.assert_array_equal(following, exact)


@settings(max_examples=100, deadline=None)
@given(_year(), st.sampled_from([0.0, float("inf")]))
def test_edge_table_and_whole_map_counts_choose_the_same_cells(year, edge_bytes):
    landcover, blocked, demand, noise_weight, seed = year
    saved = allocation.EDGE_TABLE_BYTES_PER_CELL
    allocation.EDGE_TABLE_BYTES_PER_CELL = edge_bytes
    try:
        fast, _, _ = _allocate(landcover, blocked, demand, noise_weight, seed, exact=False)
    finally:
        allocation.EDGE_TABLE_BYTES_PER_CELL = saved
    exact, _, _ = _allocate(landcover, blocked, demand, noise_weight, seed, exact=True)
    np.testing.assert_array_equal(fast, exact)


def test_allocation_prefers_cells_next_to_the_target_class():
    landcover = np.ones((30, 30), dtype=np.uint8)
    landcover[10:20, 10:20] = 2
    demand = np.array([[0, 20], [0, 0]])
    following, realised, _ = _allocate(
        landcover, np.zeros_like(landcover, dtype=bool), demand, 0.01, 1, exact=False
    )
    assert realised[0, 1] == 20
    new = np.argwhere(following != landcover)
    # Every converted cell touches the existing patch (rows/cols 9..20).
    assert np.all((new >= 9) & (new <= 20))
