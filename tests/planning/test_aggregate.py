"""Pure computations of this increment: figures from columns (aggregate) and the print map (zonemap)."""

from __future__ import annotations

import datetime
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from landmosaic.core.errors import ValidationFailed
from landmosaic.planning import aggregate, zonemap

DATES = np.array(["2024-01-05", "NaT", "2024-06-30", "2025-01-01"], dtype="datetime64[D]")
VALUES = np.array([10.0, 20.0, np.nan, 40.0])
YEARS = np.array([2025.0, 2030.0, 2030.0, 2035.0])


@pytest.mark.parametrize(
    ("column", "unit"), [("area_ha_3", "ha"), ("carbon_mg", "mg"), ("Rain-MM", "mm"), ("seedlings", None)]
)
def test_a_column_name_can_carry_its_unit(column, unit):
    assert aggregate.column_unit(column) == unit


def test_count_in_a_date_range_leaves_rows_without_a_date_out():
    arrays = {"d": DATES}
    figure = aggregate.compute(
        arrays,
        4,
        operation="count",
        date_column="d",
        date_from=datetime.date(2024, 1, 1),
        date_to=datetime.date(2024, 12, 31),
    )
    assert (figure.value, figure.rows) == (2, 2)
    assert aggregate.compute(arrays, 4, operation="count").value == 4


def test_sum_and_mean_leave_empty_cells_out_and_value_needs_exactly_one_row():
    arrays = {"v": VALUES, "y": YEARS}
    assert aggregate.compute(arrays, 4, operation="sum", column="v").value == 70
    assert aggregate.compute(arrays, 4, operation="mean", column="v").rows == 3
    assert (
        aggregate.compute(arrays, 4, operation="value", column="v", match_column="y", match_value=2035).value
        == 40
    )
    # 2030 has two rows, one of them empty: the empty one is left out, so exactly one remains.
    assert (
        aggregate.compute(arrays, 4, operation="value", column="v", match_column="y", match_value=2030).value
        == 20
    )
    with pytest.raises(ValidationFailed, match="0 rows have y = 2040"):
        aggregate.compute(arrays, 4, operation="value", column="v", match_column="y", match_value=2040)
    with pytest.raises(ValidationFailed, match="No row has a value"):
        aggregate.compute({"v": np.array([np.nan])}, 1, operation="sum", column="v")


def test_units_of_counts_and_columns_are_checked():
    aggregate.check_unit(operation="count", column="", indicator_unit="farmers")
    aggregate.check_unit(operation="sum", column="area_ha", indicator_unit="hectares")
    aggregate.check_unit(operation="value", column="carbon_mg", indicator_unit="Mg C")
    with pytest.raises(ValidationFailed, match="cannot be measured in km2"):
        aggregate.check_unit(operation="count", column="", indicator_unit="km2")
    with pytest.raises(ValidationFailed, match="is in mm"):
        aggregate.check_unit(operation="mean", column="rain_mm", indicator_unit="m3")


def test_nothing_to_draw_gives_no_map():
    assert zonemap.zone_map(None, []) is None
    assert zonemap.zone_map({"type": "Point", "coordinates": [1, 2]}, []) is None


def _ring(lon, lat, size):
    return [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat]]


@given(
    st.lists(
        st.tuples(
            st.floats(-179, 170),
            st.floats(-80, 70),
            st.floats(0.001, 5),
            st.sampled_from(list(zonemap.ZONE_COLOURS)),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_every_point_of_the_map_lies_in_its_box(squares):
    zones = [
        (f"z{i}", kind, {"type": "Polygon", "coordinates": [_ring(lon, lat, size)]})
        for i, (lon, lat, size, kind) in enumerate(squares)
    ]
    zones.append(
        ("both", "natural", {"type": "MultiPolygon", "coordinates": [[_ring(0, 0, 1)], [_ring(2, 2, 1)]]})
    )
    result = zonemap.zone_map(None, zones)
    assert result.width == zonemap.WIDTH and result.view_box.startswith("0 0 600 ")
    for shape, (_name, kind, _g) in zip(result.shapes, zones, strict=True):
        assert shape.colour == zonemap.ZONE_COLOURS[kind]
        for x, y in re.findall(r"(-?[\d.]+),(-?[\d.]+)", shape.d):
            assert -0.1 <= float(x) <= result.width + 0.1 and -0.1 <= float(y) <= result.height + 0.1
    assert result.shapes[-1].d.count("M") == 2  # a MultiPolygon draws each of its parts
