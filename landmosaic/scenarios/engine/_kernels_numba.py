"""Numba kernels for the projection's hot spots; each returns exactly what its numpy counterpart returns.

Only integer work (comparisons, counting, stable placement), so the answers are bit-identical to the numpy
path by construction; tests/scenarios/engine/test_numba_path.py runs both on the same inputs. Imported only
through ``engine.backend``, which falls back to numpy when numba is absent or LANDMOSAIC_ENGINE=numpy.
"""

from __future__ import annotations

import numba as nb
import numpy as np

_LEVELS = 65_536
#: What ``walk_near`` returns first.
WALKED, GAVE_UP, NEEDS_MORE = 0, 1, 2


@nb.njit(cache=True, nogil=True)
def edge_mask(landcover, free, half, out):  # pragma: no cover - compiled
    """``out`` (uint8, the map's shape) = 1 where a free cell's window (inside the map) holds another code.

    Row by row over aligned slices: indices from 0 up let LLVM vectorise the inner loops (a shifted index
    such as ``c + dc`` brings numba's negative-index check, which is ~30x slower).
    """
    rows, cols = landcover.shape
    for r in range(rows):
        own = landcover[r]
        line_out = out[r]
        line_out[:] = 0
        for rr in range(max(r - half, 0), min(r + half + 1, rows)):
            line = landcover[rr]
            for dc in range(-half, half + 1):
                lo, hi = max(0, -dc), min(cols, cols - dc)
                shifted, centre, marks = line[lo + dc : hi + dc], own[lo:hi], line_out[lo:hi]
                for c in range(hi - lo):
                    marks[c] |= np.uint8(shifted[c] != centre[c])
        line_free = free[r]
        for c in range(cols):
            line_out[c] &= np.uint8(line_free[c])


@nb.njit(cache=True, nogil=True)
def gather_neighbours(landcover, cells, half, pad_code, table):  # pragma: no cover - compiled
    """The window of each cell but its centre, cell by cell (``table[k * m : (k + 1) * m]``, m = window
    cells - 1), ``pad_code`` outside the map: read once a year, then counted for every target."""
    rows, cols = landcover.shape
    flat = landcover.ravel()
    at = 0
    for k in range(len(cells)):
        r = cells[k] // cols
        c = cells[k] - r * cols
        for dr in range(-half, half + 1):
            rr = r + dr
            for dc in range(-half, half + 1):
                if dr == 0 and dc == 0:
                    continue
                cc = c + dc
                if 0 <= rr < rows and 0 <= cc < cols:
                    table[at] = flat[rr * cols + cc]
                else:
                    table[at] = pad_code
                at += 1


@nb.njit(cache=True, nogil=True)
def near_counts(table, m, cells, free, code, keep, counts):  # pragma: no cover - compiled
    """How many of ``cells`` are still free with at least one ``code`` cell in their gathered window; those
    cells (ascending) and counts are written to the start of ``keep`` and ``counts``."""
    # Branch-free: every cell is written at the next slot, which advances only for a kept cell (3x faster
    # than skipping cells with branches).
    n = 0
    for k in range(len(cells)):
        hits = 0
        base = k * m
        for j in range(m):
            hits += table[base + j] == code
        cell = cells[k]
        keep[n] = cell
        counts[n] = hits
        n += (hits != 0) & free[cell]
    return n


@nb.njit(cache=True, nogil=True)
def group_by_code(cells, counts, codes):  # pragma: no cover - compiled
    """``cells``, ``counts`` and ``codes`` reordered by code, keeping the given order within each code:
    what a stable argsort of ``codes`` gives, by counting."""
    histogram = np.zeros(_LEVELS + 1, dtype=np.int64)
    for k in range(len(codes)):
        histogram[np.int64(codes[k]) + 1] += 1
    for v in range(1, _LEVELS + 1):
        histogram[v] += histogram[v - 1]
    out_cells = np.empty_like(cells)
    out_counts = np.empty_like(counts)
    out_codes = np.empty_like(codes)
    for k in range(len(codes)):
        v = np.int64(codes[k])
        at = histogram[v]
        histogram[v] = at + 1
        out_cells[at] = cells[k]
        out_counts[at] = counts[k]
        out_codes[at] = codes[k]
    return out_cells, out_counts, out_codes


