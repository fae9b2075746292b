"""Quantity-constrained allocation: the cells of highest potential change, found without sorting the map.

Ranking is by (potential, noise, lower cell index first): every choice is unique and the same on any machine.
"""

from __future__ import annotations

import numpy as np

from .potential import NeighbourCounter, PotentialModel, neighbour_counts_at

_LEVELS = 65_536


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
    from_top = np.cumsum(np.bincount(values, minlength=_LEVELS)[::-1])
    position = int(np.searchsorted(from_top, k))
    above = int(from_top[position - 1]) if position else 0
    return _LEVELS - 1 - position, above


def allocate_in_mask(
    *,
    current: np.ndarray,
    free: np.ndarray,
    mask: np.ndarray,
    source: int,
    target: int,
    quantity: int,
    model: PotentialModel,
    noise: np.ndarray,
) -> np.ndarray:
    """Up to ``quantity`` free ``source`` cells (flat indices) in ``mask``, best potential for ``target``.

    The chosen cells are marked as no longer free.
    """
    candidates = np.flatnonzero(mask.ravel() & (current.ravel() == source) & free.ravel())
    counts = neighbour_counts_at(landcover=current, code=target, window=model.window, indices=candidates)
    potential = model.potential_at(target=target, indices=candidates, counts=counts, noise=noise[candidates])
    chosen = candidates[top_k(primary=potential, secondary=noise[candidates], k=quantity)]
    free.ravel()[chosen] = False
    return chosen


class Workspace:
    """Buffers the size of the map, allocated once per projection and reused every year."""

    def __init__(self, *, shape: tuple[int, ...], window: int) -> None:
        self.counter = NeighbourCounter(shape=shape, window=window)
        self.mask = np.empty(shape, dtype=bool).ravel()
        self.other = np.empty(shape, dtype=bool).ravel()
        self.free = np.empty(shape, dtype=bool)
        self.noise = np.empty(int(np.prod(shape)), dtype=np.uint16)


