"""Change analysis: cross-tabulation, transition matrices and their annual roots."""

from __future__ import annotations

import numpy as np
import pytest

from landmosaic.scenarios.engine import annualise, cross_tabulate, present_classes, transition_matrix

from .conftest import NODATA


def test_cross_tab_total_is_the_valid_cell_count(lausanne_250):
    before, after = lausanne_250
    crosstab = cross_tabulate(before=before, after=after, nodata=NODATA)
    valid = np.count_nonzero((before != NODATA) & (after != NODATA))
    assert crosstab.total == valid
    assert list(crosstab.classes) == sorted(set(before[before != NODATA]) | set(after[after != NODATA]))
    # Persistence dominates a six-year interval.
    assert np.trace(crosstab.counts) > 0.8 * valid


def test_transition_matrix_rows_sum_to_one(lausanne_250):
    before, after = lausanne_250
    matrix = transition_matrix(crosstab=cross_tabulate(before=before, after=after, nodata=NODATA))
    np.testing.assert_allclose(matrix.sum(axis=1), 1.0, atol=1e-12)
    assert matrix.min() >= 0


def test_cross_tab_on_a_hand_example():
    before = np.array([[1, 1, 2], [2, 9, 3]], dtype=np.uint8)
    after = np.array([[1, 2, 2], [3, 3, 9]], dtype=np.uint8)
    crosstab = cross_tabulate(before=before, after=after, nodata=9)
    assert list(crosstab.classes) == [1, 2, 3]
    np.testing.assert_array_equal(crosstab.counts, [[1, 1, 0], [0, 1, 1], [0, 0, 0]])
    matrix = transition_matrix(crosstab=crosstab)
    # Class 3 never occurs at t0: it gets an identity row.
    np.testing.assert_allclose(matrix, [[0.5, 0.5, 0], [0, 0.5, 0.5], [0, 0, 1]])


def test_unknown_codes_are_refused():
    before = np.array([[1, 2]], dtype=np.uint8)
    with pytest.raises(ValueError, match="neither nodata"):
        cross_tabulate(before=before, after=before, nodata=None, classes=np.array([1], dtype=np.uint8))


def test_present_classes_works_for_uint16():
    landcover = np.array([[300, 7, 65535]], dtype=np.uint16)
    assert list(present_classes(landcover=landcover, nodata=65535)) == [7, 300]


def test_annual_root_reproduces_the_period_matrix():
    annual = np.array([[0.9, 0.08, 0.02], [0.05, 0.9, 0.05], [0.01, 0.04, 0.95]])
    period = np.linalg.matrix_power(annual, 6)
    result = annualise(matrix=period, years=6)
    assert result.method == "root"
    np.testing.assert_allclose(np.linalg.matrix_power(result.matrix, 6), period, atol=1e-9)
    np.testing.assert_allclose(result.matrix, annual, atol=1e-9)
    assert result.residual < 1e-9


def test_negative_root_is_clipped_and_still_stochastic():
    # Class 0 can reach class 2 in two years but not in one: the exact root needs a negative 0 -> 2 entry.
    period = np.array([[0.9, 0.1, 0.0], [0.0, 0.9, 0.1], [0.0, 0.0, 1.0]])
    result = annualise(matrix=period, years=5)
    assert result.method == "clipped_root"
    _assert_stochastic(result.matrix)
    assert 0 < result.residual < 0.01


def test_complex_root_falls_back_to_the_row_linear_approximation():
    # Eigenvalue -0.8: the square root is complex, so no real annual matrix exists.
    period = np.array([[0.1, 0.9], [0.9, 0.1]])
    result = annualise(matrix=period, years=2)
    assert result.method == "row_linear"
    _assert_stochastic(result.matrix)
    np.testing.assert_allclose(np.diag(result.matrix), np.sqrt(0.1))
    assert result.residual > 0


def test_lausanne_annual_matrix_is_a_valid_stochastic_matrix(lausanne_250):
    before, after = lausanne_250
    matrix = transition_matrix(crosstab=cross_tabulate(before=before, after=after, nodata=NODATA))
    result = annualise(matrix=matrix, years=6)
    assert result.method in {"root", "clipped_root", "row_linear"}
    _assert_stochastic(result.matrix)
    np.testing.assert_allclose(
        np.linalg.matrix_power(result.matrix, 6), matrix, atol=max(result.residual, 1e-9)
    )


def test_one_year_is_returned_unchanged():
    period = np.array([[0.7, 0.3], [0.2, 0.8]])
    result = annualise(matrix=period, years=1)
    assert result.method == "exact"
    np.testing.assert_array_equal(result.matrix, period)


def _assert_stochastic(matrix: np.ndarray) -> None:
    assert np.isrealobj(matrix)
    assert matrix.min() >= 0
    np.testing.assert_allclose(matrix.sum(axis=1), 1.0, atol=1e-12)
