"""The landscape plan as a Miradi project (XMPZ2: a zip holding ``project.xml``).

Miradi is the Conservation Standards' planning software. Its XMPZ2 XML has one root
``ConservationProject`` in the namespace ``http://xml.miradi.org/schema/ConservationProject/<version>``
and a *pool* per object type (``StrategyPool`` holding ``Strategy`` elements with an ``Id`` attribute
and children named ``Strategy<Field>``); objects refer to each other by id lists such as
``StrategyOrderedActivityIds/ActivityId``. Element names follow those of Miradi's own exports (schema
version 248). The mapping from the ILM plan:

* zones -> targets: natural zones are biodiversity targets, combined and economic zones human
  wellbeing targets; a target lists the goals drawn to its zone;
* goals -> goals (return and LandScale pillar in the details), objectives -> objectives (the goal in
  the details, the relevant strategies and indicators by id);
* strategies -> strategies, actions -> activities (``Task`` elements, ordered under their strategy);
* indicators -> indicators (unit, baseline, target, method in the details) with their measurements.

Ids are numbered from 1 across all pools (Miradi ids are project-wide); UUIDs derive from the platform
ids, so exporting the same plan twice gives the same UUIDs. Text goes through ElementTree (escaped) after
dropping characters XML 1.0 cannot hold.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from typing import Any
from xml.etree import ElementTree as ET

from .selectors.report import PlanDocument

SCHEMA_VERSION = "248"
NAMESPACE = f"http://xml.miradi.org/schema/ConservationProject/{SCHEMA_VERSION}"
ENTRY = "project.xml"
_UUID_ROOT = uuid.UUID("6f3c1d8e-5a41-4e4b-9a55-1c0b2a7d9e10")
#: Characters XML 1.0 forbids (control characters other than tab, newline and carriage return).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: Any) -> str:
    return _NOT_XML.sub("", "" if text is None else str(text))


class _Ids:
    """Project-wide Miradi ids for (kind, platform id) pairs, given in the order objects are met."""

    def __init__(self) -> None:
        self._ids: dict[tuple[str, int], int] = {}

    def __call__(self, kind: str, pk: int) -> str:
        return str(self._ids.setdefault((kind, pk), len(self._ids) + 1))


class _Writer:
    def __init__(self, doc: PlanDocument) -> None:
        self.doc = doc
        self.ids = _Ids()
        self.root = ET.Element("ConservationProject", {"xmlns": NAMESPACE})

    def pool(self, name: str) -> ET.Element:
        return ET.SubElement(self.root, f"{name}Pool")

    def obj(self, pool: ET.Element, name: str, kind: str, pk: int, identifier: str, label: str) -> ET.Element:
        element = ET.SubElement(pool, name, {"Id": self.ids(kind, pk)})
        self.field(element, f"{name}Identifier", identifier)
        self.field(element, f"{name}Name", label)
        self.field(
            element, f"{name}UUID", str(uuid.uuid5(_UUID_ROOT, f"{self.doc.landscape.pk}:{kind}:{pk}"))
        )
        return element

    def field(self, parent: ET.Element, name: str, text: Any) -> None:
        if text not in (None, ""):
            ET.SubElement(parent, name).text = _clean(text)

    def refs(self, parent: ET.Element, name: str, item: str, kind: str, pks: list[int]) -> None:
        if pks:
            container = ET.SubElement(parent, name)
            for pk in pks:
                ET.SubElement(container, item).text = self.ids(kind, pk)


def _details(*lines: tuple[str, Any]) -> str:
    return "\n".join(f"{label}: {value}" for label, value in lines if value not in (None, ""))


def project_xml(doc: PlanDocument) -> bytes:
    """The Miradi project XML of the plan (UTF-8, with an XML declaration)."""
    w = _Writer(doc)
    summary = ET.SubElement(w.root, "ProjectSummary")
    w.field(summary, "ProjectSummaryProjectName", doc.landscape.name)
    w.field(summary, "ProjectSummaryProjectDescription", doc.landscape.description)
    if doc.vision is not None:
        scope = ET.SubElement(w.root, "ProjectScope")
        w.field(scope, "ProjectScopeProjectVision", f"{doc.vision.statement} ({doc.vision.horizon_year})")

    numbers = {zone.pk: n for n, zone in enumerate(doc.zones, 1)}  # Z1, Z2 … across both pools
    goals_by_zone: dict[int, list[int]] = {}
    for goal in doc.goals:
        for zone in goal.zones.all():
            goals_by_zone.setdefault(zone.pk, []).append(goal.pk)
    for pool_name, kinds in (
        ("BiodiversityTarget", {"natural"}),
        ("HumanWellbeingTarget", {"combined", "economic"}),
    ):
        zones = [z for z in doc.zones if z.kind in kinds]
        if zones:
            pool = w.pool(pool_name)
            for zone in zones:
                target = w.obj(pool, pool_name, "zone", zone.pk, f"Z{numbers[zone.pk]}", zone.name)
                w.field(
                    target,
                    f"{pool_name}Details",
                    _details(
                        ("Zone", zone.kind), ("Area (ha)", round(zone.area_ha, 1)), ("", zone.description)
                    ),
                )
                w.refs(target, f"{pool_name}GoalIds", "GoalId", "goal", goals_by_zone.get(zone.pk, []))

    _strategies(w, doc)
    _goals_and_objectives(w, doc)
    _indicators(w, doc)
    _activities(w, doc)
    ET.indent(w.root)
    return ET.tostring(w.root, encoding="utf-8", xml_declaration=True)


def _strategies(w: _Writer, doc: PlanDocument) -> None:
    if not doc.strategies:
        return
    pool = w.pool("Strategy")
    for number, strategy in enumerate(doc.strategies, 1):
        element = w.obj(pool, "Strategy", "strategy", strategy.pk, f"S{number}", strategy.title)
        w.field(element, "StrategyDetails", strategy.description)
        w.refs(
            element,
            "StrategyOrderedActivityIds",
            "ActivityId",
            "action",
            [a.pk for a in doc.actions_of(strategy)],
        )


def _goals_and_objectives(w: _Writer, doc: PlanDocument) -> None:
    if not doc.goals:
        return
    goals = w.pool("Goal")
    objectives = []
    for g_number, goal in enumerate(doc.goals, 1):
        element = w.obj(goals, "Goal", "goal", goal.pk, f"G{g_number}", goal.title)
        w.field(
            element,
            "GoalDetails",
            _details(("Return", goal.return_kind), ("LandScale pillar", goal.pillar), ("", goal.description)),
        )
        w.refs(
            element,
            "GoalRelevantIndicatorIds",
            "IndicatorId",
            "indicator",
            [v.indicator.pk for v in doc.indicators_of(goal=goal)],
        )
        strategies = [s.pk for o in goal.objectives.all() for s in doc.strategies_of(o)]
        w.refs(element, "GoalRelevantStrategyIds", "StrategyId", "strategy", strategies)
        objectives += [(f"O{g_number}.{n}", goal, o) for n, o in enumerate(goal.objectives.all(), 1)]
    if not objectives:
        return
    pool = w.pool("Objective")
    for identifier, goal, objective in objectives:
        element = w.obj(pool, "Objective", "objective", objective.pk, identifier, objective.what)
        w.field(
            element,
            "ObjectiveDetails",
            _details(
                ("Goal", goal.title),
                ("How much", f"{objective.how_much:g} {objective.unit}"),
                ("By when", objective.by_when.isoformat()),
                ("Where", objective.where or (objective.zone.name if objective.zone else "")),
            ),
        )
        strategies = doc.strategies_of(objective)
        w.refs(
            element,
            "ObjectiveRelevantIndicatorIds",
            "IndicatorId",
            "indicator",
            [v.indicator.pk for v in doc.indicators_of(objective=objective)],
        )
        w.refs(element, "ObjectiveRelevantStrategyIds", "StrategyId", "strategy", [s.pk for s in strategies])
        w.refs(
            element,
            "ObjectiveRelevantActivityIds",
            "ActivityId",
            "action",
            [a.pk for s in strategies for a in doc.actions_of(s)],
        )


def _indicators(w: _Writer, doc: PlanDocument) -> None:
    if not doc.indicators:
        return
    pool = w.pool("Indicator")
    for number, view in enumerate(doc.indicators, 1):
        i = view.indicator
        element = w.obj(pool, "Indicator", "indicator", i.pk, f"I{number}", i.name)
        w.field(
            element,
            "IndicatorDetails",
            _details(
                ("Unit", i.unit),
                ("Direction", i.direction),
                (
                    "Baseline",
                    f"{i.baseline_value:g} ({i.baseline_date or ''})" if i.baseline_value is not None else "",
                ),
                (
                    "Target",
                    f"{i.target_value:g} ({i.target_date or ''})" if i.target_value is not None else "",
                ),
                ("Frequency", i.frequency),
                ("Method", i.method),
                ("Measured by", i.measured_by),
            ),
        )
        w.refs(
            element,
            "IndicatorMeasurementIds",
            "MeasurementId",
            "measurement",
            [m.pk for m in doc.measurements.get(i.pk, [])],
        )
    measurements = [
        (view.indicator, m) for view in doc.indicators for m in doc.measurements.get(view.indicator.pk, [])
    ]
    if not measurements:
        return
    pool = w.pool("Measurement")
    for indicator, m in measurements:
        element = ET.SubElement(pool, "Measurement", {"Id": w.ids("measurement", m.pk)})
        w.field(
            element, "MeasurementUUID", str(uuid.uuid5(_UUID_ROOT, f"{doc.landscape.pk}:measurement:{m.pk}"))
        )
        w.field(element, "MeasurementDate", m.date.isoformat())
        w.field(element, "MeasurementSummary", f"{m.value:g} {indicator.unit}")
        w.field(element, "MeasurementDetail", _details(("Source", m.source), ("Confidence", m.confidence)))


def _activities(w: _Writer, doc: PlanDocument) -> None:
    if not doc.actions:
        return
    pool = w.pool("Task")
    for number, action in enumerate(doc.actions, 1):
        element = w.obj(pool, "Task", "action", action.pk, f"A{number}", action.title)
        budget = f"{action.budget} {action.currency}" if doc.show_budget and action.budget is not None else ""
        w.field(
            element,
            "TaskDetails",
            _details(
                ("Status", action.status),
                ("Lead", action.lead_organisation.name if action.lead_organisation else ""),
                ("Partners", ", ".join(p.name for p in action.partners.all())),
                ("Start", action.start_date.isoformat() if action.start_date else ""),
                ("End", action.end_date.isoformat() if action.end_date else ""),
                ("Budget", budget),
                ("", action.description),
            ),
        )


def xmpz2(doc: PlanDocument) -> bytes:
    """The XMPZ2 file: a zip with the project XML."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(ENTRY, project_xml(doc))
    return buffer.getvalue()
