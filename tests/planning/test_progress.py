"""Progress maths, the four returns, their radar and charts, and the timeline layout (pure functions)."""

from __future__ import annotations

import datetime

import pytest

from landmosaic.planning import progress, timeline
from landmosaic.planning.models import Return

D = datetime.date


@pytest.mark.parametrize(
    ("baseline", "target", "value", "direction", "expected"),
    [
        (10, 20, 15, "increase", 0.5),
        (10, 20, 10, "increase", 0.0),
        (10, 20, 20, "increase", 1.0),
        (10, 20, 25, "increase", 1.0),  # beyond the target: clipped at 1
        (10, 20, 5, "increase", 0.0),  # worse than the baseline: clipped at 0
        (100, 40, 70, "decrease", 0.5),  # decreasing: target below the baseline
        (100, 40, 40, "decrease", 1.0),
        (100, 40, 10, "decrease", 1.0),
        (100, 40, 130, "decrease", 0.0),
        (-5, 5, 0, "increase", 0.5),  # negative numbers work as well
    ],
)
def test_indicator_progress(baseline, target, value, direction, expected):
    result = progress.indicator_progress(baseline=baseline, target=target, value=value, direction=direction)
    assert result == pytest.approx(expected)


@pytest.mark.parametrize(
    ("value", "direction", "expected"),
    [
        (40, "increase", 1.0),
        (41, "increase", 1.0),
        (39, "increase", 0.0),
        (40, "decrease", 1.0),
        (41, "decrease", 0.0),
    ],
)
def test_target_equal_to_baseline_is_all_or_nothing(value, direction, expected):
    assert progress.indicator_progress(baseline=40, target=40, value=value, direction=direction) == expected


@pytest.mark.parametrize(
    ("baseline", "target", "value"),
    [(None, 10, 5), (0, None, 5), (0, 10, None), (0, 10, float("nan")), (0, float("inf"), 5)],
)
def test_progress_needs_a_baseline_a_target_and_a_value(baseline, target, value):
    assert (
        progress.indicator_progress(baseline=baseline, target=target, value=value, direction="increase")
        is None
    )


def test_weighted_mean_skips_unmeasured_indicators():
    assert progress.weighted_mean([(1.0, 3), (0.0, 1)]) == pytest.approx(0.75)
    assert progress.weighted_mean([(0.5, 1), (None, 5)]) == pytest.approx(0.5)
    assert progress.weighted_mean([(None, 1)]) is None
    assert progress.weighted_mean([]) is None
    assert progress.percent(0.666) == 67 and progress.percent(None) is None


def test_the_four_returns_stay_apart():
    items = [("natural", 1.0, 1), ("natural", 0.0, 1), ("social", 0.25, 2), ("financial", None, 1)]
    returns = progress.returns_progress(items, Return.choices)
    assert [r.code for r in returns] == ["inspiration", "social", "natural", "financial"]
    by_code = {r.code: r for r in returns}
    assert by_code["natural"].progress == pytest.approx(0.5) and by_code["natural"].measured == 2
    assert by_code["social"].percent == 25
    assert by_code["financial"].progress is None and by_code["financial"].indicators == 1
    assert by_code["inspiration"].indicators == 0
    radar = progress.radar_layout(returns)
    assert len(radar.axes) == 4 and len(radar.rings) == 4
    top = radar.axes[0]
    assert top.x == radar.centre and top.y < radar.centre  # first axis points up
    assert (top.point_x, top.point_y) == (radar.centre, radar.centre)  # unmeasured sits at the centre
    natural = radar.axes[2]
    assert natural.point_y == pytest.approx(radar.centre + progress.RADAR_RADIUS / 2, abs=0.1)


def test_chart_places_measurements_between_baseline_and_target():
    chart = progress.chart_layout([("2024-01-01", 10.0), ("2025-01-01", 20.0)], baseline=0, target=40)
    assert chart.baseline_y > chart.points[0][1] > chart.points[1][1] > chart.target_y  # SVG y grows down
    assert len(chart.line.split()) == 2
    single = progress.chart_layout([("2024-01-01", 5.0)], baseline=None, target=None)
    assert single.low < 5 < single.high
    assert progress.chart_layout([], baseline=0, target=1) is None


def _row(pk, start, end, status="planned", overdue=False):
    return timeline.Row(
        pk=pk, title=f"A{pk}", status=status, status_label=status, start=start, end=end, overdue=overdue
    )


def test_timeline_bars_span_the_years():
    rows = [
        _row(1, D(2024, 1, 1), D(2024, 12, 31)),
        _row(2, D(2025, 1, 1), D(2025, 12, 31)),
        _row(3, None, None),
        _row(4, D(2025, 6, 1), None),  # one date: a short bar
    ]
    layout = timeline.timeline_layout(rows, today=D(2025, 1, 1))
    assert (layout.first_year, layout.last_year) == (2024, 2025)
    assert [y for y, _l, _w in layout.years] == [2024, 2025]
    first, second, single = layout.bars
    assert first.left == 0 and first.width == pytest.approx(50.07, abs=0.1)  # 2024 is a leap year
    assert second.right == pytest.approx(100)
    assert single.width == timeline.MIN_WIDTH
    assert [r.pk for r in layout.undated] == [3]
    assert layout.today == pytest.approx(first.width, abs=0.1)


def test_timeline_without_dates_and_far_future():
    empty = timeline.timeline_layout([_row(1, None, None)], today=D(2025, 1, 1))
    assert empty.empty and empty.today is None and len(empty.undated) == 1
    far = timeline.timeline_layout([_row(1, D(2020, 1, 1), D(2100, 1, 1))], today=D(2025, 1, 1))
    assert far.last_year - far.first_year + 1 == timeline.MAX_YEARS
    assert far.bars[0].right <= 100
