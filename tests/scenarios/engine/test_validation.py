"""Validation: Figure of Merit, Pontius & Millones disagreement, hindcast and the null model."""

from __future__ import annotations

import math

import numpy as np
import pytest

from landmosaic.scenarios.engine import compare_maps, hindcast

from .conftest import NODATA

REFERENCE = np.array([[1, 1, 1], [1, 1, 2], [9, 1, 1]], dtype=np.uint8)
OBSERVED = np.array([[2, 3, 1], [1, 3, 2], [9, 1, 1]], dtype=np.uint8)
SIMULATED = np.array([[2, 2, 1], [2, 1, 2], [9, 1, 1]], dtype=np.uint8)


def test_figure_of_merit_on_a_hand_example():
    result = compare_maps(reference=REFERENCE, observed=OBSERVED, simulated=SIMULATED, nodata=9)
    # Cell (0,0) hit, (0,1) wrong hit, (1,1) miss, (1,0) false alarm; four cells agree on persistence.
    assert (result.hits, result.wrong_hits, result.misses, result.false_alarms) == (1, 1, 1, 1)
    assert result.correct_rejections == 4
    assert result.figure_of_merit == pytest.approx(1 / 4)


def test_pontius_disagreement_on_a_hand_example():
    result = compare_maps(reference=REFERENCE, observed=OBSERVED, simulated=SIMULATED, nodata=9)
    # Shares (simulated / observed) of classes 1, 2, 3: 4/8, 4/8, 0 against 4/8, 2/8, 2/8.
    assert result.quantity_disagreement == pytest.approx(2 / 8)
    # 5 of 8 cells agree: total disagreement 3/8, of which 1/8 is allocation.
    assert result.total_disagreement == pytest.approx(3 / 8)
    assert result.allocation_disagreement == pytest.approx(1 / 8)


def test_null_model_has_no_merit_when_change_was_observed():
    null = compare_maps(reference=REFERENCE, observed=OBSERVED, simulated=REFERENCE, nodata=9)
    assert null.figure_of_merit == 0
    assert null.hits == null.false_alarms == null.wrong_hits == 0
    assert null.misses == 3


def test_figure_of_merit_is_nan_without_any_change():
    result = compare_maps(reference=REFERENCE, observed=REFERENCE, simulated=REFERENCE, nodata=9)
    assert math.isnan(result.figure_of_merit)
    assert result.total_disagreement == 0


def test_hindcast_on_a_growing_patch():
    # A settlement (2) grows ring by ring into farmland (1): the neighbourhood rule should find the rings.
    size = 41
    rows, cols = np.indices((size, size))
    distance = np.maximum(abs(rows - 20), abs(cols - 20))
    t0 = np.where(distance <= 4, 2, 1).astype(np.uint8)
    t1 = np.where(distance <= 6, 2, 1).astype(np.uint8)
    t2 = np.where(distance <= 8, 2, 1).astype(np.uint8)
    result = hindcast(
        t0=t0, t1=t1, t2=t2, nodata=None, years_calibration=2, years_validation=2, cell_area_ha=1.0, seed=1
    )
    assert result.null.figure_of_merit == 0
    assert result.model.figure_of_merit > 0.5
    # A Markov rate from the smaller ring under-shoots the larger ring's growth: some quantity error, no
    # false alarms because every new cell is placed on the settlement's edge.
    assert result.model.quantity_disagreement < 0.05
    assert result.model.false_alarms == 0
    assert result.annual.method in {"root", "clipped_root", "row_linear"}


def test_simulation_of_the_lausanne_interval_beats_the_null_model(lausanne_100_paths):
    from landmosaic.scenarios.engine import ProjectionParams, cross_tabulate, project, transition_matrix
    from landmosaic.scenarios.engine.io import read_categorical

    before, after = (read_categorical(path=path).array for path in lausanne_100_paths)
    # Only two real dates exist, so this is an in-sample check: one step of the 2006 -> 2012 matrix.
    crosstab = cross_tabulate(before=before, after=after, nodata=NODATA)
    params = ProjectionParams(
        classes=tuple(int(c) for c in crosstab.classes),
        annual_matrix=transition_matrix(crosstab=crosstab),
        nodata=NODATA,
        cell_area_ha=1.0,
        years=1,
    )
    ((_, simulated),) = list(project(landcover=before, params=params))
    model = compare_maps(reference=before, observed=after, simulated=simulated, nodata=NODATA)
    null = compare_maps(reference=before, observed=after, simulated=before, nodata=NODATA)
    assert null.figure_of_merit == 0 and null.misses > 0
    assert model.figure_of_merit > 0.2
    assert model.quantity_disagreement < null.quantity_disagreement
