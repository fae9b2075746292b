"""Impact measures of a map or a year's change: areas, transitions, carbon (InVEST-compatible), indicators."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np

from .change import class_lookup, count_codes

POOL_COLUMNS = ("c_above", "c_below", "c_soil", "c_dead")


@dataclass(frozen=True)
class CarbonPools:
    """An InVEST carbon pools table: per land-use code, carbon density of four pools in Mg C per hectare."""

    lucode: np.ndarray
    c_above: np.ndarray
    c_below: np.ndarray
    c_soil: np.ndarray
    c_dead: np.ndarray

    @classmethod
    def from_rows(cls, *, rows: Iterable[Mapping[str, float]]) -> CarbonPools:
        """Build from table rows with InVEST's column names (lucode, c_above, c_below, c_soil, c_dead)."""
        table = list(rows)
        codes = np.array([int(row["lucode"]) for row in table], dtype=np.int64)
        if len(np.unique(codes)) != len(codes):
            raise ValueError("the carbon pools table lists a lucode twice")
        pools = {name: np.array([float(row.get(name, 0.0)) for row in table]) for name in POOL_COLUMNS}
        return cls(lucode=codes, **pools)

    def density(self, *, classes: np.ndarray) -> np.ndarray:
        """Total carbon density (Mg C/ha) of each listed class; a class missing from the table is an error."""
        total = self.c_above + self.c_below + self.c_soil + self.c_dead
        position = {int(code): i for i, code in enumerate(self.lucode)}
        missing = [int(c) for c in classes if int(c) not in position]
        if missing:
            raise ValueError(f"the carbon pools table has no row for lucode {missing}")
        return np.array([total[position[int(c)]] for c in classes], dtype=np.float64)


def area_by_class(
    *, landcover: np.ndarray, classes: np.ndarray, cell_area_ha: float, mask: np.ndarray | None = None
) -> np.ndarray:
    """Hectares of each listed class (in the order of ``classes``), optionally only where ``mask`` is True."""
    counts = count_codes(landcover=landcover, mask=mask)
    return counts[np.asarray(classes, dtype=np.int64)] * float(cell_area_ha)


def carbon_stock(
    *, landcover: np.ndarray, pools: CarbonPools, cell_area_ha: float, nodata: int | None
) -> float:
    """Total carbon (Mg C) as InVEST computes it: sum over cells of the class's four pools x cell area."""
    counts = count_codes(landcover=landcover)
    if nodata is not None:
        counts[nodata] = 0
    present = np.flatnonzero(counts)
    density = pools.density(classes=present)
    return float(np.dot(counts[present].astype(np.float64), density) * cell_area_ha)


def carbon_valuation(
    *, sequestration: float, years: int, price: float, discount_rate: float, price_change: float
) -> float:
    """Net present value of sequestration, InVEST's formula with rates as fractions (InVEST's % / 100).

    V = (sequestration / years) * sum_{t=0}^{years-1} price / ((1 + discount_rate)^t * (1 + price_change)^t)
    """
    if years <= 0:
        raise ValueError("years must be positive")
    t = np.arange(int(years), dtype=np.float64)
    factors = price / ((1.0 + discount_rate) ** t * (1.0 + price_change) ** t)
    return float(sequestration / years * factors.sum())


@dataclass(frozen=True)
class ZoneImpacts:
    """One step's impacts (``before`` -> ``after``) by zone: rows follow ``zone_ids``, columns ``classes``."""

    zone_ids: np.ndarray
    classes: np.ndarray
    transitions: np.ndarray
    area_ha: np.ndarray
    carbon_mg: np.ndarray | None
    carbon_change_mg: np.ndarray | None
    restored_ha: np.ndarray
    degraded_ha: np.ndarray
    indicators: dict[str, np.ndarray] = field(default_factory=dict)


