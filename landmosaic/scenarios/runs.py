"""The work of a run: maps in, yearly maps and indicators out (called by the ``scenarios.run`` job).

Nothing here writes to the database except the set's annual matrix, computed once from the two maps
and kept on the set so every later run reuses the very same numbers (LAPACK may differ in the last
bits between machines). Yearly maps are written as palette COGs into a scratch folder as they come;
the service stores them as datasets in one transaction afterwards.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from landmosaic.core.errors import ValidationFailed
from landmosaic.scenarios.engine import (
    CarbonPools,
    Driver,
    Intervention,
    ProjectionParams,
    annualise,
    carbon_valuation,
    cross_tabulate,
    impacts_by_zone,
    project_steps,
    transition_matrix,
)
from landmosaic.scenarios.engine.io import write_categorical_cog

from . import commons, rasters
from .drivers import engine_driver, read_driver
from .legends import restoration_pairs, rgb
from .models import Scenario, ScenarioSet
from .report_zones import zone_figures, zone_numbers
from .zones import zone_mask

Progress = Callable[[int, str], None]
#: Share of the progress bar: reading and change analysis up to 10, the years up to 85, storing after.
YEARS_FROM, YEARS_TO = 10, 85
#: Side of the square neighbourhood (cells) of every projection, hindcasts included.
WINDOW = 3


class RunCancelled(Exception):
    """Someone cancelled the run's job; the run stops before its next year."""


@dataclass
class RunOutput:
    """What a finished projection leaves for the service to store."""

    indicators: dict[str, Any]
    warnings: list[dict[str, Any]]
    year_files: list[tuple[int, Path]]


# --- Inputs ------------------------------------------------------------------------------------


