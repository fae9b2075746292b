"""Counter-based yearly noise."""

from __future__ import annotations

import numpy as np
import pytest

from landmosaic.scenarios.engine.rng import yearly_noise


def test_noise_depends_only_on_seed_year_and_cell():
    first = yearly_noise(seed=11, year=2030, size=10_001)
    for chunk in (4, 1000, 4097, 1 << 22):
        np.testing.assert_array_equal(yearly_noise(seed=11, year=2030, size=10_001, chunk_cells=chunk), first)
    # A shorter map sees the same values for the cells it has.
    np.testing.assert_array_equal(yearly_noise(seed=11, year=2030, size=77), first[:77])


def test_noise_changes_with_seed_and_year_and_is_roughly_uniform():
    base = yearly_noise(seed=1, year=1, size=100_000)
    assert not np.array_equal(base, yearly_noise(seed=2, year=1, size=100_000))
    assert not np.array_equal(base, yearly_noise(seed=1, year=2, size=100_000))
    histogram = np.bincount(base >> 12, minlength=16)
    assert histogram.min() > 0.9 * 100_000 / 16


def test_noise_rejects_bad_seeds_and_buffers():
    with pytest.raises(ValueError):
        yearly_noise(seed=-1, year=1, size=10)
    with pytest.raises(ValueError):
        yearly_noise(seed=1, year=1, size=10, out=np.empty(10, dtype=np.uint32))
