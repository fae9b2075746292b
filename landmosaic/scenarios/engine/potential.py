"""Transition potential: neighbourhood share, weighted driver rasters and a small random term, as integers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .neighbourhood import check_window

# Potentials are integers below this bound so that they fit uint16 and can be ranked with one histogram;
# 65000 rather than 65535 leaves room for the rounding of each part.
SCALE = 65_000
_U16 = 65_535


@dataclass(frozen=True)
class Driver:
    """A driver raster scaled to 0..1 (NaN = no data) with its weight and whether high values raise (+1) or
    lower (-1) the potential; ``targets`` limits it to some target class codes (None = every target)."""

    values: np.ndarray
    weight: float
    sign: int = 1
    targets: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        if self.sign not in (1, -1):
            raise ValueError("a driver's sign is +1 or -1")
        if self.weight < 0:
            raise ValueError("a driver's weight must not be negative")


def normalise_driver(*, values: np.ndarray, valid: np.ndarray | None = None) -> np.ndarray:
    """Min-max scale a raster to 0..1 as float32 over its valid, finite cells; the others become NaN."""
    out = np.asarray(values, dtype=np.float32).copy()
    ok = np.isfinite(out) if valid is None else np.isfinite(out) & valid
    out[~ok] = np.nan
    if not ok.any():
        return out
    low, high = float(out[ok].min()), float(out[ok].max())
    out -= low
    if high > low:
        out /= high - low
    return out


class PotentialModel:
    """Integer potential per target class: share of the target in the window, drivers, and a noise term."""

    def __init__(
        self,
        *,
        window: int,
        neighbourhood_weight: float,
        noise_weight: float,
        drivers: Sequence[Driver] = (),
        kernels=None,
    ) -> None:
        check_window(window)
        # The numba kernels (engine.backend) or None for numpy.
        self._kernels = kernels
        if neighbourhood_weight < 0 or noise_weight < 0:
            raise ValueError("weights must not be negative")
        self.window = window
        self.neighbourhood_weight = float(neighbourhood_weight)
        self.noise_weight = float(noise_weight)
        self.drivers = tuple(drivers)
        # Drivers are quantised once; every year and target reuses them.
        self._driver_codes = [_quantise(d, kernels) for d in self.drivers]
        self._driver_max = [int(q.max()) if q.size else 0 for q in self._driver_codes]
        self._cache: dict[int, _TargetWeights] = {}
        # The drivers' part of the potential over the whole map, per set of (driver, multiplier): drivers
        # never change during a projection, so each cell's part is summed once instead of per target,
        # source and year. The same integer sum as term by term, so the results are bit-identical.
        self._driver_parts: dict[tuple[tuple[int, int], ...], np.ndarray] = {}
        self._driver_prefixes: dict[tuple[tuple[int, int], ...], OrderPrefix] = {}

    def has_drivers(self, *, target: int) -> bool:
        return bool(self._weights(target).drivers)

    def potential_at(
        self, *, target: int, indices: np.ndarray, counts: np.ndarray, noise: np.ndarray
    ) -> np.ndarray:
        """Potential (uint16, below SCALE) of flat cells ``indices``, given their window counts and noise."""
        w = self._weights(target)
        total = w.neighbour_lut[counts].astype(np.uint32)
        if w.drivers:
            total += self._driver_part(w.drivers)[indices]
        total += (noise.astype(np.uint32) * w.noise_multiplier) >> 16
        return total.astype(np.uint16)

    def driver_part(self, *, target: int) -> np.ndarray | None:
        """The drivers' part of the target's potential per cell (flat uint16), None without drivers; the
        same array for targets with the same drivers and weights."""
        w = self._weights(target)
        return self._driver_part(w.drivers) if w.drivers else None

    def neighbour_lut(self, *, target: int) -> np.ndarray:
        """The window term of a potential by count of the target in the window (uint16)."""
        return self._weights(target).neighbour_lut

    def noise_multiplier(self, *, target: int) -> int:
        """The noise term of a potential is (noise x this) >> 16."""
        return self._weights(target).noise_multiplier

    def driver_order_prefix(self, *, target: int) -> tuple[np.ndarray, OrderPrefix, int] | None:
        """For a target with drivers: their part of the potential per cell (flat uint16), the cells of the
        map ordered by that part, highest first and lower index first among equals, as far as walks have
        needed them (one per set of drivers), and the most the noise can add. None when no driver applies
        to the target."""
        w = self._weights(target)
        if not w.drivers:
            return None
        part = self._driver_part(w.drivers)
        prefix = self._driver_prefixes.get(w.drivers)
        if prefix is None:
            prefix = self._driver_prefixes[w.drivers] = OrderPrefix(part=part, kernels=self._kernels)
        return part, prefix, (_U16 * w.noise_multiplier) >> 16

    def _driver_part(self, drivers: tuple[tuple[int, int], ...]) -> np.ndarray:
        """Sum over the drivers of (code x multiplier) >> 16 for every cell, flat uint16 (below SCALE)."""
        part = self._driver_parts.get(drivers)
        if part is None:
            # Summed in uint16: each term is at most its multiplier and the multipliers sum to at most
            # SCALE, so no partial sum overflows and the total is the uint32 sum's, bit for bit.
            part = np.zeros(self._driver_codes[drivers[0][0]].size, dtype=np.uint16)
            for position, multiplier in drivers:
                _add_driver_part(self._driver_codes[position].ravel(), multiplier, part)
            self._driver_parts[drivers] = part
        return part

    def ceiling_without_neighbours(self, *, target: int) -> int:
        """The highest potential a cell with no target cell in its window can reach."""
        w = self._weights(target)
        ceiling = (_U16 * w.noise_multiplier) >> 16
        for position, multiplier in w.drivers:
            ceiling += (self._driver_max[position] * multiplier) >> 16
        return ceiling

    def _weights(self, target: int) -> _TargetWeights:
        if target not in self._cache:
            self._cache[target] = self._target_weights(target)
        return self._cache[target]

    def _target_weights(self, target: int) -> _TargetWeights:
        applying = [
            (position, d.weight)
            for position, d in enumerate(self.drivers)
            if d.weight > 0 and (d.targets is None or target in d.targets)
        ]
        total = self.neighbourhood_weight + self.noise_weight + sum(weight for _, weight in applying)
        if total <= 0:
            raise ValueError("at least one potential weight must be positive")
        cells = self.window * self.window
        counts = np.arange(cells + 1, dtype=np.float64)
        lut = np.floor(SCALE * self.neighbourhood_weight * counts / (total * cells)).astype(np.uint16)
        return _TargetWeights(
            neighbour_lut=lut,
            drivers=tuple((position, int(SCALE * weight / total)) for position, weight in applying),
            noise_multiplier=int(SCALE * self.noise_weight / total),
        )


class OrderPrefix:
    """The first cells of the drivers' order (descending part, ascending index among equals: a stable
    argsort of 65535 - part), made as walks need them: most walks stop within its first few thousand
    cells, so sorting all of the map (on 25 M cells: 0.2 s by counting, more by argsort, and 4 to 8 bytes a
    cell) is mostly waste. The prefix is exactly the order's first ``len(cells)`` cells (int32)."""

    # Cells in the first prefix; each extension at least quadruples it.
    FIRST = 1 << 16

    def __init__(self, *, part: np.ndarray, kernels) -> None:
        self._part = part
        self._kernels = kernels
        if kernels is not None:
            self._histogram = kernels.level_histogram(part)
        else:
            # In chunks: bincount copies its input to int64 first.
            self._histogram = np.zeros(_U16 + 1, dtype=np.int64)
            for start in range(0, part.size, 1 << 20):
                self._histogram += np.bincount(part[start : start + (1 << 20)], minlength=_U16 + 1)
        # Cells at or above each level, from the top: from_top[i] counts levels 65535 - i and up.
        self._from_top = np.cumsum(self._histogram[::-1])
        self.cells = np.empty(0, dtype=np.int32)
        self.parts = np.empty(0, dtype=np.uint16)
        self.complete = part.size == 0
        if not self.complete:
            self.extend()

    def extend(self) -> None:
        """Lengthen the prefix to every cell down to the level that holds its FIRST-th or 4 x len-th cell."""
        wanted = max(self.FIRST, 4 * len(self.cells))
        position = int(np.searchsorted(self._from_top, wanted))
        level = max(0, _U16 - position)
        if self._kernels is not None:
            self.cells = self._kernels.descending_from(self._part, level, self._histogram)
        else:
            above = np.flatnonzero(self._part >= level)
            ranked = np.argsort(np.uint16(_U16) - self._part[above], kind="stable")
            self.cells = above[ranked].astype(np.int32)
        # The walks test the part of every cell they read: in order, not at random.
        self.parts = self._part[self.cells]
        self.complete = level == 0 or len(self.cells) == self._part.size