@nb.njit(cache=True, nogil=True)
def level_histogram(values):  # pragma: no cover - compiled
    """How many of the uint16 ``values`` hold each level."""
    histogram = np.zeros(_LEVELS, dtype=np.int64)
    for k in range(len(values)):
        histogram[values[k]] += 1
    return histogram


@nb.njit(cache=True, nogil=True)
def descending_from(values, level, histogram):  # pragma: no cover - compiled
    """Positions of the uint16 ``values`` at or above ``level``, highest first, lower position first among
    equals (int32): the first positions of a stable argsort of ``65535 - values``, by counting
    (``histogram`` from ``level_histogram``); at level 0, the whole argsort."""
    starts = np.zeros(_LEVELS, dtype=np.int64)
    count = 0
    for v in range(_LEVELS - 1, level - 1, -1):
        starts[v] = count
        count += histogram[v]
    out = np.empty(count, dtype=np.int32)
    for k in range(len(values)):
        v = values[k]
        if v >= level:
            out[starts[v]] = k
            starts[v] += 1
    return out


@nb.njit(cache=True, nogil=True)
def _kth_from_top(histogram, k):  # pragma: no cover - compiled
    seen = 0
    for level in range(_LEVELS - 1, -1, -1):
        seen += histogram[level]
        if seen >= k:
            return level
    return -1


@nb.njit(cache=True, nogil=True)
def quantise(values, sign, out):  # pragma: no cover - compiled
    """``potential._quantise`` element by element into uint16 ``out``: the same float64 operations
    (orient, clip to 0..1, NaN and infinities to 0, round half to even of x * 65535)."""
    for k in range(len(values)):
        value = np.float64(values[k])
        oriented = value if sign > 0 else 1.0 - value
        if not np.isfinite(oriented):
            out[k] = 0
            continue
        oriented = min(max(oriented, 0.0), 1.0)
        out[k] = np.uint16(np.rint(oriented * 65535.0))


@nb.njit(cache=True, nogil=True)
def _level_from_top(histogram, k):  # pragma: no cover - compiled
    """The level holding the k-th largest value, and how many values lie strictly above it."""
    seen = 0
    level = _LEVELS - 1
    while True:
        seen += histogram[level]
        if seen >= k or level == 0:
            return level, seen - histogram[level]
        level -= 1


@nb.njit(cache=True, nogil=True)
def top_cells(cells, potential, noise, k):  # pragma: no cover - compiled
    """The ``k`` best of ``cells`` (any order) by (potential, noise, lower cell index), ascending: what
    ``ranking.top_k`` chooses once the cells are sorted, by two histograms and no sort of them all."""
    histogram = np.zeros(_LEVELS, dtype=np.int64)
    for i in range(len(cells)):
        histogram[potential[i]] += 1
    return _top_cells(cells, potential, noise, k, histogram)


@nb.njit(cache=True, nogil=True)
def _top_cells(cells, potential, noise, k, histogram):  # pragma: no cover - compiled
    """``top_cells`` given the histogram of ``potential`` (overwritten)."""
    n = len(cells)
    if k >= n:
        return np.sort(cells)
    if k <= 0:
        return np.empty(0, dtype=np.int64)
    level, above = _level_from_top(histogram, k)
    histogram[:] = 0
    for i in range(n):
        if potential[i] == level:
            histogram[noise[cells[i]]] += 1
    level2, above2 = _level_from_top(histogram, k - above)
    need = k - above - above2
    tied = np.empty(histogram[level2], dtype=np.int64)
    t = 0
    for i in range(n):
        if potential[i] == level and noise[cells[i]] == level2:
            tied[t] = cells[i]
            t += 1
    tied.sort()
    last = tied[need - 1]
    out = np.empty(k, dtype=np.int64)
    o = 0
    for i in range(n):
        p, cell = potential[i], cells[i]
        if p > level or (p == level and (noise[cell] > level2 or (noise[cell] == level2 and cell <= last))):
            out[o] = cell
            o += 1
    out.sort()
    return out


