"""Yearly business-as-usual projection with scenario interventions, streamed one map at a time."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from . import backend
from .allocation import Workspace, YearAllocator, allocate_in_mask
from .change import count_codes
from .interventions import Intervention, adjusted_matrix
from .potential import Driver, PotentialModel
from .rng import yearly_noise


@dataclass(frozen=True, kw_only=True, eq=False)
class ProjectionParams:
    """Everything a projection needs besides the starting map.

    ``annual_matrix`` is indexed like ``classes`` (e.g. ``annualise(...).matrix``); pass it stored rather than
    recomputed, since LAPACK may differ in the last bits between machines.
    """

    classes: tuple[int, ...]
    annual_matrix: np.ndarray
    nodata: int | None
    cell_area_ha: float
    years: int = 20
    base_year: int = 0
    seed: int = 0
    window: int = 3
    neighbourhood_weight: float = 1.0
    noise_weight: float = 0.01
    drivers: tuple[Driver, ...] = ()
    no_change: np.ndarray | None = None
    interventions: tuple[Intervention, ...] = field(default_factory=tuple)


class YearMap(NamedTuple):
    """One projected year: its calendar year and its (read-only) map."""

    year: int
    landcover: np.ndarray


@dataclass(frozen=True)
class YearStep:
    """A projected year with what was planned and what happened, for reports and tests."""

    year: int
    landcover: np.ndarray
    planned: np.ndarray
    realised: np.ndarray
    intervention_cells: tuple[int, ...]


def transition_quantities(*, counts: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """Cells per transition: counts x probabilities, rounded by largest remainder so each row keeps its total.

    Ties between equal remainders go to the lower class position, so the rounding is deterministic.
    """
    counts = np.asarray(counts, dtype=np.int64)
    p = np.asarray(matrix, dtype=np.float64)
    p = p / p.sum(axis=1, keepdims=True)
    expected = counts[:, None] * p
    quantities = np.floor(expected).astype(np.int64)
    missing = counts - quantities.sum(axis=1)
    order = np.argsort(-(expected - quantities), axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(p.shape[1])[None, :].repeat(p.shape[0], axis=0), axis=1)
    quantities += ranks < missing[:, None]
    return quantities


def project(*, landcover: np.ndarray, params: ProjectionParams) -> Iterator[YearMap]:
    """Yield (year, map) for each projected year; only the current and the next map are held."""
    for step in project_steps(landcover=landcover, params=params):
        yield YearMap(step.year, step.landcover)


def project_steps(
    *, landcover: np.ndarray, params: ProjectionParams, exact: bool = False
) -> Iterator[YearStep]:
    """``project`` with each year's planned and realised transition counts; ``exact`` disables fast paths."""
    classes, code_counts = _validate(landcover, params)
    # Flat views of the map are used throughout; a transposed or strided input would be copied at every use.
    landcover = np.ascontiguousarray(landcover)
    valid = np.ones(landcover.shape, dtype=bool) if params.nodata is None else landcover != params.nodata
    static_free = valid if params.no_change is None else valid & ~params.no_change
    kernels = backend.kernels()
    model = PotentialModel(
        window=params.window,
        neighbourhood_weight=params.neighbourhood_weight,
        noise_weight=params.noise_weight,
        drivers=params.drivers,
        kernels=kernels,
    )
    workspace = Workspace(
        shape=landcover.shape,
        window=params.window,
        dtype=landcover.dtype,
        pad_code=_pad_code(landcover, params),
        kernels=kernels,
    )
    free = workspace.free
    position = {int(code): i for i, code in enumerate(classes)}
    movers = [i for i in params.interventions if i.kind in ("restore", "agroforestry")]
    # Class totals are carried from year to year, so a year without masks needs no counting pass.
    totals = code_counts[classes]
    current = landcover
    for step in range(1, params.years + 1):
        year = params.base_year + step
        noise = yearly_noise(seed=params.seed, year=year, size=landcover.size, out=workspace.noise)
        following = current.copy()
        np.copyto(free, static_free)
        moved = _apply_cell_interventions(current, following, free, params, model, noise, year)
        for intervention in params.interventions:
            if intervention.kind == "protect" and intervention.active(year=year):
                free &= ~intervention.mask
        # Rates apply to cells free to change: protection lowers conversion instead of displacing it.
        if params.no_change is not None or any(
            i.kind == "protect" and i.active(year=year) for i in params.interventions
        ):
            counts = count_codes(landcover=current, mask=free)[classes]
        else:
            counts = totals.copy()
            for intervention, cells in zip(movers, moved, strict=True):
                counts[position[int(intervention.from_class)]] -= cells
        matrix = adjusted_matrix(
            matrix=params.annual_matrix, classes=classes, interventions=params.interventions, year=year
        )
        planned = transition_quantities(counts=counts, matrix=matrix)
        allocator = YearAllocator(
            current=current,
            following=following,
            free=free,
            classes=classes,
            model=model,
            noise=noise,
            workspace=workspace,
            exact=exact,
        )
        realised = allocator.run(quantities=planned)
        totals += realised.sum(axis=0) - realised.sum(axis=1)
        for intervention, cells in zip(movers, moved, strict=True):
            totals[position[int(intervention.from_class)]] -= cells
            totals[position[int(intervention.to_class)]] += cells
        view = following.view()
        view.flags.writeable = False
        yield YearStep(
            year=year, landcover=view, planned=planned, realised=realised, intervention_cells=moved
        )
        current = following


