"""Impact measures: areas, carbon (InVEST-compatible), valuation, per-zone indicators."""

from __future__ import annotations

import numpy as np
import pytest

from landmosaic.scenarios.engine import (
    CarbonPools,
    area_by_class,
    carbon_stock,
    carbon_valuation,
    impacts_by_zone,
    yearly_impacts,
)

POOLS = CarbonPools.from_rows(
    rows=[
        {"lucode": 1, "c_above": 10, "c_below": 5, "c_soil": 20, "c_dead": 1},
        {"lucode": 2, "c_above": 2, "c_below": 1, "c_soil": 10, "c_dead": 0},
        {"lucode": 3, "c_above": 0, "c_below": 0, "c_soil": 4, "c_dead": 0},
    ]
)


def test_carbon_stock_of_a_tiny_raster_by_hand():
    landcover = np.array([[1, 2], [2, 255]], dtype=np.uint8)
    # (36 + 2 x 13) Mg C/ha x 0.25 ha; the nodata cell counts for nothing.
    assert carbon_stock(landcover=landcover, pools=POOLS, cell_area_ha=0.25, nodata=255) == pytest.approx(
        15.5
    )


def test_carbon_stock_needs_every_present_class_in_the_table():
    with pytest.raises(ValueError, match="lucode"):
        carbon_stock(landcover=np.array([[1, 7]], dtype=np.uint8), pools=POOLS, cell_area_ha=1, nodata=None)


def test_area_by_class():
    landcover = np.array([[1, 1, 3], [3, 3, 9]], dtype=np.uint8)
    np.testing.assert_allclose(
        area_by_class(landcover=landcover, classes=[1, 2, 3], cell_area_ha=0.5), [1, 0, 1.5]
    )


def test_valuation_matches_a_hand_computation_and_invest_closed_form():
    value = carbon_valuation(sequestration=100.0, years=3, price=10.0, discount_rate=0.1, price_change=0.05)
    by_hand = 100 / 3 * (10 + 10 / (1.1 * 1.05) + 10 / (1.1 * 1.05) ** 2)
    assert value == pytest.approx(by_hand, rel=1e-12)
    # InVEST sums the geometric series in closed form: (1 - ratio**n) / (1 - ratio).
    ratio = 1 / (1.1 * 1.05)
    assert value == pytest.approx(10 / 3 * 100 * (1 - ratio**3) / (1 - ratio), rel=1e-12)
    assert (
        carbon_valuation(sequestration=-50.0, years=1, price=20.0, discount_rate=0.0, price_change=0.0)
        == -1000
    )


def test_impacts_by_zone_on_a_hand_example():
    before = np.array([[1, 1, 2], [2, 3, 255]], dtype=np.uint8)
    after = np.array([[1, 3, 1], [2, 3, 255]], dtype=np.uint8)
    zones = np.array([[10, 10, 20], [20, 20, 20]], dtype=np.int32)
    impacts = impacts_by_zone(
        before=before,
        after=after,
        classes=np.array([1, 2, 3], dtype=np.uint8),
        nodata=255,
        cell_area_ha=2.0,
        zones=zones,
        pools=POOLS,
        coefficients={"water": {1: 100.0, 2: 10.0}, "income": {3: 5.0}},
        restoration=[(2, 1)],
        degradation=[(1, 3)],
    )
    assert impacts.zone_ids.tolist() == [10, 20]
    np.testing.assert_allclose(impacts.area_ha, [[2, 0, 2], [2, 2, 2]])
    assert impacts.transitions[0, 0, 2] == 1 and impacts.transitions[1, 1, 0] == 1
    np.testing.assert_allclose(impacts.carbon_mg, [2 * 36 + 2 * 4, 2 * 36 + 2 * 13 + 2 * 4])
    np.testing.assert_allclose(impacts.carbon_change_mg, [2 * (4 - 36), 2 * (36 - 13)])
    np.testing.assert_allclose(impacts.restored_ha, [0, 2])
    np.testing.assert_allclose(impacts.degraded_ha, [2, 0])
    np.testing.assert_allclose(impacts.indicators["water"], [200, 220])
    np.testing.assert_allclose(impacts.indicators["income"], [10, 10])


def test_whole_map_is_one_zone_and_totals_match_carbon_stock():
    rng = np.random.default_rng(1)
    before = rng.integers(1, 4, size=(30, 40), dtype=np.uint8)
    after = before.copy()
    after[:5] = 3
    impacts = impacts_by_zone(
        before=before,
        after=after,
        classes=np.array([1, 2, 3], dtype=np.uint8),
        nodata=None,
        cell_area_ha=0.5,
        pools=POOLS,
        chunk_cells=97,
    )
    assert impacts.zone_ids.tolist() == [0]
    stock = carbon_stock(landcover=after, pools=POOLS, cell_area_ha=0.5, nodata=None)
    assert impacts.carbon_mg[0] == pytest.approx(stock)
    change = stock - carbon_stock(landcover=before, pools=POOLS, cell_area_ha=0.5, nodata=None)
    assert impacts.carbon_change_mg[0] == pytest.approx(change)


def test_yearly_impacts_compare_each_year_with_the_previous_one():
    start = np.array([[1, 1], [2, 2]], dtype=np.uint8)
    year1 = np.array([[1, 3], [2, 2]], dtype=np.uint8)
    year2 = np.array([[3, 3], [2, 2]], dtype=np.uint8)
    results = list(
        yearly_impacts(
            start=start,
            years=[(2031, year1), (2032, year2)],
            classes=np.array([1, 2, 3], dtype=np.uint8),
            nodata=None,
            cell_area_ha=1.0,
            degradation=[(1, 3)],
        )
    )
    assert [year for year, _ in results] == [2031, 2032]
    assert [impacts.degraded_ha[0] for _, impacts in results] == [1, 1]