@nb.njit(cache=True, nogil=True, inline="always")
def _window_classes(landcover, r, c, half, positions, own, hits, seen):  # pragma: no cover - compiled
    """Count the window of (r, c) by class position into ``hits`` (classes other than ``own`` only; codes
    that are no class, -1 in ``positions``, are skipped) and list the positions found in ``seen``."""
    rows, cols = landcover.shape
    found = 0
    for rr in range(max(r - half, 0), min(r + half + 1, rows)):
        line = landcover[rr]
        for cc in range(max(c - half, 0), min(c + half + 1, cols)):
            p = positions[line[cc]]
            if p < 0 or p == own:
                continue
            if hits[p] == 0:
                seen[found] = p
                found += 1
            hits[p] += 1
    return found


@nb.njit(cache=True, nogil=True)
def edge_group_fill(
    landcover,
    edge,
    half,
    positions,
    k,
    starts,
    cells,
    counts,
    scores,
    luts,
    multipliers,
    part,
    with_part,
    noise,
):  # pragma: no cover - compiled
    """The edge cells (``edge`` != 0) of every (target t, source s) group, ascending, with their count of t:
    what ``EdgeNeighbours.near`` and grouping by class give for each target, read from the map in one pass
    instead of one table pass per target. Group b = t * k + s is written from ``starts[b]`` on, up to its
    room ``starts[b + 1]``; its size is returned (sizes[b], counted past the room too, so that one more
    pass with room enough lists all when some group overflowed).

    ``scores`` gets each cell's potential for t as ``PotentialModel.potential_at`` computes it, reading
    the cells in map order rather than group by group: ``luts[t][count]`` plus the noise term
    (``multipliers[t]``), plus the drivers' ``part`` where ``with_part[t]``."""
    rows, cols = landcover.shape
    hits = np.zeros(k, dtype=np.int64)
    seen = np.empty((2 * half + 1) ** 2, dtype=np.int64)
    at = starts[:-1].copy()
    for r in range(rows):
        marks, line = edge[r], landcover[r]
        # The usual 3 x 3 window inside the map reads three rows directly (about 20 % faster).
        rows_3x3 = half == 1 and 0 < r < rows - 1
        above, below = landcover[max(r - 1, 0)], landcover[min(r + 1, rows - 1)]
        for c in range(cols):
            if marks[c] == 0:
                continue
            own = positions[line[c]]
            if own < 0:
                continue
            if rows_3x3 and 0 < c < cols - 1:
                found = 0
                for j in range(9):
                    source = above if j < 3 else (line if j < 6 else below)
                    p = positions[source[c - 1 + j % 3]]
                    if p < 0 or p == own:
                        continue
                    if hits[p] == 0:
                        seen[found] = p
                        found += 1
                    hits[p] += 1
            else:
                found = _window_classes(landcover, r, c, half, positions, own, hits, seen)
            for f in range(found):
                p = seen[f]
                group = p * k + own
                slot = at[group]
                at[group] = slot + 1
                if slot >= starts[group + 1]:
                    hits[p] = 0
                    continue
                cell = r * cols + c
                cells[slot] = cell
                counts[slot] = hits[p]
                score = np.uint64(luts[p, hits[p]])
                score += (np.uint64(noise[cell]) * np.uint64(multipliers[p])) >> np.uint64(16)
                if with_part[p]:
                    score += np.uint64(part[cell])
                scores[slot] = np.uint16(score)
                hits[p] = 0
    return at - starts[:-1]


@nb.njit(cache=True, nogil=True)
def _next_to(landcover, cell, half, target_code):  # pragma: no cover - compiled
    """Whether the window of ``cell`` (inside the map) holds ``target_code``."""
    rows, cols = landcover.shape
    r = cell // cols
    c = cell - r * cols
    for rr in range(max(r - half, 0), min(r + half + 1, rows)):
        line = landcover[rr]
        for cc in range(max(c - half, 0), min(c + half + 1, cols)):
            if line[cc] == target_code:
                return True
    return False


