"""The action plan as a timeline: one row per action with a bar over the years (server-rendered).

Plain computation: positions are percentages of the span from 1 January of the first year to
31 December of the last, so the same layout works on a phone and on a wall screen.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

#: A bar is never thinner than this (percent), so one-day actions stay visible.
MIN_WIDTH = 1.0
#: Years shown at most; actions further out are clipped at the edges.
MAX_YEARS = 40
#: Width of the timeline's SVGs in their own units.
SCALE = 1000


@dataclass(frozen=True)
class Row:
    """What the timeline needs to know about one action."""

    pk: int
    title: str
    status: str
    status_label: str
    start: datetime.date | None
    end: datetime.date | None
    overdue: bool = False


@dataclass(frozen=True)
class Bar:
    row: Row
    left: float
    width: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def x(self) -> float:
        """Left edge in the SVG's units (SCALE wide)."""
        return round(self.left * SCALE / 100, 1)

    @property
    def w(self) -> float:
        return round(self.width * SCALE / 100, 1)


@dataclass(frozen=True)
class Timeline:
    first_year: int
    last_year: int
    #: (year, left edge in percent, width in percent).
    years: list[tuple[int, float, float]]
    bars: list[Bar]
    #: Actions without any date: listed apart.
    undated: list[Row]
    #: Where today falls (percent), or None if outside the span.
    today: float | None

    @property
    def empty(self) -> bool:
        return not self.bars

    @property
    def label_step(self) -> int:
        """Label every year up to 10 years, then every n-th so that labels never overlap."""
        return max(1, -(-len(self.years) // 10))

    @property
    def axis(self) -> list[tuple[int, float]]:
        """(year, centre in SVG units) of the labelled years."""
        return [
            (year, round((left + width / 2) * SCALE / 100, 1))
            for i, (year, left, width) in enumerate(self.years)
            if i % self.label_step == 0
        ]

    @property
    def grid(self) -> list[float]:
        """Where each year starts, in SVG units."""
        return [round(left * SCALE / 100, 1) for _year, left, _width in self.years]

    @property
    def today_x(self) -> float | None:
        return None if self.today is None else round(self.today * SCALE / 100, 1)


def _span(rows: Sequence[Row]) -> tuple[int, int] | None:
    dates = [d for r in rows for d in (r.start, r.end) if d is not None]
    if not dates:
        return None
    first, last = min(dates).year, max(dates).year
    return first, min(last, first + MAX_YEARS - 1)


def timeline_layout(rows: Sequence[Row], *, today: datetime.date) -> Timeline:
    """Bars in the given order; an action with one date is a short bar at that date."""
    span = _span(rows)
    undated = [r for r in rows if r.start is None and r.end is None]
    if span is None:
        return Timeline(
            first_year=today.year, last_year=today.year, years=[], bars=[], undated=undated, today=None
        )
    first_year, last_year = span
    origin = datetime.date(first_year, 1, 1)
    total = (datetime.date(last_year + 1, 1, 1) - origin).days

    def at(day: datetime.date) -> float:
        return min(100.0, max(0.0, (day - origin).days * 100 / total))

    bars = []
    for row in rows:
        if row.start is None and row.end is None:
            continue
        start = row.start or row.end
        end = row.end or row.start
        left = at(start)
        right = at(end + datetime.timedelta(days=1))
        width = max(MIN_WIDTH, right - left)
        left = min(left, 100.0 - width)
        bars.append(Bar(row=row, left=round(left, 2), width=round(width, 2)))
    years = []
    for year in range(first_year, last_year + 1):
        left = at(datetime.date(year, 1, 1))
        right = at(datetime.date(year + 1, 1, 1)) if year < last_year else 100.0
        years.append((year, round(left, 2), round(right - left, 2)))
    now = at(today) if first_year <= today.year <= last_year else None
    return Timeline(
        first_year=first_year,
        last_year=last_year,
        years=years,
        bars=bars,
        undated=undated,
        today=None if now is None else round(now, 2),
    )
