"""Pure parts of the results page: chart axes and SVG, legends, tables' CSV conventions."""

from __future__ import annotations

from landmosaic.scenarios.charts import Series, line_chart, nice_ticks
from landmosaic.scenarios.legends import default_legend, restoration_pairs


def test_ticks_are_round_and_cover_the_values():
    assert nice_ticks(0, 97) == [0, 25, 50, 75, 100]
    assert nice_ticks(1200, 1260)[0] <= 1200 and nice_ticks(1200, 1260)[-1] >= 1260
    assert nice_ticks(5, 5) == [4, 6, 8, 10]  # a flat line still gets an axis


def test_a_chart_is_an_accessible_svg_with_escaped_labels():
    svg = line_chart(
        chart_id="c",
        title="Carbon <stock>",
        description="Lines: a & b",
        years=[2020, 2021, 2022],
        series=[
            Series("<script>x</script>", [1.0, 2.0, 3.0], "#1b5e20"),
            Series("BAU", [1, 1.5, 2], "#555", True),
        ],
    )
    assert svg.startswith('<svg class="lm-chart"') and 'role="img"' in svg
    assert 'aria-labelledby="c-title c-desc"' in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "Carbon &lt;stock&gt;" in svg
    assert svg.count("<polyline") == 2 and 'stroke-dasharray="7 5"' in svg


def test_worldcover_and_custom_legends(db):
    worldcover = default_legend([10, 40, 80])
    assert [e["name"] for e in worldcover] == ["Tree cover", "Cropland", "Permanent water bodies"]
    custom = default_legend([1, 10], colormap={1: (230, 0, 77, 255)})
    assert custom[0] == {"code": 1, "name": "Class 1", "colour": "#e6004d", "role": "other"}
    restoration, degradation = restoration_pairs(worldcover)
    assert restoration == [(40, 10)] and degradation == [(10, 40)]
