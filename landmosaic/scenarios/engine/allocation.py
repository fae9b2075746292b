"""Quantity-constrained allocation: the cells of highest potential change, found without sorting the map.

Ranking is by (potential, noise, lower cell index first): every choice is unique and the same on any machine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np

from .neighbourhood import EdgeNeighbours, GroupScoring, NeighbourCounter, neighbour_counts_at
from .potential import OrderPrefix, PotentialModel
from .ranking import LEVELS, top_k

# The edge table holds (window cells - 1) bytes per edge cell and costs roughly 7x per edge cell what the
# box filter costs per map cell (25M-cell runs); past one byte per map cell (12% edge cells, 3 x 3) the
# whole-map box filter is cheaper, so the allocator switches to it.
EDGE_TABLE_BYTES_PER_CELL = 1.0
#: Cells of the drivers' order read at a time when walking it (see YearAllocator._walk_drivers).
WALK_CHUNK = 65_536


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

    def __init__(
        self,
        *,
        shape: tuple[int, int],
        window: int,
        dtype: np.dtype = np.uint8,
        pad_code: int | None = None,
        kernels=None,
    ) -> None:
        # The numba kernels (engine.backend) or None for numpy, fixed for the whole projection.
        self.kernels = kernels
        self.counter = NeighbourCounter(shape=shape, window=window)
        self.edges = None
        if pad_code is not None:
            self.edges = EdgeNeighbours(
                shape=shape, window=window, dtype=np.dtype(dtype), pad_code=pad_code, kernels=kernels
            )
        self.mask = np.empty(shape, dtype=bool).ravel()
        self.other = np.empty(shape, dtype=bool).ravel()
        self.free = np.empty(shape, dtype=bool)
        self.edge_checks_skipped = 0
        self.noise = np.empty(int(np.prod(shape)), dtype=np.uint16)
        # Cells already scored in a walk of the drivers' order; always all False between walks (numpy).
        self.marks = np.zeros(int(np.prod(shape)), dtype=bool)
        # Cells converted so far in the year, one bit each (numba: YearAllocator.run, walk_near).
        self.taken = None if kernels is None else np.zeros((int(np.prod(shape)) + 7) // 8, dtype=np.uint8)


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
        self._above: dict[int, np.ndarray] | None = None
        self._out_demand = np.zeros(len(classes), dtype=np.int64)
        self._available = np.zeros(len(classes), dtype=np.int64)
        self._scoring_with_part = np.zeros(len(classes), dtype=np.uint8)
        self._prefix_codes: dict[int, np.ndarray] = {}

    def run(self, *, quantities: np.ndarray) -> np.ndarray:
        """Apply the K x K cell ``quantities`` (diagonal ignored); return the counts actually converted."""
        demand = np.array(quantities, dtype=np.int64)
        # Row totals are the free cells of each class when quantities come from transition_quantities;
        # they only size the pool thresholds, which are checked.
        self._available = demand.sum(axis=1)
        np.fill_diagonal(demand, 0)
        self._out_demand = demand.sum(axis=1)
        realised = np.zeros_like(demand)
        # Numba path: the cells converted so far this year, one bit each (read by the compiled walks).
        taken = self._ws.taken
        if taken is not None:
            taken[:] = 0
        codes = [int(c) for c in self.classes]
        inflow = demand.sum(axis=0)
        edges = self._ws.edges
        use_edges = not self.exact and edges is not None and self._ws.edge_checks_skipped >= 0
        if use_edges:
            use_edges = edges.update(
                landcover=self.current,
                free=self._free.reshape(self.current.shape),
                max_table_cells=EDGE_TABLE_BYTES_PER_CELL * self.current.size,
                classes=self.classes,
                scoring=None if self._ws.kernels is None else self._group_scoring(),
            )
            # Maps far past the limit stay there from one year to the next: look again only every 5 years.
            if edges.overflow > 2:
                self._ws.edge_checks_skipped = -4
        else:
            self._ws.edge_checks_skipped += 1
        grouped = use_edges and edges.grouped
        for j in sorted(np.flatnonzero(inflow), key=lambda t: (-inflow[t], codes[t])):
            if grouped:
                # Numba path: edges.update listed every (target, source) pair's cells at once.
                near_of = partial(self._grouped_near, edges, j)
            else:
                near_of = self._near_by_source(target=codes[j], use_edges=use_edges)
            for i in sorted(np.flatnonzero(demand[:, j]), key=lambda s: (-demand[s, j], codes[s])):
                chosen = self._select(
                    source=i,
                    target=codes[j],
                    quantity=int(demand[i, j]),
                    near=near_of(i),
                    out_demand=int(self._out_demand[i]),
                )
                self._next[chosen] = codes[j]
                self._free[chosen] = False
                if taken is not None:
                    self._ws.kernels.mark_taken(taken, chosen)
                realised[i, j] = len(chosen)
        return realised

    def _grouped_near(self, edges: EdgeNeighbours, target: int, source: int) -> _Near:
        cells, counts, scores = edges.group(target=target, source=source)
        code = int(self.classes[target])
        # Scores of the grouped cells hold the drivers' part only when the target's drivers are the
        # scoring's (_group_scoring); the compiled walk adds it otherwise.
        add_part = self.model.has_drivers(target=code) and not self._scoring_with_part[target]
        return _Near(cells=cells, counts=counts, full=None, all_free=False, scores=scores, add_part=add_part)

    def _group_scoring(self) -> GroupScoring:
        """Potentials of the grouped cells for every target: the numba path scores them as it lists them."""
        model, codes = self.model, [int(c) for c in self.classes]
        parts = [model.driver_part(target=c) for c in codes]
        # One set of drivers' parts (the first target's with drivers); the same array for equal sets.
        common = next((part for part in parts if part is not None), None)
        self._scoring_with_part = np.array(
            [common is not None and part is common for part in parts], np.uint8
        )
        return GroupScoring(
            luts=np.stack([model.neighbour_lut(target=c) for c in codes]),
            multipliers=np.array([model.noise_multiplier(target=c) for c in codes], dtype=np.int64),
            part=np.zeros(1, dtype=np.uint16) if common is None else common,
            with_part=self._scoring_with_part,
            noise=self.noise,
        )

    def _near_by_source(self, *, target: int, use_edges: bool) -> Callable[[int], _Near]:
        """The free cells next to ``target`` with their counts, grouped by class: a function of the source."""
        full = None
        if use_edges:
            near, near_counts = self._ws.edges.near(code=target, free=self._free)
        else:
            full = self._ws.counter.counts(landcover=self.current, code=target).ravel()
            mask = self._ws.mask
            np.greater(full, 0, out=mask)
            np.logical_and(mask, self._free, out=mask)
            # Drop the target's own cells (each counts itself): for a dominant class, most of the map.
            np.greater(mask, self._ws.counter.last_hits().ravel(), out=mask)
            near = np.flatnonzero(mask)
            near_counts = full[near]
        # Group the cells by class once (a stable radix sort keeps each group ascending) instead of
        # filtering all of them for every source.
        near_codes = self._cur[near]
        if self._ws.kernels is not None:
            near, near_counts, near_codes = self._ws.kernels.group_by_code(near, near_counts, near_codes)
        else:
            order = np.argsort(near_codes, kind="stable")
            near, near_counts, near_codes = near[order], near_counts[order], near_codes[order]

        def near_of(source: int) -> _Near:
            # A key of the array's own dtype: a Python int would make searchsorted copy the array.
            key = near_codes.dtype.type(self.classes[source])
            lo, hi = near_codes.searchsorted(key, "left"), near_codes.searchsorted(key, "right")
            return _Near(cells=near[lo:hi], counts=near_counts[lo:hi], full=full)

        return near_of

    def _select(self, *, source: int, target: int, quantity: int, near: _Near, out_demand: int) -> np.ndarray:
        model = self.model
        walk = not self.exact and model.has_drivers(target=target)
        if not (walk and self._ws.kernels is not None):
            # The compiled walk skips cells taken since the groups were made; everything else needs them out.
            near = near.only_free(self._free)
        if self.exact:
            return self._scan(source=source, target=target, quantity=quantity, near=near)
        if model.has_drivers(target=target):
            return self._walk_drivers(source=source, target=target, quantity=quantity, near=near)
        # Fast path: cells with no target cell in their window can only beat adjacent ones through noise or
        # drivers; when the ceiling of that is below every chosen adjacent cell, the scan would agree.
        ceiling = model.ceiling_without_neighbours(target=target)
        adjacent = near.cells
        noise = self.noise[adjacent]
        potential = model.potential_at(target=target, indices=adjacent, counts=near.counts, noise=noise)
        if len(adjacent) >= quantity:
            chosen = top_k(primary=potential, secondary=noise, k=quantity)
            if len(chosen) == 0 or potential[chosen].min() > ceiling:
                return adjacent[chosen]
            return self._scan(source=source, target=target, quantity=quantity, near=near)
        if len(adjacent) and potential.min() <= ceiling:
            return self._scan(source=source, target=target, quantity=quantity, near=near)
        # All adjacent cells go; the rest are the source's cells ranked by noise alone (no drivers here).
        self._free[adjacent] = False
        if source not in self._pools:
            self._pools[source] = self._pool(source=source, size=out_demand)
        rest = self._pools[source].take(quantity - len(adjacent), free=self._free)
        return np.concatenate([adjacent, rest])

    def _scan(self, *, source: int, target: int, quantity: int, near: _Near) -> np.ndarray:
        candidates = self._source_cells(source)
        if near.full is not None:
            counts = near.full[candidates]
        else:
            # Cells away from every edge see only their own class: their count of the target is 0.
            counts = np.zeros(len(candidates), dtype=near.counts.dtype)
            counts[np.searchsorted(candidates, near.cells)] = near.counts
        noise = self.noise[candidates]
        potential = self.model.potential_at(target=target, indices=candidates, counts=counts, noise=noise)
        return candidates[top_k(primary=potential, secondary=noise, k=quantity)]

    def _walk_drivers(self, *, source: int, target: int, quantity: int, near: _Near) -> np.ndarray:
        """The scan's answer without scanning every cell of the source, when drivers apply.

        A cell away from the target (count 0) scores its drivers' part plus at most the noise ceiling.
        Cells next to the target are scored exactly; the others are read in falling order of their
        drivers' part, chunk by chunk, until the best remaining part plus the noise ceiling falls below
        the quantity-th best score found so far, a floor of the true threshold: no cell left could be
        chosen or tie. The chosen set is then ranked as the scan ranks it. When the walk goes deep (low
        thresholds) it gives up for the plain scan, which is then cheaper.
        """
        if self._ws.kernels is not None:
            return self._walk_compiled(source=source, target=target, quantity=quantity, near=near)
        ranking = self.model.driver_order_prefix(target=target)
        assert ranking is not None
        part, prefix, noise_ceiling = ranking
        code = self.classes[source]
        marks = self._ws.marks
        step = max(1024, min(WALK_CHUNK, part.size // 64))
        limit = 2 * max(int(self._available[source]), 1) + step
        marks[near.cells] = True  # scored exactly below, with their counts
        cells = [near.cells]
        scores = [self._potential(target, near.cells, near.counts)]
        found, floor = len(near.cells), _kth_largest(scores[0], quantity)
        try:
            for start in range(0, part.size, step):
                if start > limit:
                    return self._scan(source=source, target=target, quantity=quantity, near=near)
                while start + step > len(prefix.cells) and not prefix.complete:
                    prefix.extend()
                chunk = prefix.cells[start : start + step]
                if floor is not None and int(prefix.parts[start]) + noise_ceiling < floor:
                    break
                chunk = chunk[(self._cur[chunk] == code) & self._free[chunk] & ~marks[chunk]]
                if not len(chunk):
                    continue
                cells.append(chunk)
                scores.append(self._potential(target, chunk, np.zeros(len(chunk), dtype=near.counts.dtype)))
                found += len(chunk)
                if found >= quantity:
                    floor = _kth_largest(np.concatenate(scores), quantity)
        finally:
            marks[near.cells] = False
        return self._top(np.concatenate(cells), np.concatenate(scores), quantity)

    def _walk_compiled(self, *, source: int, target: int, quantity: int, near: _Near) -> np.ndarray:
        """``_walk_drivers`` cell by cell and the final ranking in one compiled call, from the cells next to
        the target scored as they were grouped (or here), down as much of the drivers' order as needed.

        It may stop or give up at another cell than the chunked walk, which changes nothing: any stop that
        passes the floor test leaves the scan's answer.
        """
        kernels, model = self._ws.kernels, self.model
        ranking = model.driver_order_prefix(target=target)
        assert ranking is not None
        part, prefix, noise_ceiling = ranking
        step = max(1024, min(WALK_CHUNK, part.size // 64))
        limit = 2 * max(int(self._available[source]), 1) + step
        if near.scores is None:
            scores, add_part = self._potential(target, near.cells, near.counts), False
        else:
            scores, add_part = near.scores, near.add_part
        while True:
            status, chosen = kernels.walk_near(
                prefix.cells, prefix.parts, self._codes_in_order(prefix), prefix.complete, part,
                self.current, self._free, self._ws.taken, model.window // 2, self.classes[source],
                self.current.dtype.type(target), near.cells, scores, add_part, quantity, self.noise,
                model.noise_multiplier(target=target), noise_ceiling, limit, step,
            )  # fmt: skip
            if status != kernels.NEEDS_MORE:
                break
            prefix.extend()
        if status == kernels.GAVE_UP:
            near = near.only_free(self._free)
            return self._scan(source=source, target=target, quantity=quantity, near=near)
        return chosen

    def _codes_in_order(self, prefix: OrderPrefix) -> np.ndarray:
        """The year's code of every cell of the drivers' order made so far, gathered once a year (the map
        does not change during the year) so that walks read it in sequence."""
        codes = self._prefix_codes.get(id(prefix))
        if codes is None or len(codes) != len(prefix.cells):
            codes = self._prefix_codes[id(prefix)] = self._cur[prefix.cells]
        return codes

    def _top(self, candidates: np.ndarray, potential: np.ndarray, quantity: int) -> np.ndarray:
        """The scan's ranking of a walk's candidates."""
        ascending = np.argsort(candidates, kind="stable")
        candidates, potential = candidates[ascending], potential[ascending]
        return candidates[top_k(primary=potential, secondary=self.noise[candidates], k=quantity)]

    def _potential(self, target: int, cells: np.ndarray, counts: np.ndarray) -> np.ndarray:
        return self.model.potential_at(target=target, indices=cells, counts=counts, noise=self.noise[cells])

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
        """The pool of a source, taken from the cells above a noise threshold rather than from all its cells.

        Thresholds leave at least ``size`` cells (checked, lowered if needed), so the pool is the exact top.
        """
        if source in self._sources:
            return _Pool(candidates=self._source_cells(source), noise=self.noise, size=size)
        if self._above is None:
            self._above = self._cells_above_thresholds()
        cells = self._above.get(source)
        if cells is None or len(cells) < size:
            cells = self._cells_above_own_threshold(source, size)
        return _Pool(candidates=cells, noise=self.noise, size=size)

    def _cells_above_thresholds(self) -> dict[int, np.ndarray]:
        """Free cells of the sources whose noise clears that source's threshold, found in one pass.

        The pass uses the lowest threshold; sources that would need most of their cells are left to
        ``_cells_above_own_threshold`` so that one busy class does not make the pass keep the whole map.
        """
        sources = np.flatnonzero(self._out_demand)
        levels = {int(i): _threshold_for(int(self._out_demand[i]), int(self._available[i])) for i in sources}
        shared = [i for i in levels if levels[i] >= LEVELS // 2]
        if not shared:
            return {}
        above = self._ws.mask
        np.greater_equal(self.noise, min(levels[i] for i in shared), out=above)
        np.logical_and(above, self._free, out=above)
        cells = np.flatnonzero(above)
        cell_codes, cell_noise = self._cur[cells], self.noise[cells]
        return {i: cells[(cell_codes == self.classes[i]) & (cell_noise >= levels[i])] for i in shared}

    def _cells_above_own_threshold(self, source: int, size: int) -> np.ndarray:
        mask, above = self._ws.mask, self._ws.other
        np.equal(self._cur, self.classes[source], out=mask)
        np.logical_and(mask, self._free, out=mask)
        threshold = _threshold_for(size, int(np.count_nonzero(mask)))
        while True:
            np.greater_equal(self.noise, threshold, out=above)
            np.logical_and(above, mask, out=above)
            if threshold == 0 or np.count_nonzero(above) >= size:
                return np.flatnonzero(above)
            threshold = max(0, 2 * threshold - LEVELS)


def _kth_largest(values: np.ndarray, k: int) -> int | None:
    """The k-th largest value, or None when there are fewer than k."""
    if k <= 0 or len(values) < k:
        return None
    return int(np.partition(values, len(values) - k)[len(values) - k])


def _threshold_for(size: int, available: int) -> int:
    """A noise level that about ``size`` plus a safety margin of ``available`` uniform values reach."""
    share = min(1.0, (size + 5 * size**0.5 + 64) / max(available, 1))
    return int(LEVELS * (1.0 - share))


@dataclass(frozen=True)
class _Near:
    """Free cells of one source next to the target, their window counts, and whole-map counts if any."""

    cells: np.ndarray
    counts: np.ndarray
    full: np.ndarray | None
    # False when some cells may have been taken since (the numba path's groups, made once a year).
    all_free: bool = True
    # The numba path's groups: the cells' potentials, without the drivers' part when ``add_part``.
    scores: np.ndarray | None = None
    add_part: bool = False

    def only_free(self, free: np.ndarray) -> _Near:
        if self.all_free:
            return self
        keep = free[self.cells]
        return _Near(cells=self.cells[keep], counts=self.counts[keep], full=self.full)


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
