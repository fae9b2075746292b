"""Progress towards targets, the four returns side by side, and the shapes of their charts.

Plain computation over plain values (no database), shared by pages, the API and tests.

Indicator progress p = clip((x - baseline) / (target - baseline), 0, 1) with x the latest measurement
(ILM.md). A decreasing indicator has its target below the baseline, so the same formula holds. When the
target equals the baseline (keep something as it is), p is 1 while x is at the target or on the good
side of it (above for "increase", below for "decrease"), else 0. Objective progress is the weighted mean
of its measured indicators; the four returns are never summed into one score.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

INCREASE = "increase"
DECREASE = "decrease"


def indicator_progress(
    *, baseline: float | None, target: float | None, value: float | None, direction: str
) -> float | None:
    """Progress from the baseline to the target, between 0 and 1; None if something is missing."""
    if baseline is None or target is None or value is None:
        return None
    if not all(math.isfinite(v) for v in (baseline, target, value)):
        return None
    if target == baseline:
        reached = value >= target if direction == INCREASE else value <= target
        return 1.0 if reached else 0.0
    return min(1.0, max(0.0, (value - baseline) / (target - baseline)))


def weighted_mean(items: Iterable[tuple[float | None, float]]) -> float | None:
    """Mean of the known progress values weighted by their weights; None when nothing is measured."""
    total = weight_sum = 0.0
    for progress, weight in items:
        if progress is None or weight <= 0:
            continue
        total += progress * weight
        weight_sum += weight
    return total / weight_sum if weight_sum else None


def percent(progress: float | None) -> int | None:
    return None if progress is None else round(progress * 100)


@dataclass(frozen=True)
class ReturnProgress:
    """One of the four returns: progress of its measured indicators, and how many are measured."""

    code: str
    label: str
    progress: float | None
    measured: int
    indicators: int

    @property
    def percent(self) -> int | None:
        return percent(self.progress)


def returns_progress(
    items: Iterable[tuple[str, float | None, float]], labels: Sequence[tuple[str, str]]
) -> list[ReturnProgress]:
    """Per return (in the order of ``labels``): weighted mean of (return, progress, weight) items."""
    grouped: dict[str, list[tuple[float | None, float]]] = {code: [] for code, _label in labels}
    for code, progress, weight in items:
        if code in grouped:
            grouped[code].append((progress, weight))
    return [
        ReturnProgress(
            code=code,
            label=str(label),
            progress=weighted_mean(grouped[code]),
            measured=sum(1 for p, _w in grouped[code] if p is not None),
            indicators=len(grouped[code]),
        )
        for code, label in labels
    ]


# --- Radar of the four returns ----------------------------------------------------------------

RADAR_SIZE = 320
RADAR_RADIUS = 110


@dataclass(frozen=True)
class RadarAxis:
    code: str
    label: str
    percent: int | None
    x: float  # end of the axis
    y: float
    label_x: float
    label_y: float
    anchor: str
    point_x: float  # the value on the axis
    point_y: float


@dataclass(frozen=True)
class Radar:
    size: int
    centre: float
    axes: list[RadarAxis]
    #: Rings at 25, 50, 75 and 100 %, as SVG polygon points.
    rings: list[str]
    #: The values as SVG polygon points (unmeasured returns sit at the centre).
    shape: str


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def radar_layout(returns: Sequence[ReturnProgress], *, size: int = RADAR_SIZE) -> Radar:
    """Axes clockwise from the top, one per return; coordinates ready for an SVG."""
    centre = size / 2
    radius = RADAR_RADIUS * size / RADAR_SIZE
    count = max(1, len(returns))
    axes = []
    for i, item in enumerate(returns):
        angle = -math.pi / 2 + 2 * math.pi * i / count
        dx, dy = math.cos(angle), math.sin(angle)
        value = item.progress or 0.0
        anchor = "middle" if abs(dx) < 0.3 else ("start" if dx > 0 else "end")
        axes.append(
            RadarAxis(
                code=item.code,
                label=item.label,
                percent=item.percent,
                x=round(centre + dx * radius, 1),
                y=round(centre + dy * radius, 1),
                label_x=round(centre + dx * (radius + 12), 1),
                label_y=round(centre + dy * (radius + 12) + (12 if dy > 0.3 else 0), 1),
                anchor=anchor,
                point_x=round(centre + dx * radius * value, 1),
                point_y=round(centre + dy * radius * value, 1),
            )
        )
    rings = []
    for fraction in (0.25, 0.5, 0.75, 1.0):
        points = []
        for i in range(count):
            angle = -math.pi / 2 + 2 * math.pi * i / count
            points.append(
                f"{_fmt(centre + math.cos(angle) * radius * fraction)},"
                f"{_fmt(centre + math.sin(angle) * radius * fraction)}"
            )
        rings.append(" ".join(points))
    shape = " ".join(f"{_fmt(a.point_x)},{_fmt(a.point_y)}" for a in axes)
    return Radar(size=size, centre=centre, axes=axes, rings=rings, shape=shape)


# --- An indicator over time -------------------------------------------------------------------

CHART_WIDTH = 320
CHART_HEIGHT = 140
CHART_PAD = 24


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    #: Measurements as SVG polyline points, and as circles (x, y, value, date).
    line: str
    points: list[tuple[float, float, float, str]]
    baseline_y: float | None
    target_y: float | None
    low: float
    high: float


def chart_layout(
    measurements: Sequence[tuple[str, float]],
    *,
    baseline: float | None,
    target: float | None,
    width: int = CHART_WIDTH,
    height: int = CHART_HEIGHT,
) -> Chart | None:
    """(ISO date, value) pairs in date order to a line chart with baseline and target lines."""
    if not measurements:
        return None
    values = [v for _d, v in measurements] + [v for v in (baseline, target) if v is not None]
    low, high = min(values), max(values)
    if high == low:
        low, high = low - 1, high + 1
    inner_w, inner_h = width - 2 * CHART_PAD, height - 2 * CHART_PAD
    n = len(measurements)

    def y_of(value: float) -> float:
        return round(CHART_PAD + inner_h * (high - value) / (high - low), 1)

    points = []
    for i, (day, value) in enumerate(measurements):
        x = CHART_PAD + (inner_w * i / (n - 1) if n > 1 else inner_w / 2)
        points.append((round(x, 1), y_of(value), value, day))
    return Chart(
        width=width,
        height=height,
        line=" ".join(f"{_fmt(x)},{_fmt(y)}" for x, y, _v, _d in points),
        points=points,
        baseline_y=None if baseline is None else y_of(baseline),
        target_y=None if target is None else y_of(target),
        low=low,
        high=high,
    )
