"""Drivers quantised and summed in chunks: the same integers as the plain whole-map formulas."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from landmosaic.scenarios.engine.potential import SCALE, Driver, _add_driver_part, _quantise


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    size=st.integers(1, 3000),
    weights=st.lists(st.floats(0.01, 10.0), min_size=1, max_size=4),
    chunk=st.sampled_from([1, 7, 1024, 1 << 20]),
)
def test_the_drivers_part_summed_in_chunks_is_the_uint32_sum(seed, size, weights, chunk):
    rng = np.random.default_rng(seed)
    total = sum(weights) + 1.0  # the neighbourhood's weight
    multipliers = [int(SCALE * w / total) for w in weights]
    codes = [rng.integers(0, 65536, size).astype(np.uint16) for _ in weights]
    codes[0][:2] = 65535  # the highest code, where a sum could overflow if the bound were wrong
    expected = np.zeros(size, dtype=np.uint32)
    for values, multiplier in zip(codes, multipliers, strict=True):
        expected += (values.astype(np.uint32) * multiplier) >> 16
    part = np.zeros(size, dtype=np.uint16)
    for values, multiplier in zip(codes, multipliers, strict=True):
        _add_driver_part(values, multiplier, part, chunk_cells=chunk)
    np.testing.assert_array_equal(part, expected.astype(np.uint16))
    assert int(expected.max()) < SCALE


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(st.floats(width=32) | st.floats(-0.5, 1.5), min_size=1, max_size=60),
    sign=st.sampled_from([1, -1]),
    chunk=st.sampled_from([1, 3, 1 << 20]),
)
def test_drivers_quantised_in_chunks_match_the_whole_map_formula(values, sign, chunk):
    raster = np.array([*values, np.nan, -np.inf, np.inf, 0.5, 1.0], dtype=np.float32).reshape(1, -1)
    whole = raster.astype(np.float64)
    oriented = whole if sign > 0 else 1.0 - whole
    oriented = np.where(np.isfinite(oriented), np.clip(oriented, 0.0, 1.0), 0.0)
    expected = np.rint(oriented * 65535).astype(np.uint16)
    driver = Driver(values=raster, weight=1.0, sign=sign)
    np.testing.assert_array_equal(_quantise(driver, chunk_cells=chunk), expected)
