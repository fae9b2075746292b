"""Colours of a point map and its legend, from the values of one field (pure: no Django).

Categories get a colour-blind-friendly palette for the most frequent values and one grey for the
rest; numbers get five graduated colours (viridis) between quantile breaks, so a few outliers do not
squeeze every other point into one class. Rows without a value get their own light grey.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

SINGLE = "#1b5e20"
# Tableau 10 without its grey: distinct for the common kinds of colour blindness.
CATEGORICAL = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
               "#edc948", "#b07aa1", "#ff9da7", "#9c755f")  # fmt: skip
OTHER = "#7f7f7f"
MISSING = "#d9d9d9"
VIRIDIS = ("#440154", "#3b528b", "#21918c", "#5ec962", "#fde725")


@dataclass(frozen=True)
class Entry:
    """One line of the legend. ``kind``: "all", "value", "range", "other" or "missing"; the labels of
    "all", "other" and "missing" are given by the caller, in the reader's language."""

    kind: str
    colour: str
    count: int
    label: str = ""


@dataclass(frozen=True)
class Styled:
    legend: list[Entry]
    classes: list[int]  # for each point, its entry in the legend


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def single(count: int) -> Styled:
    return Styled([Entry("all", SINGLE, count)], [0] * count)


def categories(values: list[Any]) -> Styled:
    """The most frequent values each in their colour (ties in value order), the rest together."""
    texts = [None if v is None or v == "" else _text(v) for v in values]
    counts = Counter(t for t in texts if t is not None)
    ranked = sorted(counts, key=lambda t: (-counts[t], t))
    named = ranked if len(ranked) <= len(CATEGORICAL) else ranked[: len(CATEGORICAL) - 1]
    legend = [Entry("value", CATEGORICAL[i], counts[t], t) for i, t in enumerate(named)]
    position = {t: i for i, t in enumerate(named)}
    rest = sum(counts[t] for t in ranked[len(named) :])
    if rest:
        legend.append(Entry("other", OTHER, rest))
    missing = texts.count(None)
    if missing:
        legend.append(Entry("missing", MISSING, missing))
    other, none = len(named), len(legend) - 1
    classes = [none if t is None else position.get(t, other) for t in texts]
    return Styled(legend, classes)


def _number(value: float) -> str:
    return f"{value:.6g}"


def graduated(values: list[Any], *, classes: int = len(VIRIDIS)) -> Styled:
    """Up to ``classes`` colours between quantile breaks of the numbers present."""
    numbers = np.array(
        [np.nan if v is None or isinstance(v, str) else float(v) for v in values], dtype=np.float64
    )
    present = np.isfinite(numbers)
    legend: list[Entry] = []
    index = np.zeros(len(numbers), dtype=np.int64)
    if present.any():
        edges = np.unique(np.quantile(numbers[present], np.linspace(0, 1, classes + 1)))
        if len(edges) == 1:
            edges = np.array([edges[0], edges[0]])
        bins = len(edges) - 1
        # Spread the palette over the classes found: two classes get its two ends.
        colours = [VIRIDIS[round(i * (len(VIRIDIS) - 1) / max(bins - 1, 1))] for i in range(bins)]
        index[present] = np.clip(np.searchsorted(edges, numbers[present], side="right") - 1, 0, bins - 1)
        counts = np.bincount(index[present], minlength=bins)
        legend = [
            Entry("range", colours[i], int(counts[i]), f"{_number(edges[i])} – {_number(edges[i + 1])}")
            for i in range(bins)
        ]
    missing = int((~present).sum())
    if missing:
        index[~present] = len(legend)
        legend.append(Entry("missing", MISSING, missing))
    return Styled(legend, index.tolist())