@nb.njit(cache=True, nogil=True)
def walk_near(
    order,
    order_parts,
    order_codes,
    complete,
    part,
    landcover,
    free,
    taken,
    half,
    code,
    target_code,
    near_cells,
    near_scores,
    add_part,
    quantity,
    noise,
    noise_multiplier,
    noise_ceiling,
    limit,
    recheck,
):  # pragma: no cover - compiled
    """``YearAllocator._walk_drivers`` in one call, cell by cell, and the scan's ranking of its candidates.

    The candidates are the ``near_cells`` (free when the year's allocation began) not yet ``taken`` (bit
    set, ``mark_taken``) (scored: ``near_scores``, plus their drivers' part
    when ``add_part``) and the free ``code`` cells read down the drivers' ``order`` until the best part left
    plus the noise ceiling falls below the quantity-th best score found (recomputed every ``recheck``
    cells read). A cell read there with ``target_code`` in its window is one of the near cells, already
    scored, and is skipped. Scores of the others are their drivers' part plus the noise term, exactly as
    ``PotentialModel.potential_at`` (its window term is 0 at a count of 0).

    ``order_parts`` and ``order_codes`` are the drivers' part and the code of the cells of ``order``, read
    in sequence rather than at random. ``order`` may be only the first cells of the drivers' order
    (``complete`` False). Returns (status,
    chosen cells ascending): WALKED, GAVE_UP when the walk read more than ``limit`` cells of the order
    (the plain scan is then cheaper), or NEEDS_MORE when it reached the end of an incomplete ``order``.
    """
    histogram = np.zeros(_LEVELS, dtype=np.int64)
    size = max(1024, 2 * len(near_cells))
    cells = np.empty(size, dtype=np.int64)
    scores = np.empty(size, dtype=np.uint16)
    n = 0
    for k in range(len(near_cells)):
        cell = near_cells[k]
        # Near cells were free when the year's allocation began: only those taken since are out, and the
        # bit set of those (1/8 byte a cell) is read far faster than ``free`` at scattered cells.
        if (taken[cell >> 3] >> (cell & 7)) & 1:
            continue
        score = np.uint64(near_scores[k])
        if add_part:
            score += np.uint64(part[cell])
        cells[n] = cell
        scores[n] = np.uint16(score)
        histogram[np.uint16(score)] += 1
        n += 1
    floor = _kth_from_top(histogram, quantity) if n >= quantity else -1
    since = 0
    for position in range(len(order)):
        if position > limit:
            return GAVE_UP, np.empty(0, dtype=np.int64)
        if floor >= 0 and np.int64(order_parts[position]) + noise_ceiling < floor:
            break
        if order_codes[position] != code:
            continue
        cell = order[position]
        if not free[cell] or _next_to(landcover, cell, half, target_code):
            continue
        if n == size:
            size *= 2
            grown_cells = np.empty(size, dtype=np.int64)
            grown_cells[:n] = cells[:n]
            cells = grown_cells
            grown_scores = np.empty(size, dtype=np.uint16)
            grown_scores[:n] = scores[:n]
            scores = grown_scores
        term = (np.uint64(noise[cell]) * np.uint64(noise_multiplier)) >> np.uint64(16)
        score = np.uint16(np.uint64(order_parts[position]) + term)
        cells[n] = cell
        scores[n] = score
        histogram[score] += 1
        n += 1
        since += 1
        if n >= quantity and (floor < 0 or since >= recheck):
            floor = _kth_from_top(histogram, quantity)
            since = 0
    else:
        if not complete:
            return NEEDS_MORE, np.empty(0, dtype=np.int64)
    # The walk's histogram is that of all the candidates' scores: the ranking starts from it.
    return WALKED, _top_cells(cells[:n], scores[:n], noise, quantity, histogram)


@nb.njit(cache=True, nogil=True)
def mark_taken(taken, cells):  # pragma: no cover - compiled
    """Set the bits of ``cells`` in the bit set ``taken`` (cell c is bit c % 8 of byte c // 8)."""
    for k in range(len(cells)):
        cell = cells[k]
        taken[cell >> 3] |= np.uint8(1 << (cell & 7))