@dataclass(frozen=True)
class _TargetWeights:
    neighbour_lut: np.ndarray
    drivers: tuple[tuple[int, int], ...]
    noise_multiplier: int


def _add_driver_part(
    codes: np.ndarray, multiplier: int, part: np.ndarray, chunk_cells: int = 1 << 20
) -> None:
    """``part += (codes x multiplier) >> 16`` in chunks: small uint32 temporaries instead of three the size
    of the map (fresh memory is slow to touch: 0.05 s instead of about 1 s on 25 M cells and 2 drivers)."""
    scratch = np.empty(min(chunk_cells, codes.size), dtype=np.uint32)
    for start in range(0, codes.size, chunk_cells):
        stop = min(start + chunk_cells, codes.size)
        term = scratch[: stop - start]
        np.multiply(codes[start:stop], np.uint32(multiplier), out=term)
        term >>= 16
        np.add(part[start:stop], term, out=part[start:stop], casting="unsafe")


def _quantise(driver: Driver, kernels=None, chunk_cells: int = 1 << 20) -> np.ndarray:
    if kernels is not None:
        values = np.ascontiguousarray(driver.values)
        out = np.empty(values.shape, dtype=np.uint16)
        kernels.quantise(values.ravel(), driver.sign, out.ravel())
        return out
    values = np.asarray(driver.values)
    out = np.empty(values.shape, dtype=np.uint16)
    flat, flat_out = values.reshape(-1), out.reshape(-1)
    # In chunks: float64 temporaries the size of the map cost more to touch than the arithmetic.
    for start in range(0, flat.size, chunk_cells):
        oriented = flat[start : start + chunk_cells].astype(np.float64)
        if driver.sign < 0:
            np.subtract(1.0, oriented, out=oriented)
        oriented = np.where(np.isfinite(oriented), np.clip(oriented, 0.0, 1.0), 0.0)
        oriented *= _U16
        np.rint(oriented, out=oriented)
        flat_out[start : start + chunk_cells] = oriented
    return out
