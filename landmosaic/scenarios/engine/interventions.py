"""Scenario interventions on top of business-as-usual: rates, protection, restoration, agroforestry."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

InterventionKind = Literal["rate", "protect", "restore", "agroforestry", "expand_settlement"]
_NEEDS_MASK = ("protect", "restore", "agroforestry")
_MOVES_CELLS = ("restore", "agroforestry")


@dataclass(frozen=True, kw_only=True, eq=False)
class Intervention:
    """One intervention, active from ``start_year`` to ``end_year`` (inclusive; None = to the end).

    Build them with the class methods; years are the calendar years that ``project`` reports.
    """

    kind: InterventionKind
    start_year: int
    end_year: int | None = None
    from_class: int | None = None
    to_class: int | None = None
    multiplier: float = 1.0
    mask: np.ndarray | None = None
    hectares_per_year: float = 0.0

    def __post_init__(self) -> None:
        if self.kind in _NEEDS_MASK and (self.mask is None or self.mask.dtype != bool):
            raise ValueError(f"a {self.kind} intervention needs a boolean mask")
        if self.kind in _MOVES_CELLS and (self.from_class is None or self.to_class is None):
            raise ValueError(f"a {self.kind} intervention needs from_class and to_class")
        if self.kind in _MOVES_CELLS and self.hectares_per_year < 0:
            raise ValueError("hectares_per_year must not be negative")
        if self.kind in ("rate", "expand_settlement") and self.multiplier < 0:
            raise ValueError("a rate multiplier must not be negative")
        if self.kind == "expand_settlement" and self.to_class is None:
            raise ValueError("expand_settlement needs the settlement class as to_class")

    @classmethod
    def rate(
        cls,
        *,
        start_year: int,
        multiplier: float,
        from_class: int | None = None,
        to_class: int | None = None,
        end_year: int | None = None,
    ) -> Intervention:
        """Multiply the annual probability of from_class -> to_class (None = any class) by ``multiplier``."""
        return cls(
            kind="rate",
            start_year=start_year,
            end_year=end_year,
            from_class=from_class,
            to_class=to_class,
            multiplier=multiplier,
        )

    @classmethod
    def protect(cls, *, start_year: int, mask: np.ndarray, end_year: int | None = None) -> Intervention:
        """No business-as-usual conversion inside ``mask``; restoration and agroforestry still act there."""
        return cls(kind="protect", start_year=start_year, end_year=end_year, mask=mask)

    @classmethod
    def restore(
        cls,
        *,
        start_year: int,
        from_class: int,
        to_class: int,
        mask: np.ndarray,
        hectares_per_year: float,
        end_year: int | None = None,
    ) -> Intervention:
        """Each year convert ``hectares_per_year`` of degraded ``from_class`` in ``mask`` to ``to_class``."""
        return cls(
            kind="restore",
            start_year=start_year,
            end_year=end_year,
            from_class=from_class,
            to_class=to_class,
            mask=mask,
            hectares_per_year=hectares_per_year,
        )

    @classmethod
    def agroforestry(
        cls,
        *,
        start_year: int,
        from_class: int,
        to_class: int,
        mask: np.ndarray,
        hectares_per_year: float,
        end_year: int | None = None,
    ) -> Intervention:
        """Adoption of agroforestry: like ``restore``, from a farming class to an agroforestry class."""
        return cls(
            kind="agroforestry",
            start_year=start_year,
            end_year=end_year,
            from_class=from_class,
            to_class=to_class,
            mask=mask,
            hectares_per_year=hectares_per_year,
        )

    @classmethod
    def expand_settlement(
        cls, *, start_year: int, settlement_class: int, multiplier: float, end_year: int | None = None
    ) -> Intervention:
        """Multiply every transition into ``settlement_class`` by ``multiplier``."""
        return cls(
            kind="expand_settlement",
            start_year=start_year,
            end_year=end_year,
            to_class=settlement_class,
            multiplier=multiplier,
        )

    def active(self, *, year: int) -> bool:
        return year >= self.start_year and (self.end_year is None or year <= self.end_year)

    def cells_in_year(self, *, year: int, cell_area_ha: float) -> int:
        """Cells to convert this year: the cumulative target is rounded down, so no year drifts the total."""
        if not self.active(year=year):
            return 0
        done = year - self.start_year
        return _cumulative_cells(self.hectares_per_year, done + 1, cell_area_ha) - _cumulative_cells(
            self.hectares_per_year, done, cell_area_ha
        )


def _cumulative_cells(hectares_per_year: float, years: int, cell_area_ha: float) -> int:
    # The epsilon keeps 0.3 ha / 0.1 ha from landing on 2.9999999 cells.
    return math.floor(hectares_per_year * years / cell_area_ha + 1e-9)


def adjusted_matrix(
    *, matrix: np.ndarray, classes: np.ndarray, interventions: Sequence[Intervention], year: int
) -> np.ndarray:
    """The annual matrix with this year's rate and settlement multipliers applied, in list order.

    Persistence absorbs the change; if the changes of a row would exceed 1 they are scaled down to sum to 1.
    """
    adjusted = np.array(matrix, dtype=np.float64)
    index = {int(code): position for position, code in enumerate(classes)}
    for intervention in interventions:
        if intervention.kind not in ("rate", "expand_settlement") or not intervention.active(year=year):
            continue
        rows = _positions(index, intervention.from_class)
        cols = _positions(index, intervention.to_class)
        block = np.zeros_like(adjusted, dtype=bool)
        block[np.ix_(rows, cols)] = True
        np.fill_diagonal(block, False)
        adjusted[block] *= intervention.multiplier
    np.fill_diagonal(adjusted, 0.0)
    changes = adjusted.sum(axis=1)
    over = changes > 1.0
    adjusted[over] /= changes[over, None]
    np.fill_diagonal(adjusted, 1.0 - np.minimum(changes, 1.0))
    return adjusted


def _positions(index: dict[int, int], code: int | None) -> list[int]:
    if code is None:
        return list(index.values())
    if code not in index:
        raise ValueError(f"class {code} is not one of the projection's classes")
    return [index[code]]
