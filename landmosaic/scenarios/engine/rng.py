"""Counter-based random numbers: one value per (seed, year, cell), no global state.

Named ``rng`` rather than ``random`` so that it can never shadow the standard library module.
"""

from __future__ import annotations

import numpy as np

_MASK64 = (1 << 64) - 1

# Streams keep the different uses of randomness independent even for the same seed and year.
NOISE_STREAM = 1


def yearly_noise(
    *,
    seed: int,
    year: int,
    size: int,
    stream: int = NOISE_STREAM,
    out: np.ndarray | None = None,
    chunk_cells: int = 1 << 20,
) -> np.ndarray:
    """Uniform uint16 values for cells 0..size-1 of one year, from Philox(key=seed, counter=(stream, year)).

    Philox is counter-based and NumPy keeps its raw stream stable, so values depend only on (seed, stream,
    year, cell index): not on the machine, the thread count, ``chunk_cells`` or the order of calls.
    """
    if not 0 <= seed <= _MASK64:
        raise ValueError("seed must be an integer between 0 and 2**64 - 1")
    if out is None:
        out = np.empty(size, dtype=np.uint16)
    if out.shape != (size,) or out.dtype != np.uint16:
        raise ValueError("out must be a 1-D uint16 array of the given size")
    bitgen = np.random.Philox(key=seed, counter=[0, 0, stream & _MASK64, year & _MASK64])
    # Whole 64-bit words per chunk, so consecutive calls continue the one stream without gaps.
    step = max(4, chunk_cells - chunk_cells % 4)
    for start in range(0, size, step):
        stop = min(size, start + step)
        raw = bitgen.random_raw((stop - start + 3) // 4)
        # Fix the byte order so that a big-endian machine splits each word the same way.
        out[start:stop] = raw.astype("<u8", copy=False).view("<u2")[: stop - start]
    return out
