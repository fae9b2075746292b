"""Server-rendered SVG line charts: light, printable, readable without JavaScript.

A chart is an ``<svg role="img">`` with a title and a description naming every line; the page adds
a legend and a table of the same numbers for screen readers and for people who want the figures.
Every text is escaped here, so the result may be marked safe.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 76, 16, 16, 36


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float]
    colour: str
    dashed: bool = False


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high] (1, 2 or 5 times a power of ten apart)."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return [0.0, 1.0]
    if high <= low:
        high = low + (abs(low) or 1.0)
    raw = (high - low) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    ticks = [math.floor(low / step) * step]
    while ticks[-1] < high - step * 1e-9:  # the last tick is at or above the highest value
        ticks.append(ticks[-1] + step)
    ticks = [round(t, 10) for t in ticks]
    return ticks


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    years: Sequence[int],
    series: Sequence[Series],
    number: Callable[[float], str] = lambda v: f"{v:,.0f}",
) -> str:
    """An SVG line chart of ``series`` over ``years``; BAU lines are drawn dashed by the caller's choice."""
    values = [v for s in series for v in s.values if v is not None and math.isfinite(v)]
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    # Start at zero unless every value lies in a narrow band far from it: then zoom in so differences show.
    if low > 0 and high - low >= 0.15 * high:
        low = 0.0
    ticks = nice_ticks(low, high)
    y_low, y_high = ticks[0], ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    first, last = (years[0], years[-1]) if years else (0, 1)
    span_x = (last - first) or 1
    span_y = (y_high - y_low) or 1.0

    def x(year: float) -> float:
        return LEFT + (year - first) / span_x * plot_w

    def y(value: float) -> float:
        return TOP + plot_h - (value - y_low) / span_y * plot_h

    parts = [
        f'<svg class="lm-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for tick in ticks:
        ty = y(tick)
        parts.append(
            f'<line class="lm-chart-grid" x1="{LEFT}" y1="{ty:.1f}" x2="{WIDTH - RIGHT}" y2="{ty:.1f}"/>'
            f'<text class="lm-chart-tick" x="{LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end">'
            f"{escape(number(tick))}</text>"
        )
    step = max(1, math.ceil(len(years) / 6))
    labelled = list(years[::step])
    if years and labelled[-1] != years[-1]:
        labelled.append(years[-1])
    for year in labelled:
        parts.append(
            f'<text class="lm-chart-tick" x="{x(year):.1f}" y="{HEIGHT - 12}" '
            f'text-anchor="middle">{year}</text>'
        )
    base = TOP + plot_h
    parts.append(f'<line class="lm-chart-axis" x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}"/>')
    for item in series:
        points = " ".join(
            f"{x(year):.1f},{y(value):.1f}"
            for year, value in zip(years, item.values, strict=False)
            if value is not None and math.isfinite(value)
        )
        dash = ' stroke-dasharray="7 5"' if item.dashed else ""
        parts.append(
            f'<polyline class="lm-chart-line" points="{points}" stroke="{escape(item.colour)}"{dash}>'
            f"<title>{escape(item.label)}</title></polyline>"
        )
    parts.append("</svg>")
    return "".join(parts)