def _apply_cell_interventions(
    current: np.ndarray,
    following: np.ndarray,
    free: np.ndarray,
    params: ProjectionParams,
    model: PotentialModel,
    noise: np.ndarray,
    year: int,
) -> tuple[int, ...]:
    """Restoration and agroforestry go first, in list order, so business-as-usual cannot take their cells."""
    moved = []
    for intervention in params.interventions:
        if intervention.kind not in ("restore", "agroforestry"):
            continue
        quantity = intervention.cells_in_year(year=year, cell_area_ha=params.cell_area_ha)
        chosen = np.empty(0, dtype=np.int64)
        if quantity > 0:
            chosen = allocate_in_mask(
                current=current,
                free=free,
                mask=intervention.mask,
                source=int(intervention.from_class),
                target=int(intervention.to_class),
                quantity=quantity,
                model=model,
                noise=noise,
            )
            following.ravel()[chosen] = intervention.to_class
        moved.append(len(chosen))
    return tuple(moved)


def _pad_code(landcover: np.ndarray, params: ProjectionParams) -> int | None:
    """A code that is no class, to stand for outside the map; None when every code of the dtype is a class."""
    if params.nodata is not None:
        return int(params.nodata)
    unused = np.setdiff1d(np.arange(np.iinfo(landcover.dtype).max + 1), np.asarray(params.classes))
    return int(unused[0]) if len(unused) else None


def _validate(landcover: np.ndarray, params: ProjectionParams) -> tuple[np.ndarray, np.ndarray]:
    """The classes as the map's dtype and the map's cells per code, or ValueError."""
    if landcover.dtype not in (np.uint8, np.uint16) or landcover.ndim != 2:
        raise ValueError("the starting map must be a 2-D uint8 or uint16 array")
    classes = np.asarray(params.classes, dtype=landcover.dtype)
    k = len(classes)
    if params.annual_matrix.shape != (k, k):
        raise ValueError(f"annual_matrix must be {k} x {k}, like classes")
    if params.annual_matrix.min() < 0 or not np.allclose(params.annual_matrix.sum(axis=1), 1.0, atol=1e-9):
        raise ValueError("annual_matrix needs non-negative entries and rows that sum to 1")
    if params.nodata is not None and params.nodata in classes:
        raise ValueError("nodata must not be one of the classes")
    if params.cell_area_ha <= 0 or params.years < 0:
        raise ValueError("cell_area_ha must be positive and years not negative")
    code_counts = count_codes(landcover=landcover)
    present = np.flatnonzero(code_counts)
    if params.nodata is not None:
        present = present[present != params.nodata]
    if not np.isin(present, classes).all():
        raise ValueError("the starting map has codes that are neither nodata nor one of the classes")
    masks = [params.no_change] + [i.mask for i in params.interventions] + [d.values for d in params.drivers]
    for mask in masks:
        if mask is not None and mask.shape != landcover.shape:
            raise ValueError(
                f"a mask or driver of shape {mask.shape} does not match the map {landcover.shape}"
            )
    return classes, code_counts