class YearAllocator:
    """Allocates one year's transition quantities on a map, converting each cell at most once.

    Order (it decides competition): targets by falling total demand, then for each target its sources by
    falling demand, ties by class code. The neighbourhood is read from the map at the start of the year.
    """

    def __init__(
        self,
        *,
        current: np.ndarray,
        following: np.ndarray,
        free: np.ndarray,
        classes: np.ndarray,
        model: PotentialModel,
        noise: np.ndarray,
        workspace: Workspace,
        exact: bool = False,
    ) -> None:
        self.current = current
        self._cur = current.ravel()
        self._next = following.ravel()
        self._free = free.ravel()
        self.classes = classes
        self.model = model
        self.noise = noise
        self._ws = workspace
        # ``exact`` forces the full scan everywhere; tests check that the fast paths choose the same cells.
        self.exact = exact
        self._sources: dict[int, np.ndarray] = {}
        self._pools: dict[int, _Pool] = {}

    def run(self, *, quantities: np.ndarray) -> np.ndarray:
        """Apply the K x K cell ``quantities`` (diagonal ignored); return the counts actually converted."""
        demand = np.array(quantities, dtype=np.int64)
        np.fill_diagonal(demand, 0)
        realised = np.zeros_like(demand)
        codes = [int(c) for c in self.classes]
        inflow = demand.sum(axis=0)
        mask = self._ws.mask
        for j in sorted(np.flatnonzero(inflow), key=lambda t: (-inflow[t], codes[t])):
            counts = self._ws.counter.counts(landcover=self.current, code=codes[j]).ravel()
            np.greater(counts, 0, out=mask)
            np.logical_and(mask, self._free, out=mask)
            near = np.flatnonzero(mask)
            near_codes = self._cur[near]
            for i in sorted(np.flatnonzero(demand[:, j]), key=lambda s: (-demand[s, j], codes[s])):
                adjacent = near[near_codes == codes[i]]
                chosen = self._select(
                    source=i,
                    target=codes[j],
                    quantity=int(demand[i, j]),
                    adjacent=adjacent,
                    counts=counts,
                    out_demand=int(demand[i].sum()),
                )
                self._next[chosen] = codes[j]
                self._free[chosen] = False
                realised[i, j] = len(chosen)
        return realised

    def _select(
        self,
        *,
        source: int,
        target: int,
        quantity: int,
        adjacent: np.ndarray,
        counts: np.ndarray,
        out_demand: int,
    ) -> np.ndarray:
        model = self.model
        if self.exact or model.has_drivers(target=target):
            return self._scan(source=source, target=target, quantity=quantity, counts=counts)
        # Fast path: cells with no target cell in their window can only beat adjacent ones through noise or
        # drivers; when the ceiling of that is below every chosen adjacent cell, the scan would agree.
        ceiling = model.ceiling_without_neighbours(target=target)
        noise = self.noise[adjacent]
        potential = model.potential_at(target=target, indices=adjacent, counts=counts[adjacent], noise=noise)
        if len(adjacent) >= quantity:
            chosen = top_k(primary=potential, secondary=noise, k=quantity)
            if len(chosen) == 0 or potential[chosen].min() > ceiling:
                return adjacent[chosen]
            return self._scan(source=source, target=target, quantity=quantity, counts=counts)
        if len(adjacent) and potential.min() <= ceiling:
            return self._scan(source=source, target=target, quantity=quantity, counts=counts)
        # All adjacent cells go; the rest are the source's cells ranked by noise alone (no drivers here).
        self._free[adjacent] = False
        if source not in self._pools:
            self._pools[source] = self._pool(source=source, size=out_demand)
        rest = self._pools[source].take(quantity - len(adjacent), free=self._free)
        return np.concatenate([adjacent, rest])

    def _scan(self, *, source: int, target: int, quantity: int, counts: np.ndarray) -> np.ndarray:
        candidates = self._source_cells(source)
        noise = self.noise[candidates]
        potential = self.model.potential_at(
            target=target, indices=candidates, counts=counts[candidates], noise=noise
        )
        return candidates[top_k(primary=potential, secondary=noise, k=quantity)]

    def _source_cells(self, source: int) -> np.ndarray:
        """Free cells of a source class, ascending; found once a year and filtered as cells are taken."""
        if source not in self._sources:
            mask = self._ws.mask
            np.equal(self._cur, self.classes[source], out=mask)
            np.logical_and(mask, self._free, out=mask)
            self._sources[source] = np.flatnonzero(mask)
        cells = self._sources[source]
        cells = cells[self._free[cells]]
        self._sources[source] = cells
        return cells

    def _pool(self, *, source: int, size: int) -> _Pool:
        """The pool of a source, found from the cells above a noise threshold rather than from all its cells.

        The threshold is lowered until it keeps ``size`` cells or more, so the pool is the exact top ``size``.
        """
        if source in self._sources:
            return _Pool(candidates=self._source_cells(source), noise=self.noise, size=size)
        mask, above = self._ws.mask, self._ws.other
        np.equal(self._cur, self.classes[source], out=mask)
        np.logical_and(mask, self._free, out=mask)
        available = int(np.count_nonzero(mask))
        share = min(1.0, (size + 5 * size**0.5 + 64) / max(available, 1))
        threshold = int(_LEVELS * (1.0 - share))
        while True:
            np.greater_equal(self.noise, threshold, out=above)
            np.logical_and(above, mask, out=above)
            if threshold == 0 or np.count_nonzero(above) >= size:
                return _Pool(candidates=np.flatnonzero(above), noise=self.noise, size=size)
            threshold = max(0, 2 * threshold - _LEVELS)


class _Pool:
    """The best ``size`` cells of a source by (noise, lower index), in rank order, consumed front to back."""

    def __init__(self, *, candidates: np.ndarray, noise: np.ndarray, size: int) -> None:
        values = noise[candidates]
        best = top_k(primary=values, secondary=np.zeros_like(values), k=size)
        cells, values = candidates[best], values[best]
        self._cells = cells[np.lexsort((cells, np.iinfo(np.uint16).max - values))]
        self._cursor = 0

    def take(self, count: int, *, free: np.ndarray) -> np.ndarray:
        if count <= 0:
            return np.empty(0, dtype=np.int64)
        rest = self._cells[self._cursor :]
        usable = np.flatnonzero(free[rest])[:count]
        if len(usable) == 0:
            return np.empty(0, dtype=np.int64)
        self._cursor += int(usable[-1]) + 1
        return rest[usable]
