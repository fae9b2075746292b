"""Fixtures for the scenario engine: the real Lausanne maps (skipped when absent) and small synthetic maps."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

LAUSANNE = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "real" / "lausanne"
NODATA = 255


def _lausanne(name: str) -> Path:
    path = LAUSANNE / name
    if not path.exists():
        pytest.skip(f"real Lausanne land-use maps not found at {LAUSANNE} (../shared/data is absent)")
    return path


@pytest.fixture(scope="session")
def lausanne_250() -> tuple[np.ndarray, np.ndarray]:
    """The 250 m Lausanne maps of 2006 and 2012 (one grid, uint8, nodata 255)."""
    from landmosaic.scenarios.engine.io import read_categorical

    before = read_categorical(path=_lausanne("ls250_06.tif"))
    after = read_categorical(path=_lausanne("ls250_12.tif"))
    return before.array, after.array


@pytest.fixture(scope="session")
def lausanne_100_paths() -> tuple[Path, Path]:
    return _lausanne("ls100_06.tif"), _lausanne("ls100_12.tif")


def patchy_map(*, shape: tuple[int, int] = (40, 50), classes: int = 4, seed: int = 0) -> np.ndarray:
    """A blocky synthetic land-cover map with codes 1..classes (blocks of 5 x 5 cells)."""
    rng = np.random.default_rng(seed)
    blocks = rng.integers(1, classes + 1, size=(shape[0] // 5 + 1, shape[1] // 5 + 1), dtype=np.uint8)
    return np.kron(blocks, np.ones((5, 5), dtype=np.uint8))[: shape[0], : shape[1]].copy()
