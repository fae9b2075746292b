"""Which kernels the projection uses: numba's when it imports, numpy's otherwise.

Chosen at import time; ``LANDMOSAIC_ENGINE=numpy`` forces numpy without importing numba (e.g. to compare
figures, or where a JIT is unwanted). Both give bit-identical maps: the numba kernels only replace integer
work. A projection reads ``kernels()`` once, when it starts, so it never mixes the two.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from types import ModuleType

ENV_VAR = "LANDMOSAIC_ENGINE"


@cache
def _numba_kernels() -> ModuleType | None:
    try:
        from . import _kernels_numba
    except ImportError:  # numba is an optional extra
        return None
    return _kernels_numba


_active = None if os.environ.get(ENV_VAR, "").strip().lower() == "numpy" else _numba_kernels()


def kernels() -> ModuleType | None:
    """The numba kernel module in use, or None for the numpy path."""
    return _active


def numba_installed() -> bool:
    return _numba_kernels() is not None


def name() -> str:
    return "numpy" if _active is None else "numba"


@contextmanager
def use(path: str) -> Iterator[None]:
    """Run the block on the "numpy" or "numba" path (tests and benchmarks compare them in one process)."""
    global _active
    if path not in ("numpy", "numba"):
        raise ValueError('the engine path is "numpy" or "numba"')
    chosen = None if path == "numpy" else _numba_kernels()
    if path == "numba" and chosen is None:
        raise RuntimeError("numba is not installed")
    previous, _active = _active, chosen
    try:
        yield
    finally:
        _active = previous
