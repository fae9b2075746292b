"""Change analysis: cross-tabulation of two categorical maps, transition matrices and their annual form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import linalg

AnnualMethod = Literal["exact", "root", "clipped_root", "row_linear"]

# Entries this close to zero (or rows this close to 1) count as exact: they are rounding noise from the Schur
# decomposition, not a sign that the principal root leaves the set of stochastic matrices.
_ROOT_TOLERANCE = 1e-10


@dataclass(frozen=True)
class CrossTab:
    """Counts of cells by class at t0 (rows) and class at t1 (columns), for the listed class codes."""

    classes: np.ndarray
    counts: np.ndarray

    @property
    def total(self) -> int:
        return int(self.counts.sum())


@dataclass(frozen=True)
class AnnualMatrix:
    """A one-year transition matrix, how it was obtained, and how well its power reproduces the period."""

    matrix: np.ndarray
    years: float
    method: AnnualMethod
    residual: float


def class_lookup(*, classes: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """A table from every code of ``dtype`` to its class index, -1 for codes that are not classes."""
    size = 1 << (8 * np.dtype(dtype).itemsize)
    lut = np.full(size, -1, dtype=np.int64)
    lut[np.asarray(classes, dtype=np.int64)] = np.arange(len(classes))
    return lut


def count_codes(
    *, landcover: np.ndarray, mask: np.ndarray | None = None, chunk_cells: int = 1 << 20
) -> np.ndarray:
    """Cells per code (index = code) over the whole map or where ``mask`` is True, counted in chunks.

    Chunks keep bincount's int64 copy of the input small instead of eight times the map.
    """
    _check_categorical(landcover)
    flat = landcover.ravel()
    where = None if mask is None else mask.ravel()
    counts = np.zeros(1 << (8 * landcover.itemsize), dtype=np.int64)
    for start in range(0, flat.size, chunk_cells):
        part = flat[start : start + chunk_cells]
        if where is not None:
            part = part[where[start : start + chunk_cells]]
        found = np.bincount(part)
        counts[: len(found)] += found
    return counts


def present_classes(*, landcover: np.ndarray, nodata: int | None) -> np.ndarray:
    """The sorted codes found in a map, nodata excluded (counted, not sorted, so it stays linear)."""
    counts = count_codes(landcover=landcover)
    if nodata is not None:
        counts[nodata] = 0
    return np.flatnonzero(counts).astype(landcover.dtype)


def cross_tabulate(
    *,
    before: np.ndarray,
    after: np.ndarray,
    nodata: int | None,
    classes: np.ndarray | None = None,
    chunk_cells: int = 1 << 20,
) -> CrossTab:
    """Cross-tabulate two maps of the same grid; cells that are nodata at either date are left out."""
    if before.shape != after.shape:
        raise ValueError(f"maps differ in shape: {before.shape} and {after.shape}")
    if before.dtype != after.dtype:
        raise ValueError(f"maps differ in dtype: {before.dtype} and {after.dtype}")
    if classes is None:
        classes = np.union1d(
            present_classes(landcover=before, nodata=nodata), present_classes(landcover=after, nodata=nodata)
        )
    classes = np.asarray(classes, dtype=before.dtype)
    lut = class_lookup(classes=classes, dtype=before.dtype)
    k = len(classes)
    counts = np.zeros(k * k, dtype=np.int64)
    flat_before, flat_after = before.ravel(), after.ravel()
    # Chunks keep the int64 class indices small instead of sixteen times the map.
    for start in range(0, flat_before.size, chunk_cells):
        b_codes = flat_before[start : start + chunk_cells]
        a_codes = flat_after[start : start + chunk_cells]
        b, a = lut[b_codes], lut[a_codes]
        valid = np.ones(b.shape, dtype=bool) if nodata is None else (b_codes != nodata) & (a_codes != nodata)
        if np.any(valid & ((b < 0) | (a < 0))):
            raise ValueError("the maps contain codes that are neither nodata nor one of the given classes")
        counts += np.bincount(b[valid] * k + a[valid], minlength=k * k)
    counts = counts.reshape(k, k)
    return CrossTab(classes=classes, counts=counts)


def transition_matrix(*, crosstab: CrossTab) -> np.ndarray:
    """Row-normalised cross-tabulation; a class absent at t0 gets an identity row (it would persist)."""
    counts = crosstab.counts.astype(np.float64)
    totals = counts.sum(axis=1, keepdims=True)
    matrix = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
    empty = totals[:, 0] == 0
    matrix[empty, empty] = 1.0
    return matrix


def annualise(*, matrix: np.ndarray, years: float) -> AnnualMatrix:
    """The one-year matrix whose ``years``-th power gives ``matrix``, or a fallback named in ``method``.

    Principal root if stochastic ("root"); else negatives clipped, rows renormalised ("clipped_root"); if
    complex or failed, p_ii**(1/n) with the rest shared as in the period ("row_linear"). residual=max|A^n-P|.
    """
    p = _check_stochastic(matrix)
    if years <= 0:
        raise ValueError("years must be positive")
    if years == 1:
        return AnnualMatrix(matrix=p.copy(), years=1.0, method="exact", residual=0.0)
    annual, method = _principal_root(p, years)
    if annual is None:
        annual, method = _row_linear(p, years), "row_linear"
    residual = float(np.max(np.abs(_power(annual, years) - p)))
    return AnnualMatrix(matrix=annual, years=float(years), method=method, residual=residual)


def _principal_root(p: np.ndarray, years: float) -> tuple[np.ndarray | None, AnnualMethod]:
    try:
        root = np.asarray(linalg.fractional_matrix_power(p, 1.0 / years))
    except (ValueError, np.linalg.LinAlgError):
        return None, "row_linear"
    if not np.all(np.isfinite(root)) or np.max(np.abs(root.imag)) > 1e-9:
        return None, "row_linear"
    real = root.real.copy()
    exact = real.min() >= -_ROOT_TOLERANCE
    real[real < 0] = 0.0
    sums = real.sum(axis=1, keepdims=True)
    if np.any(sums <= 0):
        return None, "row_linear"
    return real / sums, "root" if exact else "clipped_root"


def _row_linear(p: np.ndarray, years: float) -> np.ndarray:
    diag = np.diag(p)
    keep = diag ** (1.0 / years)
    annual = p.copy()
    np.fill_diagonal(annual, 0.0)
    leaving = 1.0 - diag
    # Each row's changes keep the proportions they had over the whole period.
    share = np.divide(1.0 - keep, leaving, out=np.zeros_like(diag), where=leaving > 0)
    annual *= share[:, None]
    np.fill_diagonal(annual, keep)
    return annual


def _power(a: np.ndarray, years: float) -> np.ndarray:
    if float(years).is_integer():
        return np.linalg.matrix_power(a, int(years))
    return np.asarray(linalg.fractional_matrix_power(a, years)).real


def _check_stochastic(matrix: np.ndarray) -> np.ndarray:
    p = np.asarray(matrix, dtype=np.float64)
    if p.ndim != 2 or p.shape[0] != p.shape[1]:
        raise ValueError("a transition matrix must be square")
    if p.min() < 0 or not np.allclose(p.sum(axis=1), 1.0, atol=1e-9):
        raise ValueError("a transition matrix needs non-negative entries and rows that sum to 1")
    return p


def _check_categorical(landcover: np.ndarray) -> None:
    if landcover.dtype not in (np.uint8, np.uint16):
        raise ValueError(f"categorical maps must be uint8 or uint16, not {landcover.dtype}")
