"""Neighbourhood counts: how many cells of a class each cell's square window holds."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .change import class_lookup

#: Grouping every (target, source) pair at once keeps k x k offsets; past this many classes the numba
#: path tables the edge cells and counts them per target instead, as the numpy path does.
MAX_GROUPED_CLASSES = 1024
#: Room every group gets besides twice its size and the mean group size (see EdgeNeighbours._make_room).
GROUP_MARGIN_CELLS = 256


def neighbour_counts(*, landcover: np.ndarray, code: int, window: int) -> np.ndarray:
    """Cells of ``code`` in each cell's odd ``window`` x ``window`` square (outside the map counts 0)."""
    return (
        NeighbourCounter(shape=landcover.shape, window=window).counts(landcover=landcover, code=code).copy()
    )


class NeighbourCounter:
    """A shift-and-add box filter with buffers kept between calls.

    Exact integer counts, an order of magnitude faster than a float uniform_filter; the buffers are reused
    because touching fresh memory at every call costs more than the additions on large maps.
    """

    def __init__(self, *, shape: tuple[int, ...], window: int) -> None:
        check_window(window)
        self.window = window
        self._shape = shape
        self._dtype = np.uint8 if window * window <= 255 else np.uint16
        self._buffers: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def counts(self, *, landcover: np.ndarray, code: int) -> np.ndarray:
        """Window counts of ``code``; the result is overwritten by the next call."""
        if self._buffers is None:
            # Allocated on first use: a projection that only needs edge tables never pays for them.
            shape = self._shape
            self._buffers = (
                np.empty(shape, bool),
                np.empty(shape, self._dtype),
                np.empty(shape, self._dtype),
            )
        hits_bool, rows, out = self._buffers
        np.equal(landcover, code, out=hits_bool)
        hits = hits_bool.view(np.uint8)
        if self.window == 1:
            np.copyto(out, hits)
            return out
        # The first shift writes its sum straight into the buffer, saving a copy pass over the map.
        np.add(hits[1:], hits[:-1], out=rows[1:])
        np.copyto(rows[:1], hits[:1])
        rows[:-1] += hits[1:]
        for shift in range(2, self.window // 2 + 1):
            rows[shift:] += hits[:-shift]
            rows[:-shift] += hits[shift:]
        np.add(rows[:, 1:], rows[:, :-1], out=out[:, 1:])
        np.copyto(out[:, :1], rows[:, :1])
        out[:, :-1] += rows[:, 1:]
        for shift in range(2, self.window // 2 + 1):
            out[:, shift:] += rows[:, :-shift]
            out[:, :-shift] += rows[:, shift:]
        return out

    def last_hits(self) -> np.ndarray:
        """Where the map held the code of the last ``counts`` call (overwritten by the next call)."""
        if self._buffers is None:
            raise RuntimeError("counts() has not been called yet")
        return self._buffers[0]


def neighbour_counts_at(*, landcover: np.ndarray, code: int, window: int, indices: np.ndarray) -> np.ndarray:
    """``neighbour_counts`` for the flat cell ``indices`` only, by gathering the window's cells."""
    check_window(window)
    rows, cols = landcover.shape
    r, c = np.divmod(np.asarray(indices, dtype=np.int64), cols)
    flat = landcover.ravel()
    counts = np.zeros(len(r), dtype=np.uint16)
    half = window // 2
    for dr in range(-half, half + 1):
        rr = r + dr
        row_ok = (rr >= 0) & (rr < rows)
        for dc in range(-half, half + 1):
            cc = c + dc
            ok = row_ok & (cc >= 0) & (cc < cols)
            counts[ok] += flat[rr[ok] * cols + cc[ok]] == code
    return counts


class EdgeNeighbours:
    """Window counts for the free cells that see another class in their window, kept as a compact table.

    Only those cells can have a non-zero count of a class other than their own; on maps of large patches they
    are a few percent of the cells, so per-class work shrinks from the whole map to them.
    """

    def __init__(
        self, *, shape: tuple[int, int], window: int, dtype: np.dtype, pad_code: int, kernels=None
    ) -> None:
        check_window(window)
        self.window = window
        half = window // 2
        rows, cols = shape
        self._shape = shape
        # Numba kernels (engine.backend) read the map directly: no padded copy and no table.
        self._kernels = kernels
        self._pad_code = np.dtype(dtype).type(pad_code)
        # Outside the map reads as ``pad_code``, a code that is no class, so it counts for no target.
        self._padded = np.full((rows + 2 * half, cols + 2 * half), pad_code, dtype=dtype)
        self._edge = np.empty(shape, dtype=bool)
        self._high = np.empty(shape, dtype=dtype)
        self._low = np.empty(shape, dtype=dtype)
        self._line = np.empty(shape, dtype=dtype)
        self._shifts = [
            (dr, dc) for dr in range(-half, half + 1) for dc in range(-half, half + 1) if (dr, dc) != (0, 0)
        ]
        width = cols + 2 * half
        self._offsets = [dr * width + dc for dr, dc in self._shifts]
        self._table = np.empty(0, dtype=dtype)
        self._hits = np.empty(0, dtype=bool)
        self._counts = np.empty(0, dtype=np.uint8 if window * window <= 255 else np.uint16)
        self._rows = self._cols = self._index = np.empty(0, dtype=np.int64)
        self.cells = np.empty(0, dtype=np.int64)
        # Table size over its limit at the last update; the allocator skips updates while it is far above.
        self.overflow = 0.0
        # Numba path: the edge cells of every (target, source) pair of class positions, ascending, with their
        # count of the target and potential, at _group_cells[_starts[b] : _starts[b] + _sizes[b]] for
        # b = t * k + s; _starts[b + 1] bounds the room of group b.
        self.grouped = False
        self._positions = np.empty(0, dtype=np.int64)
        self._starts = np.zeros(1, dtype=np.int64)
        self._sizes = np.zeros(0, dtype=np.int64)
        self._group_cells = np.empty(0, dtype=np.int64)
        self._group_counts = np.empty(0, dtype=self._counts.dtype)
        self._group_scores = np.empty(0, dtype=np.uint16)
        # Sizes of a year whose groups came close to their room: next year's is made from them.
        self._grown: np.ndarray | None = None
        self._classes: tuple[int, ...] = ()
        self._k = 0

    def update(
        self,
        *,
        landcover: np.ndarray,
        free: np.ndarray,
        max_table_cells: float,
        classes: np.ndarray | None = None,
        scoring: GroupScoring | None = None,
    ) -> bool:
        """Find this year's edge cells; False (and nothing kept) when their table would exceed the limit.

        With the numba kernels, ``classes`` (at most MAX_GROUPED_CLASSES) and their ``scoring``, the cells
        are grouped by (target, source) and scored at once (``grouped`` is then True and ``group`` reads
        them) instead of tabled.
        """
        self.grouped = False
        if self._kernels is not None:
            return self._update_compiled(
                landcover=landcover,
                free=free,
                max_table_cells=max_table_cells,
                classes=classes,
                scoring=scoring,
            )
        rows, cols = self._shape
        edge = self._edge
        # A window holds another class exactly when its minimum and maximum differ; both are separable,
        # so this costs 4 (window - 1) passes over the map instead of one per window cell.
        high = _window_extreme(landcover, self.window, np.maximum, self._high, self._line)
        low = _window_extreme(landcover, self.window, np.minimum, self._low, self._line)
        np.not_equal(high, low, out=edge)
        edge &= free
        n = int(np.count_nonzero(edge))
        self.overflow = n * len(self._offsets) / max(max_table_cells, 1e-9)
        if self.overflow > 1:
            self.cells = np.empty(0, dtype=np.int64)
            return False
        half = self.window // 2
        m = len(self._offsets)
        if self._table.size < m * n:
            # Grown with headroom: the number of edge cells drifts a little from year to year, and fresh
            # memory is slow to touch.
            size = int(n * 1.2) + 1
            self._table = np.empty(m * size, dtype=self._table.dtype)
            self._hits = np.empty(m * size, dtype=bool)
            self._counts = np.empty(size, dtype=self._counts.dtype)
            self._rows = np.empty(size, dtype=np.int64)
            self._cols = np.empty(size, dtype=np.int64)
            self._index = np.empty(size, dtype=np.int64)
        self.cells = np.flatnonzero(edge)
        self._padded[half : half + rows, half : half + cols] = landcover
        r, c, index = self._rows[:n], self._cols[:n], self._index[:n]
        np.divmod(self.cells, cols, out=(r, c))
        # Flat index into the padded map: (r + half) * padded width + (c + half), computed in place.
        r += half
        r *= cols + 2 * half
        r += c
        r += half
        table = self._table[: m * n].reshape(m, n)
        flat = self._padded.ravel()
        for k, offset in enumerate(self._offsets):
            np.add(r, offset, out=index)
            np.take(flat, index, out=table[k])
        return True

    def _update_compiled(
        self,
        *,
        landcover: np.ndarray,
        free: np.ndarray,
        max_table_cells: float,
        classes: np.ndarray | None,
        scoring: GroupScoring | None,
    ) -> bool:
        """``update`` by the numba kernels: the same cells, the same decision on the limit, and the table
        laid out cell by cell instead of offset by offset (counting ignores the order), or the groups."""
        kernels, half, m = self._kernels, self.window // 2, len(self._offsets)
        edge = self._edge.view(np.uint8)
        kernels.edge_mask(landcover, free, half, edge)
        n = int(np.count_nonzero(edge))
        self.overflow = n * m / max(max_table_cells, 1e-9)
        if self.overflow > 1:
            self.cells = np.empty(0, dtype=np.int64)
            return False
        if classes is not None and scoring is not None and len(classes) <= MAX_GROUPED_CLASSES:
            self._group(landcover=landcover, edge=edge, classes=classes, scoring=scoring)
            return True
        cells = np.flatnonzero(edge)
        if len(self._index) < n:
            size = int(n * 1.2) + 1
            self._table = np.empty(m * size, dtype=self._table.dtype)
            self._index = np.empty(size, dtype=np.int64)
            self._counts = np.empty(size, dtype=self._counts.dtype)
        self.cells = cells
        kernels.gather_neighbours(landcover, cells, half, self._pad_code, self._table)
        return True

    def _group(
        self, *, landcover: np.ndarray, edge: np.ndarray, classes: np.ndarray, scoring: GroupScoring
    ) -> None:
        """Fill the (target, source) groups in one pass, with the room each group needed last year plus a
        margin; a second pass only when a group outgrew its room (and in the first year)."""
        k, half = len(classes), self.window // 2
        key = tuple(int(code) for code in classes)
        if key != self._classes:
            self._positions = class_lookup(classes=classes, dtype=landcover.dtype)
            self._starts = np.zeros(k * k + 1, dtype=np.int64)
            self._sizes = np.zeros(k * k, dtype=np.int64)
            self._classes, self._k = key, k
            self._grown = None
        if self._grown is not None:
            # Groups that grow year after year get more room before they outgrow it (which costs a pass);
            # made now, since last year's groups were read with the layout they were written in.
            self._make_room(self._grown)
            self._grown = None
        while True:
            sizes = self._kernels.edge_group_fill(
                landcover, edge, half, self._positions, k, self._starts, self._group_cells,
                self._group_counts, self._group_scores, scoring.luts, scoring.multipliers, scoring.part,
                scoring.with_part, scoring.noise,
            )  # fmt: skip
            room = np.diff(self._starts)
            if np.all(sizes <= room):
                break
            self._make_room(sizes)
        self._sizes = sizes
        if np.any(4 * sizes > 3 * room):
            self._grown = sizes
        self.grouped = True

    def _make_room(self, sizes: np.ndarray) -> None:
        """Room for these sizes plus a margin for next year's drift, in proportion and in cells: a group
        can grow from a few cells to thousands once the first conversions seed new patches."""
        np.cumsum(2 * sizes + int(sizes.sum()) // len(sizes) + GROUP_MARGIN_CELLS, out=self._starts[1:])
        total = int(self._starts[-1])
        if len(self._group_cells) < total:
            self._group_cells = np.empty(total, dtype=np.int64)
            self._group_counts = np.empty(total, dtype=self._counts.dtype)
            self._group_scores = np.empty(total, dtype=np.uint16)

    def group(self, *, target: int, source: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Edge cells of class position ``source`` (free when the groups were made, ascending) with a cell of
        class position ``target`` in their window, those counts and scores (views, valid until the next
        update)."""
        at = target * self._k + source
        lo = self._starts[at]
        hi = lo + self._sizes[at]
        return self._group_cells[lo:hi], self._group_counts[lo:hi], self._group_scores[lo:hi]

    def near(self, *, code: int, free: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Free edge cells with at least one ``code`` cell in their window (ascending), and those counts."""
        if self._kernels is not None:
            keep, counts, m = self._index, self._counts, len(self._offsets)
            code = self._table.dtype.type(code)
            n = self._kernels.near_counts(self._table, m, self.cells, free, code, keep, counts)
            return keep[:n].copy(), counts[:n].copy()
        m, n = len(self._offsets), len(self.cells)
        hits = self._hits[: m * n].reshape(m, n)
        np.equal(self._table[: m * n].reshape(m, n), code, out=hits)
        counts = self._counts[:n]
        np.add.reduce(hits, axis=0, dtype=counts.dtype, out=counts)
        chosen = np.flatnonzero(counts)
        cells = self.cells[chosen]
        keep = free[cells]
        return cells[keep], counts[chosen][keep]


class GroupScoring(NamedTuple):
    """How ``EdgeNeighbours`` scores grouped cells for each target position t: ``luts[t][count]`` (uint16,
    one row per target) plus (noise x ``multipliers[t]``) >> 16, plus the drivers' ``part`` (flat uint16)
    where ``with_part[t]`` (uint8); ``noise`` is the year's."""

    luts: np.ndarray
    multipliers: np.ndarray
    part: np.ndarray
    with_part: np.ndarray
    noise: np.ndarray


def _window_extreme(
    values: np.ndarray, window: int, extreme: np.ufunc, out: np.ndarray, scratch: np.ndarray
) -> np.ndarray:
    """Maximum or minimum over each cell's window (cells outside the map are ignored), in ``out``."""
    np.copyto(scratch, values)
    for shift in range(1, window // 2 + 1):
        extreme(scratch[shift:], values[:-shift], out=scratch[shift:])
        extreme(scratch[:-shift], values[shift:], out=scratch[:-shift])
    np.copyto(out, scratch)
    for shift in range(1, window // 2 + 1):
        extreme(out[:, shift:], scratch[:, :-shift], out=out[:, shift:])
        extreme(out[:, :-shift], scratch[:, shift:], out=out[:, :-shift])
    return out


def check_window(window: int) -> None:
    if window < 1 or window % 2 == 0:
        raise ValueError("the neighbourhood window must be an odd number of cells")