def impacts_by_zone(
    *,
    before: np.ndarray,
    after: np.ndarray,
    classes: np.ndarray,
    nodata: int | None,
    cell_area_ha: float,
    zones: np.ndarray | None = None,
    zone_nodata: int | None = None,
    pools: CarbonPools | None = None,
    coefficients: Mapping[str, Mapping[int, float]] | None = None,
    restoration: Iterable[tuple[int, int]] = (),
    degradation: Iterable[tuple[int, int]] = (),
    chunk_cells: int = 1 << 20,
) -> ZoneImpacts:
    """All per-zone measures from one pass over the cells valid on both dates.

    ``coefficients`` maps an indicator name (e.g. "water", "income") to a value per hectare for each class;
    ``restoration``/``degradation`` list the (from, to) class pairs that count as such.
    """
    classes = np.asarray(classes, dtype=before.dtype)
    k = len(classes)
    zone_ids, transitions = _zone_transitions(before, after, classes, nodata, zones, zone_nodata, chunk_cells)
    area = transitions.sum(axis=1) * float(cell_area_ha)
    carbon = change = None
    if pools is not None:
        density = pools.density(classes=classes)
        carbon = area @ density
        change = carbon - (transitions.sum(axis=2) * float(cell_area_ha)) @ density
    position = {int(code): i for i, code in enumerate(classes)}
    indicators = {
        name: area @ np.array([float(table.get(int(code), 0.0)) for code in classes])
        for name, table in (coefficients or {}).items()
    }
    return ZoneImpacts(
        zone_ids=zone_ids,
        classes=classes,
        transitions=transitions,
        area_ha=area,
        carbon_mg=carbon,
        carbon_change_mg=change,
        restored_ha=_pair_area(transitions, restoration, position, k) * float(cell_area_ha),
        degraded_ha=_pair_area(transitions, degradation, position, k) * float(cell_area_ha),
        indicators=indicators,
    )


def yearly_impacts(
    *, start: np.ndarray, years: Iterable[tuple[int, np.ndarray]], **options: object
) -> Iterator[tuple[int, ZoneImpacts]]:
    """``impacts_by_zone`` of each (year, map) of a projection against the year before; holds one old map."""
    previous = start
    for year, landcover in years:
        yield year, impacts_by_zone(before=previous, after=landcover, **options)  # type: ignore[arg-type]
        previous = landcover


def _zone_transitions(
    before: np.ndarray,
    after: np.ndarray,
    classes: np.ndarray,
    nodata: int | None,
    zones: np.ndarray | None,
    zone_nodata: int | None,
    chunk_cells: int,
) -> tuple[np.ndarray, np.ndarray]:
    if before.shape != after.shape or (zones is not None and zones.shape != before.shape):
        raise ValueError("maps and zones must share one grid")
    k = len(classes)
    lut = class_lookup(classes=classes, dtype=before.dtype)
    if zones is None:
        zone_ids, zone_lut = np.array([0]), None
    else:
        zone_ids, zone_lut = _zone_lookup(zones, zone_nodata)
    b, a = before.ravel(), after.ravel()
    z = None if zones is None else zones.ravel()
    counts = np.zeros(len(zone_ids) * k * k, dtype=np.int64)
    for start in range(0, b.size, chunk_cells):
        stop = start + chunk_cells
        bi, ai = lut[b[start:stop]], lut[a[start:stop]]
        keep = np.ones(bi.shape, dtype=bool)
        if nodata is not None:
            keep &= (b[start:stop] != nodata) & (a[start:stop] != nodata)
        if np.any(keep & ((bi < 0) | (ai < 0))):
            raise ValueError("the maps contain codes that are neither nodata nor one of the classes")
        key = bi * k + ai
        if z is not None:
            zi = zone_lut[z[start:stop]]
            keep &= zi >= 0
            key += zi * (k * k)
        counts += np.bincount(key[keep], minlength=counts.size)
    return zone_ids, counts.reshape(len(zone_ids), k, k)


def _zone_lookup(zones: np.ndarray, zone_nodata: int | None) -> tuple[np.ndarray, np.ndarray]:
    if zones.dtype.kind not in "iu":
        raise ValueError("zones must be an integer raster")
    if zones.size and zones.min() < 0:
        raise ValueError("zone ids must not be negative")
    # Zone ids are counted rather than sorted: linear in the map, and the table is only as long as the top id.
    present = np.bincount(zones.ravel()) > 0
    if zone_nodata is not None and zone_nodata < len(present):
        present[zone_nodata] = False
    zone_ids = np.flatnonzero(present)
    lut = np.full(len(present), -1, dtype=np.int64)
    lut[zone_ids] = np.arange(len(zone_ids))
    return zone_ids, lut


def _pair_area(
    transitions: np.ndarray, pairs: Iterable[tuple[int, int]], position: dict[int, int], k: int
) -> np.ndarray:
    selected = np.zeros((k, k), dtype=bool)
    for source, target in pairs:
        if int(source) not in position or int(target) not in position:
            raise ValueError(f"the transition {source} -> {target} uses a class that is not listed")
        selected[position[int(source)], position[int(target)]] = True
    return (transitions * selected).sum(axis=(1, 2)).astype(np.float64)