def _hash(inputs: dict[str, Any]) -> str:
    text = json.dumps(inputs, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def set_fingerprint(scenario_set: ScenarioSet) -> str:
    """A hash of the set's inputs: runs with equal ones can be compared with each other."""
    return _hash(
        {
            "t0": scenario_set.t0_version_id,
            "t1": scenario_set.t1_version_id,
            "years": [scenario_set.t0_year, scenario_set.t1_year, scenario_set.horizon_years],
            "seed": scenario_set.seed,
            "legend": scenario_set.legend,
            "drivers": scenario_set.drivers,
            "no_change": scenario_set.no_change,
            "report_zones": scenario_set.report_zones,
            "pools": scenario_set.carbon_pools,
            "coefficients": scenario_set.coefficients,
            "valuation": [
                scenario_set.currency,
                scenario_set.carbon_price,
                scenario_set.discount_rate,
                scenario_set.price_change,
            ],
        }
    )


def fingerprint(scenario: Scenario) -> str:
    """A hash of everything a run's results depend on; equal fingerprints give bit-identical maps."""
    return _hash(
        {
            "set": set_fingerprint(scenario.scenario_set),
            "kind": scenario.kind,
            "interventions": scenario.interventions,
        }
    )


def _change_key(scenario_set: ScenarioSet) -> dict[str, Any]:
    return {
        "t0": scenario_set.t0_version_id,
        "t1": scenario_set.t1_version_id,
        "years": scenario_set.period_years,
    }


def annual_change(scenario_set: ScenarioSet, pair: rasters.Pair) -> tuple[dict[str, Any], bool]:
    """The set's stored change analysis if it was made from these maps, else a new one (and True)."""
    stored = scenario_set.change or {}
    if stored.get("key") == _change_key(scenario_set) and stored.get("matrix"):
        return stored, False
    classes = np.union1d(
        np.flatnonzero(np.bincount(pair.before.ravel())), np.flatnonzero(np.bincount(pair.after.ravel()))
    )
    if pair.nodata is not None:
        classes = classes[classes != pair.nodata]
    crosstab = cross_tabulate(before=pair.before, after=pair.after, nodata=pair.nodata, classes=classes)
    if crosstab.total == 0:
        raise ValidationFailed(
            _("The two maps share no cell with a class on both dates: nothing can be learnt from them."),
            code="no_overlap",
        )
    annual = annualise(matrix=transition_matrix(crosstab=crosstab), years=scenario_set.period_years)
    change = {
        "key": _change_key(scenario_set),
        "classes": [int(c) for c in crosstab.classes],
        "crosstab": crosstab.counts.tolist(),
        "matrix": annual.matrix.tolist(),
        "method": annual.method,
        "residual": annual.residual,
        "cell_area_ha": pair.cell_area_ha,
    }
    return change, True


def _extended(classes: list[int], matrix: np.ndarray, extra: set[int]) -> tuple[tuple[int, ...], np.ndarray]:
    """Add classes no map has yet (e.g. agroforestry) as persistent rows, keeping sorted order."""
    codes = sorted(set(classes) | extra)
    if len(codes) == len(classes):
        return tuple(classes), matrix
    position = {code: i for i, code in enumerate(codes)}
    full = np.eye(len(codes))
    index = [position[c] for c in classes]
    full[np.ix_(index, index)] = matrix
    return tuple(codes), full


def _pools(scenario_set: ScenarioSet, classes: tuple[int, ...]) -> CarbonPools:
    rows = {int(r["lucode"]): r for r in scenario_set.carbon_pools}
    missing = [c for c in classes if c not in rows]
    if missing:
        names = ", ".join(f"{c} ({scenario_set.class_name(c)})" for c in missing)
        raise ValidationFailed(
            _("The carbon pools table has no row for the classes %(classes)s. Add them on the set's page.")
            % {"classes": names},
            code="pools_missing_classes",
        )
    return CarbonPools.from_rows(rows=[rows[c] for c in classes])


def _coefficients(scenario_set: ScenarioSet) -> dict[str, dict[int, float]]:
    tables: dict[str, dict[int, float]] = {"water": {}, "income": {}}
    for row in scenario_set.coefficients:
        for name in tables:
            tables[name][int(row["lucode"])] = float(row.get(name) or 0.0)
    return tables


def engine_interventions(
    scenario: Scenario, *, pair: rasters.Pair, valid: np.ndarray, classes: set[int]
) -> list[Intervention]:
    """The scenario's interventions with their zones burnt into masks on the maps' grid."""
    result = []
    shape = pair.after.shape
    for number, item in enumerate(scenario.interventions, start=1):
        kind = item["kind"]
        mask = None
        if item.get("zone"):
            mask = zone_mask(
                geometry=item["zone"],
                crs=pair.profile["crs"],
                transform=pair.profile["transform"],
                shape=shape,
            )
            if not (mask & valid).any():
                raise ValidationFailed(
                    _(
                        "The zone of intervention %(number)s does not overlap the land-cover map. Draw it "
                        "inside the landscape or choose another layer."
                    )
                    % {"number": number},
                    code="zone_outside",
                )
        elif kind in ("restore", "agroforestry"):
            mask = valid  # anywhere in the landscape
        common = {"start_year": int(item["start_year"]), "end_year": item.get("end_year") or None}
        for key in ("from_class", "to_class"):
            if item.get(key) is not None:
                classes.add(int(item[key]))
        if kind == "rate":
            result.append(
                Intervention.rate(
                    multiplier=float(item["multiplier"]),
                    from_class=item.get("from_class"),
                    to_class=item.get("to_class"),
                    **common,
                )
            )
        elif kind == "protect":
            if mask is None:
                raise ValidationFailed(
                    _("Intervention %(number)s protects a zone but has none.") % {"number": number},
                    code="no_zone",
                )
            result.append(Intervention.protect(mask=mask, **common))
        elif kind in ("restore", "agroforestry"):
            build = Intervention.restore if kind == "restore" else Intervention.agroforestry
            result.append(
                build(
                    from_class=int(item["from_class"]),
                    to_class=int(item["to_class"]),
                    mask=mask,
                    hectares_per_year=float(item["hectares_per_year"]),
                    **common,
                )
            )
        elif kind == "expand_settlement":
            result.append(
                Intervention.expand_settlement(
                    settlement_class=int(item["to_class"]), multiplier=float(item["multiplier"]), **common
                )
            )
    return result


# --- The projection ------------------------------------------------------------------------------


def project_run(
    *,
    scenario: Scenario,
    folder: Path,
    progress: Progress,
    cancelled: Callable[[], bool],
    on_change: Callable[[dict[str, Any]], None],
) -> RunOutput:
    """Read both maps, project year by year, write each year and accumulate the indicators."""
    scenario_set = scenario.scenario_set
    if scenario_set.t0_version is None or scenario_set.t1_version is None:
        raise ValidationFailed(
            _("A land-cover map of this set was deleted from the data; choose the maps again."),
            code="map_deleted",
        )
    progress(2, _("Reading the land-cover maps"))
    with (
        commons.local_raster(scenario_set.t0_version) as first,
        commons.local_raster(scenario_set.t1_version) as second,
    ):
        pair = rasters.read_pair(
            first,
            second,
            before_label=commons.version_label(scenario_set.t0_version),
            after_label=commons.version_label(scenario_set.t1_version),
        )
    progress(6, _("Measuring the change between the two maps"))
    change, is_new = annual_change(scenario_set, pair)
    if is_new:
        on_change(change)
    pair.before = pair.after[:0]  # only the later map is needed from here on: free the earlier one
    valid = np.ones(pair.after.shape, dtype=bool) if pair.nodata is None else pair.after != pair.nodata
    used: set[int] = set()
    interventions = engine_interventions(scenario, pair=pair, valid=valid, classes=used)
    classes, matrix = _extended(change["classes"], np.asarray(change["matrix"], dtype=np.float64), used)
    if max(classes) > np.iinfo(pair.after.dtype).max:
        pair.after = pair.after.astype(np.uint16)
    pools = _pools(scenario_set, classes)
    coefficients = _coefficients(scenario_set)
    restoration, degradation = (
        [p for p in pairs if p[0] in classes and p[1] in classes]
        for pairs in restoration_pairs(scenario_set.legend)
    )
    params = ProjectionParams(
        classes=classes,
        annual_matrix=matrix,
        nodata=pair.nodata,
        cell_area_ha=pair.cell_area_ha,
        years=scenario_set.horizon_years,
        base_year=scenario_set.t1_year,
        seed=scenario_set.seed,
        window=WINDOW,
        interventions=tuple(interventions),
        drivers=set_drivers(scenario_set, profile=pair.profile, valid=valid, progress=progress),
        no_change=no_change_mask(scenario_set, landcover=pair.after, profile=pair.profile),
    )
    options = {
        "classes": np.asarray(classes),
        "nodata": pair.nodata,
        "cell_area_ha": pair.cell_area_ha,
        "pools": pools,
        "coefficients": coefficients,
        "restoration": restoration,
        "degradation": degradation,
    }
    colormap = _colormap(scenario_set, classes)
    accumulator = Indicators(scenario_set=scenario_set, classes=classes, cell_area_ha=pair.cell_area_ha)
    accumulator.add_base(impacts_by_zone(before=pair.after, after=pair.after, **options))
    year_files: list[tuple[int, Path]] = []
    total = scenario_set.horizon_years
    previous = pair.after
    for number, step in enumerate(project_steps(landcover=pair.after, params=params), start=1):
        if cancelled():
            raise RunCancelled
        share = YEARS_FROM + (YEARS_TO - YEARS_FROM) * (number - 1) / max(total, 1)
        progress(
            int(share),
            _("Year %(k)s of %(n)s (%(year)s)") % {"k": number, "n": total, "year": step.year},
        )
        path = folder / f"landcover_{step.year}.tif"
        write_categorical_cog(
            path=path, array=step.landcover, profile=pair.profile, nodata=pair.nodata, colormap=colormap
        )
        year_files.append((step.year, path))
        accumulator.add_year(step.year, impacts_by_zone(before=previous, after=step.landcover, **options))
        previous = step.landcover
    if cancelled():
        raise RunCancelled
    indicators = accumulator.result(change=change)
    zones = (scenario_set.report_zones or {}).get("zones")
    if zones:
        numbers = zone_numbers(
            zones, crs=pair.profile["crs"], transform=pair.profile["transform"], shape=pair.after.shape
        )
        by_zone = impacts_by_zone(before=pair.after, after=previous, zones=numbers, zone_nodata=0, **options)
        indicators["zones"] = zone_figures(by_zone, zones, cell_area_ha=pair.cell_area_ha)
    return RunOutput(
        indicators=indicators,
        warnings=[w.as_dict() for w in pair.warnings],
        year_files=year_files,
    )


def no_change_mask(
    scenario_set: ScenarioSet, *, landcover: np.ndarray, profile: dict[str, Any]
) -> np.ndarray | None:
    """The cells no scenario may change: the set's never-changing classes on ``landcover`` (the map the
    projection starts from) and its zone, on that map's grid; None when the set keeps no land."""
    settings = scenario_set.no_change or {}
    if not settings.get("classes") and not settings.get("zone"):
        return None
    mask = np.isin(landcover, np.asarray(settings.get("classes") or [], dtype=landcover.dtype))
    if settings.get("zone"):
        mask |= zone_mask(
            geometry=settings["zone"],
            crs=profile["crs"],
            transform=profile["transform"],
            shape=landcover.shape,
        )
    return mask


def set_drivers(
    scenario_set: ScenarioSet, *, profile: dict[str, Any], valid: np.ndarray, progress: Progress
) -> tuple[Driver, ...]:
    """The set's driver rasters on the land-cover grid, as the engine takes them."""
    result = []
    for entry in scenario_set.drivers:
        progress(8, _("Reading the driver “%(title)s”") % {"title": entry["title"]})
        version = commons.driver_version(
            landscape=scenario_set.landscape,
            dataset_id=int(entry["dataset_id"]),
            number=int(entry["version"]),
        )
        with commons.local_raster(version) as path:
            values = read_driver(path, profile=profile, valid=valid, title=entry["title"])
        result.append(engine_driver(values, entry))
    return tuple(result)


def _colormap(scenario_set: ScenarioSet, classes: tuple[int, ...]) -> dict[int, tuple[int, int, int]]:
    legend = scenario_set.legend_by_code()
    return {code: rgb(legend[code]["colour"]) if code in legend else (128, 128, 128) for code in classes}


class Indicators:
    """Yearly measures accumulated from the engine's per-step impacts (one zone: the whole map)."""

    def __init__(self, *, scenario_set: ScenarioSet, classes: tuple[int, ...], cell_area_ha: float):
        self.scenario_set = scenario_set
        self.classes = classes
        self.cell_area_ha = cell_area_ha
        self.years: list[int] = []
        self.area: list[list[float]] = []
        self.carbon: list[float] = []
        self.water: list[float] = []
        self.income: list[float] = []
        self.restored: list[float] = []
        self.degraded: list[float] = []
        #: Per projected year, the cells that changed class: [from code, to code, cells].
        self.transitions: list[list[list[int]]] = []

    def _measures(self, year: int, impacts: Any) -> None:
        self.years.append(year)
        self.area.append([float(v) for v in impacts.area_ha[0]])
        self.carbon.append(float(impacts.carbon_mg[0]))
        self.water.append(float(impacts.indicators["water"][0]))
        self.income.append(float(impacts.indicators["income"][0]))

    def add_base(self, impacts: Any) -> None:
        self._measures(self.scenario_set.t1_year, impacts)
        self.restored.append(0.0)
        self.degraded.append(0.0)

    def add_year(self, year: int, impacts: Any) -> None:
        self._measures(year, impacts)
        self.restored.append(float(impacts.restored_ha[0]))
        self.degraded.append(float(impacts.degraded_ha[0]))
        counts = impacts.transitions[0].copy()
        np.fill_diagonal(counts, 0)
        rows, cols = np.nonzero(counts)
        self.transitions.append(
            [[self.classes[i], self.classes[j], int(counts[i, j])] for i, j in zip(rows, cols, strict=True)]
        )

    def result(self, *, change: dict[str, Any]) -> dict[str, Any]:
        s = self.scenario_set
        stock = np.asarray(self.carbon)
        values = [0.0] + [
            carbon_valuation(
                sequestration=float(stock[k] - stock[0]),
                years=k,
                price=s.carbon_price,
                discount_rate=s.discount_rate / 100,
                price_change=s.price_change / 100,
            )
            for k in range(1, len(stock))
        ]
        area = np.asarray(self.area)
        return {
            "base_year": s.t1_year,
            "years": self.years,
            "classes": list(self.classes),
            "cell_area_ha": self.cell_area_ha,
            "valid_area_ha": float(area[0].sum()) if len(area) else 0.0,
            "area_ha": {str(code): area[:, i].round(6).tolist() for i, code in enumerate(self.classes)},
            "carbon_mg": [round(v, 6) for v in self.carbon],
            "carbon_value": [round(v, 2) for v in values],
            "currency": s.currency,
            "restored_ha": [round(v, 6) for v in np.cumsum(self.restored).tolist()],
            "degraded_ha": [round(v, 6) for v in np.cumsum(self.degraded).tolist()],
            "restored_ha_year": [round(v, 6) for v in self.restored],
            "degraded_ha_year": [round(v, 6) for v in self.degraded],
            "water": [round(v, 6) for v in self.water],
            "income": [round(v, 6) for v in self.income],
            "transitions": self.transitions,
            "matrix": {"method": change.get("method"), "residual": change.get("residual")},
        }


INDICATOR_COLUMNS = ("carbon_mg", "carbon_value", "restored_ha", "degraded_ha", "water", "income")


def indicator_table(indicators: dict[str, Any]) -> tuple[list[dict[str, str]], list[dict[str, Any]]]:
    """The yearly indicators as a table: (columns with Table Schema types, one row per year).

    Columns: year, the area of each class (area_ha_<code>), carbon stock (Mg C), the value of the
    carbon gained since the first year, hectares restored and degraded since then, water and income.
    """
    classes = indicators["classes"]
    columns = [{"name": "year", "type": "integer"}]
    columns += [{"name": f"area_ha_{code}", "type": "number"} for code in classes]
    columns += [{"name": name, "type": "number"} for name in INDICATOR_COLUMNS]
    rows = []
    for i, year in enumerate(indicators["years"]):
        row: dict[str, Any] = {"year": year}
        row.update({f"area_ha_{code}": indicators["area_ha"][str(code)][i] for code in classes})
        row.update({name: indicators[name][i] for name in INDICATOR_COLUMNS})
        rows.append(row)
    return columns, rows


def indicator_csv(indicators: dict[str, Any]) -> str:
    columns, rows = indicator_table(indicators)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[c["name"] for c in columns], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
