"""Validation: simulated against observed maps (Pontius & Millones 2011, Figure of Merit), and hindcasts."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .change import AnnualMatrix, annualise, cross_tabulate, present_classes, transition_matrix
from .potential import Driver
from .projection import ProjectionParams, project


@dataclass(frozen=True)
class MapComparison:
    """Change-agreement counts, Figure of Merit and quantity/allocation disagreement (proportions of cells).

    ``figure_of_merit`` = hits / (hits + misses + wrong hits + false alarms); NaN when no map has change.
    """

    hits: int
    misses: int
    wrong_hits: int
    false_alarms: int
    correct_rejections: int
    figure_of_merit: float
    quantity_disagreement: float
    allocation_disagreement: float

    @property
    def total_disagreement(self) -> float:
        return self.quantity_disagreement + self.allocation_disagreement


@dataclass(frozen=True)
class HindcastResult:
    """The model's and the no-change null model's agreement with the observed later map."""

    model: MapComparison
    null: MapComparison
    annual: AnnualMatrix
    simulated: np.ndarray


def compare_maps(
    *, reference: np.ndarray, observed: np.ndarray, simulated: np.ndarray, nodata: int | None
) -> MapComparison:
    """Compare ``simulated`` with ``observed``, both grown from ``reference``; nodata anywhere is left out."""
    if not reference.shape == observed.shape == simulated.shape:
        raise ValueError("the three maps must share one grid")
    valid = np.ones(reference.shape, dtype=bool)
    if nodata is not None:
        valid = (reference != nodata) & (observed != nodata) & (simulated != nodata)
    ref, obs, sim = reference[valid], observed[valid], simulated[valid]
    observed_change, simulated_change = obs != ref, sim != ref
    hits = int(np.count_nonzero(observed_change & simulated_change & (sim == obs)))
    wrong = int(np.count_nonzero(observed_change & simulated_change & (sim != obs)))
    misses = int(np.count_nonzero(observed_change & ~simulated_change))
    false_alarms = int(np.count_nonzero(~observed_change & simulated_change))
    rejections = int(np.count_nonzero(~observed_change & ~simulated_change))
    denominator = hits + misses + wrong + false_alarms
    quantity, allocation = _pontius(observed=observed, simulated=simulated, valid=valid, nodata=nodata)
    return MapComparison(
        hits=hits,
        misses=misses,
        wrong_hits=wrong,
        false_alarms=false_alarms,
        correct_rejections=rejections,
        figure_of_merit=hits / denominator if denominator else float("nan"),
        quantity_disagreement=quantity,
        allocation_disagreement=allocation,
    )


def _pontius(
    *, observed: np.ndarray, simulated: np.ndarray, valid: np.ndarray, nodata: int | None
) -> tuple[float, float]:
    """Quantity and allocation disagreement (Pontius & Millones 2011) from the simulated x observed table."""
    sim = np.where(valid, simulated, nodata if nodata is not None else 0)
    obs = np.where(valid, observed, nodata if nodata is not None else 0)
    table = cross_tabulate(before=sim, after=obs, nodata=nodata).counts.astype(np.float64)
    total = table.sum()
    if total == 0:
        return 0.0, 0.0
    p = table / total
    agree = np.diag(p)
    simulated_share, observed_share = p.sum(axis=1), p.sum(axis=0)
    quantity = 0.5 * float(np.abs(simulated_share - observed_share).sum())
    allocation = float(np.minimum(simulated_share - agree, observed_share - agree).sum())
    return quantity, allocation


def hindcast(
    *,
    t0: np.ndarray,
    t1: np.ndarray,
    t2: np.ndarray,
    nodata: int | None,
    years_calibration: int,
    years_validation: int,
    cell_area_ha: float,
    seed: int = 0,
    window: int = 3,
    neighbourhood_weight: float = 1.0,
    noise_weight: float = 0.01,
    drivers: tuple[Driver, ...] = (),
    no_change: np.ndarray | None = None,
) -> HindcastResult:
    """Calibrate on t0 -> t1, simulate t1 -> t2, compare with the observed t2 and with a persistence null.

    ``drivers`` and ``no_change`` are those of a business-as-usual projection (on t1's grid), so the
    hindcast checks the very model the runs use rather than the neighbourhood rule alone.
    """
    classes = np.union1d(
        np.union1d(
            present_classes(landcover=t0, nodata=nodata), present_classes(landcover=t1, nodata=nodata)
        ),
        present_classes(landcover=t2, nodata=nodata),
    )
    crosstab = cross_tabulate(before=t0, after=t1, nodata=nodata, classes=classes)
    annual = annualise(matrix=transition_matrix(crosstab=crosstab), years=years_calibration)
    params = ProjectionParams(
        classes=tuple(int(c) for c in classes),
        annual_matrix=annual.matrix,
        nodata=nodata,
        cell_area_ha=cell_area_ha,
        years=years_validation,
        seed=seed,
        window=window,
        neighbourhood_weight=neighbourhood_weight,
        noise_weight=noise_weight,
        drivers=tuple(drivers),
        no_change=no_change,
    )
    simulated = t1
    for _, landcover in project(landcover=t1, params=params):
        simulated = landcover
    return HindcastResult(
        model=compare_maps(reference=t1, observed=t2, simulated=simulated, nodata=nodata),
        null=compare_maps(reference=t1, observed=t2, simulated=t1, nodata=nodata),
        annual=annual,
        simulated=np.array(simulated),
    )
