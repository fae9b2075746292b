"""Interventions in plain words, for the scenario page and the API."""

from __future__ import annotations

from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .models import ScenarioSet


def _number(value: float) -> str:
    value = float(value)
    return number_format(value, decimal_pos=0 if value.is_integer() else 2, force_grouping=True)


def _years(item: dict[str, Any]) -> str:
    if item.get("end_year"):
        return _("From %(start)s to %(end)s") % {"start": item["start_year"], "end": item["end_year"]}
    return _("From %(start)s") % {"start": item["start_year"]}


def _class(scenario_set: ScenarioSet, code: int | None) -> str:
    return _("any class") if code is None else scenario_set.class_name(code)


def _zone(item: dict[str, Any]) -> str:
    source = item.get("zone_source") or {}
    if not item.get("zone"):
        return _("anywhere in the landscape")
    area = source.get("area_ha")
    size = _("a zone of %(ha)s ha") % {"ha": _number(round(area))} if area else _("a zone")
    if source.get("type") == "dataset":
        return _("%(zone)s from the map layer “%(title)s” (v%(version)s)") % {
            "zone": size,
            "title": source.get("title", ""),
            "version": source.get("version", ""),
        }
    return _("%(zone)s drawn on the map") % {"zone": size}


def describe(item: dict[str, Any], scenario_set: ScenarioSet) -> str:
    """One sentence: when, what, where."""
    when = _years(item)
    kind = item["kind"]
    if kind == "protect":
        return _("%(when)s, no land is converted inside %(zone)s.") % {"when": when, "zone": _zone(item)}
    if kind in ("restore", "agroforestry"):
        template = (
            _("%(when)s, %(ha)s ha a year of %(from)s become %(to)s, %(zone)s.")
            if kind == "restore"
            else _("%(when)s, agroforestry: %(ha)s ha a year of %(from)s become %(to)s, %(zone)s.")
        )
        return template % {
            "when": when,
            "ha": _number(item.get("hectares_per_year", 0)),
            "from": _class(scenario_set, item.get("from_class")),
            "to": _class(scenario_set, item.get("to_class")),
            "zone": _zone(item),
        }
    percent = _number(round(100 * float(item.get("multiplier", 1.0))))
    if kind == "expand_settlement":
        return _("%(when)s, %(to)s grows at %(percent)s%% of the business-as-usual pace.") % {
            "when": when,
            "to": _class(scenario_set, item.get("to_class")),
            "percent": percent,
        }
    return _("%(when)s, %(from)s turns into %(to)s at %(percent)s%% of the business-as-usual pace.") % {
        "when": when,
        "from": _class(scenario_set, item.get("from_class")),
        "to": _class(scenario_set, item.get("to_class")),
        "percent": percent,
    }
