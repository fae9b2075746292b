"""Top-k selection by histogram thresholds: linear in the candidates, no sort, one unique answer."""

from __future__ import annotations

import numpy as np

LEVELS = 65_536


def top_k(*, primary: np.ndarray, secondary: np.ndarray, k: int) -> np.ndarray:
    """Positions (ascending) of the ``k`` largest by (primary, secondary, lower position), by histogram."""
    n = len(primary)
    if k >= n:
        return np.arange(n)
    if k <= 0:
        return np.empty(0, dtype=np.int64)
    level, _ = _threshold(primary, k)
    above = np.flatnonzero(primary > level)
    tied = np.flatnonzero(primary == level)
    need = k - len(above)
    second = secondary[tied]
    level2, _ = _threshold(second, need)
    above2 = tied[second > level2]
    tied2 = tied[second == level2]
    chosen = np.concatenate([above, above2, tied2[: need - len(above2)]])
    chosen.sort()
    return chosen


def _threshold(values: np.ndarray, k: int) -> tuple[int, int]:
    """The level holding the k-th largest value, and how many values lie strictly above it."""
    from_top = np.cumsum(np.bincount(values, minlength=LEVELS)[::-1])
    position = int(np.searchsorted(from_top, k))
    above = int(from_top[position - 1]) if position else 0
    return LEVELS - 1 - position, above
