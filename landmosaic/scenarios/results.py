"""What a results page says: a summary in plain words, charts with their tables, the classes' figures.

Figures come from the runs' stored indicators; a scenario is compared with the business-as-usual run
of the same set inputs when there is one, else with its own starting year.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .charts import Series, line_chart
from .models import Run, ScenarioSet

#: Differences smaller than this many hectares are rounding, not change.
NOTICEABLE_HA = 0.5
MAX_CLASSES_SAID = 3
MAX_CLASSES_CHARTED = 4
THIS_COLOUR, BAU_COLOUR, LOSS_COLOUR = "#1b5e20", "#555555", "#b71c1c"


def number(value: float, decimals: int = 0) -> str:
    return number_format(round(value, decimals), decimal_pos=decimals, use_l10n=True, force_grouping=True)


def signed(value: float, decimals: int = 0) -> str:
    text = number(abs(value), decimals)
    return f"+{text}" if value > 0 else (f"−{text}" if value < 0 and text.strip("0.,") else text)


@dataclass
class ClassFigures:
    code: int
    name: str
    colour: str
    start_ha: float
    end_ha: float
    reference_end_ha: float | None

    @property
    def change_ha(self) -> float:
        return self.end_ha - self.start_ha

    @property
    def versus_reference_ha(self) -> float | None:
        return None if self.reference_end_ha is None else self.end_ha - self.reference_end_ha


@dataclass
class Chart:
    id: str
    title: str
    svg: SafeString
    legend: list[tuple[str, str, bool]]
    columns: list[str]
    rows: list[list[str]]


def class_figures(run: Run, reference: Run | None, scenario_set: ScenarioSet) -> list[ClassFigures]:
    indicators = run.indicators
    legend = scenario_set.legend_by_code()
    reference_area = reference.indicators["area_ha"] if reference else None
    figures = []
    for code in indicators["classes"]:
        series = indicators["area_ha"][str(code)]
        entry = legend.get(int(code), {})
        other = reference_area.get(str(code)) if reference_area else None
        figures.append(
            ClassFigures(
                code=int(code),
                name=entry.get("name", str(code)),
                colour=entry.get("colour", "#808080"),
                start_ha=series[0],
                end_ha=series[-1],
                reference_end_ha=(other[-1] if other else 0.0) if reference_area is not None else None,
            )
        )
    return figures


def summary(run: Run, reference: Run | None, figures: list[ClassFigures]) -> list[str]:
    """Sentences for the community: what changes by the final year, in hectares and carbon."""
    ind = run.indicators
    year = ind["years"][-1]
    currency = ind.get("currency", "")
    sentences = []
    if reference is not None:
        ref = reference.indicators
        moved = sorted(
            (f for f in figures if abs(f.versus_reference_ha or 0) >= NOTICEABLE_HA),
            key=lambda f: -abs(f.versus_reference_ha or 0),
        )[:MAX_CLASSES_SAID]
        if not moved:
            sentences.append(
                _("By %(year)s the land cover hardly differs from business as usual.") % {"year": year}
            )
        for f in moved:
            template = (
                _("By %(year)s, %(class)s covers %(ha)s ha more than under business as usual.")
                if (f.versus_reference_ha or 0) > 0
                else _("By %(year)s, %(class)s covers %(ha)s ha less than under business as usual.")
            )
            sentences.append(
                template % {"year": year, "class": f.name, "ha": number(abs(f.versus_reference_ha or 0))}
            )
        carbon = ind["carbon_mg"][-1] - ref["carbon_mg"][-1]
        if any(ind["carbon_mg"]) and abs(carbon) >= 0.5:
            text = _("Carbon stock: %(mg)s Mg C compared with business as usual.") % {"mg": signed(carbon)}
            value = ind["carbon_value"][-1] - ref["carbon_value"][-1]
            if abs(value) >= 0.5:
                text += " " + _("Its value today: %(value)s %(currency)s.") % {
                    "value": signed(value),
                    "currency": currency,
                }
            sentences.append(text)
        restored, restored_ref = ind["restored_ha"][-1], ref["restored_ha"][-1]
        if restored >= NOTICEABLE_HA or restored_ref >= NOTICEABLE_HA:
            sentences.append(
                _("%(ha)s ha restored by %(year)s, against %(bau)s ha under business as usual.")
                % {"ha": number(restored), "year": year, "bau": number(restored_ref)}
            )
        degraded, degraded_ref = ind["degraded_ha"][-1], ref["degraded_ha"][-1]
        if degraded >= NOTICEABLE_HA or degraded_ref >= NOTICEABLE_HA:
            sentences.append(
                _(
                    "%(ha)s ha of natural vegetation lost by %(year)s, against %(bau)s ha under business "
                    "as usual."
                )
                % {"ha": number(degraded), "year": year, "bau": number(degraded_ref)}
            )
        return sentences
    moved = sorted((f for f in figures if abs(f.change_ha) >= NOTICEABLE_HA), key=lambda f: -abs(f.change_ha))
    if not moved:
        sentences.append(_("By %(year)s the land cover hardly changes.") % {"year": year})
    for f in moved[:MAX_CLASSES_SAID]:
        template = (
            _("By %(year)s, %(class)s grows by %(ha)s ha (from %(start)s to %(end)s ha).")
            if f.change_ha > 0
            else _("By %(year)s, %(class)s shrinks by %(ha)s ha (from %(start)s to %(end)s ha).")
        )
        sentences.append(
            template
            % {
                "year": year,
                "class": f.name,
                "ha": number(abs(f.change_ha)),
                "start": number(f.start_ha),
                "end": number(f.end_ha),
            }
        )
    carbon = ind["carbon_mg"][-1] - ind["carbon_mg"][0]
    if any(ind["carbon_mg"]) and abs(carbon) >= 0.5:
        template = (
            _("The landscape gains %(mg)s Mg C of carbon by %(year)s.")
            if carbon > 0
            else _("The landscape loses %(mg)s Mg C of carbon by %(year)s.")
        )
        sentences.append(template % {"mg": number(abs(carbon)), "year": year})
    if ind["restored_ha"][-1] >= NOTICEABLE_HA or ind["degraded_ha"][-1] >= NOTICEABLE_HA:
        sentences.append(
            _("%(restored)s ha restored and %(degraded)s ha of natural vegetation lost by %(year)s.")
            % {
                "restored": number(ind["restored_ha"][-1]),
                "degraded": number(ind["degraded_ha"][-1]),
                "year": year,
            }
        )
    return sentences


def _chart(chart_id: str, title: str, years: list[int], series: list[Series], *, decimals: int = 0) -> Chart:
    description = _("Lines: %(names)s; years %(first)s to %(last)s.") % {
        "names": ", ".join(s.label for s in series),
        "first": years[0],
        "last": years[-1],
    }
    svg = line_chart(
        chart_id=chart_id,
        title=title,
        description=description,
        years=years,
        series=series,
        number=lambda v: number(v, decimals if abs(v) < 10 else 0),
    )
    rows = [[str(year)] + [number(s.values[i], decimals) for s in series] for i, year in enumerate(years)]
    return Chart(
        id=chart_id,
        title=title,
        svg=mark_safe(svg),  # noqa: S308 - every text in the SVG is escaped by charts.line_chart
        legend=[(s.label, s.colour, s.dashed) for s in series],
        columns=[_("Year")] + [s.label for s in series],
        rows=rows,
    )


def charts(run: Run, reference: Run | None, figures: list[ClassFigures]) -> list[Chart]:
    """Area of the classes that change most, carbon, restoration; water and income when they are set."""
    ind = run.indicators
    ref = reference.indicators if reference else None
    years = ind["years"]
    name = run.scenario.name
    bau = _("business as usual")
    result = []
    key = (
        (lambda f: -abs(f.versus_reference_ha or 0) - abs(f.change_ha))
        if ref
        else (lambda f: -abs(f.change_ha))
    )
    chosen = sorted(figures, key=key)[:MAX_CLASSES_CHARTED]
    area: list[Series] = []
    for f in chosen:
        area.append(Series(f"{f.name} — {name}", ind["area_ha"][str(f.code)], f.colour))
        if ref and str(f.code) in ref["area_ha"]:
            area.append(Series(f"{f.name} — {bau}", ref["area_ha"][str(f.code)], f.colour, dashed=True))
    if area:
        result.append(_chart("chart-area", _("Area of the classes that change most (ha)"), years, area))
    if any(ind["carbon_mg"]):
        carbon = [Series(name, ind["carbon_mg"], THIS_COLOUR)]
        if ref:
            carbon.append(Series(bau, ref["carbon_mg"], BAU_COLOUR, dashed=True))
        result.append(_chart("chart-carbon", _("Carbon stock (Mg C)"), years, carbon))
    restoration = [
        Series(_("Restored — %(name)s") % {"name": name}, ind["restored_ha"], THIS_COLOUR),
        Series(_("Natural vegetation lost — %(name)s") % {"name": name}, ind["degraded_ha"], LOSS_COLOUR),
    ]
    if ref:
        restoration += [
            Series(_("Restored — %(name)s") % {"name": bau}, ref["restored_ha"], THIS_COLOUR, dashed=True),
            Series(
                _("Natural vegetation lost — %(name)s") % {"name": bau},
                ref["degraded_ha"],
                LOSS_COLOUR,
                dashed=True,
            ),
        ]
    result.append(
        _chart("chart-restoration", _("Hectares restored and lost since the start"), years, restoration)
    )
    for key_name, title in (("water", _("Indicative water")), ("income", _("Indicative income"))):
        if any(ind[key_name]) or (ref and any(ref[key_name])):
            lines = [Series(name, ind[key_name], THIS_COLOUR)]
            if ref:
                lines.append(Series(bau, ref[key_name], BAU_COLOUR, dashed=True))
            result.append(_chart(f"chart-{key_name}", title, years, lines))
    return result


def zone_rows(run: Run, reference: Run | None) -> list[dict[str, Any]]:
    """The run's figures area by area, with the carbon difference to business as usual when that run
    was reported by the same areas."""
    rows = run.indicators.get("zones") or []
    other = {z["name"]: z for z in (reference.indicators.get("zones") or [])} if reference else {}
    result = []
    for zone in rows:
        ref = other.get(zone["name"])
        versus = None
        if ref and ref.get("carbon_end_mg") is not None and zone.get("carbon_end_mg") is not None:
            versus = zone["carbon_end_mg"] - ref["carbon_end_mg"]
        result.append({**zone, "versus_reference_mg": versus})
    return result


def map_alt(indicators: dict[str, Any], scenario_set: ScenarioSet, *, year: int, label: str) -> str:
    """The alternative text of a map: what it shows and its largest classes that year."""
    index = indicators["years"].index(year)
    legend = scenario_set.legend_by_code()
    largest = sorted(
        ((indicators["area_ha"][str(code)][index], int(code)) for code in indicators["classes"]), reverse=True
    )[:4]
    classes = ", ".join(
        f"{legend.get(code, {}).get('name', code)} {number(area)} ha" for area, code in largest
    )
    return _("Land-cover map of %(year)s, %(label)s. Largest classes: %(classes)s.") % {
        "year": year,
        "label": label,
        "classes": classes,
    }
