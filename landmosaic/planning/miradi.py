"""The landscape plan as a Miradi project (XMPZ2: a zip holding ``project.xml``).

Miradi is the Conservation Standards' planning software. The XML follows revision 212 of Miradi's own
schema (``Xmpz2Schema.rnc`` in Miradi's source, namespace
``http://xml.miradi.org/schema/ConservationProject/212``) and is validated against it in the tests
(``tests/planning/miradi_schema``). That is the newest complete revision of the schema we could read; the
namespace names the revision, and whether a current Miradi opens a revision-212 file (newer revisions
rename a few elements) has not been tried with a Miradi install.

What the schema requires, and so what every file has: ``ExportDetails``, ``ProjectSummary``, the four
summary sections (scope, location, planning) and the organisation sections (TNC, WWF, WCS, Rare, FOS;
empty here) and ``ExtraData``. Each object type has a pool (``StrategyPool`` of ``Strategy`` elements with
an integer ``Id`` attribute and children named ``Strategy<Field>``); ``<Type>Id`` inside an object is its
short identifier (text: S1, G1 …) and the same name inside an id list (``StrategySortedActivityIds``) is a
reference (an integer). Text fields that Miradi formats carry lines separated by ``<br/>``.

The mapping from the ILM plan:

* zones -> targets: natural zones are biodiversity targets, combined and economic zones human wellbeing
  targets; a target lists the goals drawn to its zone;
* goals -> goals (return and LandScale pillar in the details), objectives -> objectives (the goal in
  the details, the relevant strategies, activities and indicators by id);
* strategies -> strategies (with their objective), actions -> activities (``Task`` elements, in order
  under their strategy);
* indicators -> indicators (unit, baseline, target, method in the details) with their measurements.

Ids are numbered from 1 across all pools (Miradi ids are project-wide), in a fixed order, so the same plan
gives the same ids. Text goes through ElementTree (escaped) after dropping characters XML 1.0 cannot hold.
The landscape's address on this platform is kept in ``ExtraData`` (section owner ``Landmosaic``).
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any
from xml.etree import ElementTree as ET

from .models import Confidence
from .selectors.report import PlanDocument

SCHEMA_VERSION = "212"
NAMESPACE = f"http://xml.miradi.org/schema/ConservationProject/{SCHEMA_VERSION}"
ENTRY = "project.xml"
EXPORTER = "Landmosaic"
EXPORTER_VERSION = "1"
#: Characters XML 1.0 forbids (control characters other than tab, newline and carriage return).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Sections the schema requires even when empty, in Miradi's order.
_REQUIRED_SECTIONS = (
    "ProjectSummaryScope",
    "ProjectSummaryLocation",
    "ProjectSummaryPlanning",
    "TncProjectData",
    "WwfProjectData",
    "WCSData",
    "RareProjectData",
    "FosProjectData",
)
#: Our confidence levels in Miradi's measurement source vocabulary.
_SOURCE = {
    Confidence.LOW: "RoughGuess",
    Confidence.MEDIUM: "ExpertKnowledge",
    Confidence.HIGH: "IntensiveAssessment",
}

ET.register_namespace("miradi", NAMESPACE)


def _q(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


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
        self.root = ET.Element(_q("ConservationProject"))

    def section(self, name: str) -> ET.Element:
        return ET.SubElement(self.root, _q(name))

    def obj(self, pool: ET.Element, name: str, kind: str, pk: int, identifier: str, label: str) -> ET.Element:
        element = ET.SubElement(pool, _q(name), {"Id": self.ids(kind, pk)})
        self.field(element, f"{name}Id", identifier)
        self.field(element, f"{name}Name", label)
        return element

    def field(self, parent: ET.Element, name: str, text: Any) -> None:
        if text not in (None, ""):
            ET.SubElement(parent, _q(name)).text = _clean(text)

    def formatted(self, parent: ET.Element, name: str, lines: list[str]) -> None:
        """A formatted text field: the lines with ``<br/>`` between them (Miradi's line break)."""
        lines = [_clean(line) for line in lines if line not in (None, "")]
        if not lines:
            return
        element = ET.SubElement(parent, _q(name))
        element.text = lines[0]
        for line in lines[1:]:
            ET.SubElement(element, "br").tail = line  # no namespace: Miradi's formatted text is HTML-like

    def refs(self, parent: ET.Element, name: str, item: str, kind: str, pks: list[int]) -> None:
        if pks:
            container = ET.SubElement(parent, _q(name))
            for pk in pks:
                ET.SubElement(container, _q(item)).text = self.ids(kind, pk)


def _details(*lines: tuple[str, Any]) -> list[str]:
    return [f"{label}: {value}" if label else str(value) for label, value in lines if value not in (None, "")]


def project_xml(doc: PlanDocument) -> bytes:
    """The Miradi project XML of the plan (UTF-8, with an XML declaration)."""
    w = _Writer(doc)
    export = w.section("ExportDetails")
    w.field(export, "ExporterName", EXPORTER)
    w.field(export, "ExporterVersion", EXPORTER_VERSION)
    w.field(export, "ExportTime", doc.generated_at.isoformat(timespec="seconds"))
    summary = w.section("ProjectSummary")
    w.field(summary, "ProjectSummaryProjectName", doc.landscape.name)
    w.formatted(summary, "ProjectSummaryProjectDescription", [doc.landscape.description])
    sections = {name: w.section(name) for name in _REQUIRED_SECTIONS}
    if doc.vision is not None:
        w.formatted(
            sections["ProjectSummaryScope"],
            "ProjectSummaryScopeProjectVision",
            [f"{doc.vision.statement} ({doc.vision.horizon_year})"],
        )
    _targets(w, doc)
    _strategies(w, doc)
    _goals_and_objectives(w, doc)
    _indicators(w, doc)
    _activities(w, doc)
    extra = ET.SubElement(w.section("ExtraData"), _q("ExtraDataSection"), {"owner": EXPORTER})
    for name, value in (("LandscapeSlug", doc.landscape.slug), ("LandscapeId", doc.landscape.pk)):
        item = ET.SubElement(extra, _q("ExtraDataItem"), {"ExtraDataItemName": name})
        w.field(item, "ExtraDataItemValue", value)
    ET.indent(w.root)
    return ET.tostring(w.root, encoding="utf-8", xml_declaration=True)


def _targets(w: _Writer, doc: PlanDocument) -> None:
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
        if not zones:
            continue
        pool = w.section(f"{pool_name}Pool")
        for zone in zones:
            target = w.obj(pool, pool_name, "zone", zone.pk, f"Z{numbers[zone.pk]}", zone.name)
            w.formatted(
                target,
                f"{pool_name}Details",
                _details(("Zone", zone.kind), ("Area (ha)", round(zone.area_ha, 1)), ("", zone.description)),
            )
            w.refs(target, f"{pool_name}GoalIds", "GoalId", "goal", goals_by_zone.get(zone.pk, []))


def _strategies(w: _Writer, doc: PlanDocument) -> None:
    if not doc.strategies:
        return
    pool = w.section("StrategyPool")
    for number, strategy in enumerate(doc.strategies, 1):
        element = w.obj(pool, "Strategy", "strategy", strategy.pk, f"S{number}", strategy.title)
        w.formatted(element, "StrategyDetails", [strategy.description])
        w.refs(element, "StrategyObjectiveIds", "ObjectiveId", "objective", [strategy.objective_id])
        w.refs(
            element,
            "StrategySortedActivityIds",
            "ActivityId",
            "action",
            [a.pk for a in doc.actions_of(strategy)],
        )
        w.field(element, "StrategyStatus", "Real")


def _goals_and_objectives(w: _Writer, doc: PlanDocument) -> None:
    if not doc.goals:
        return
    goals = w.section("GoalPool")
    objectives = []
    for g_number, goal in enumerate(doc.goals, 1):
        element = w.obj(goals, "Goal", "goal", goal.pk, f"G{g_number}", goal.title)
        w.formatted(
            element,
            "GoalDetails",
            _details(("Return", goal.return_kind), ("LandScale pillar", goal.pillar), ("", goal.description)),
        )
        strategies = [s for o in goal.objectives.all() for s in doc.strategies_of(o)]
        w.refs(
            element,
            "GoalRelevantActivityIds",
            "ActivityId",
            "action",
            [a.pk for s in strategies for a in doc.actions_of(s)],
        )
        w.refs(
            element,
            "GoalRelevantIndicatorIds",
            "IndicatorId",
            "indicator",
            [v.indicator.pk for v in doc.indicators_of(goal=goal)],
        )
        w.refs(element, "GoalRelevantStrategyIds", "StrategyId", "strategy", [s.pk for s in strategies])
        objectives += [(f"O{g_number}.{n}", goal, o) for n, o in enumerate(goal.objectives.all(), 1)]
    if not objectives:
        return
    pool = w.section("ObjectivePool")
    for identifier, goal, objective in objectives:
        element = w.obj(pool, "Objective", "objective", objective.pk, identifier, objective.what)
        w.formatted(
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
            "ObjectiveRelevantActivityIds",
            "ActivityId",
            "action",
            [a.pk for s in strategies for a in doc.actions_of(s)],
        )
        w.refs(
            element,
            "ObjectiveRelevantIndicatorIds",
            "IndicatorId",
            "indicator",
            [v.indicator.pk for v in doc.indicators_of(objective=objective)],
        )
        w.refs(element, "ObjectiveRelevantStrategyIds", "StrategyId", "strategy", [s.pk for s in strategies])


def _indicators(w: _Writer, doc: PlanDocument) -> None:
    if not doc.indicators:
        return
    pool = w.section("IndicatorPool")
    for number, view in enumerate(doc.indicators, 1):
        i = view.indicator
        element = w.obj(pool, "Indicator", "indicator", i.pk, f"I{number}", i.name)
        w.formatted(
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
    pool = w.section("MeasurementPool")
    for indicator, m in measurements:
        element = ET.SubElement(pool, _q("Measurement"), {"Id": w.ids("measurement", m.pk)})
        w.field(element, "MeasurementDate", m.date.isoformat())
        w.formatted(
            element, "MeasurementDetail", _details(("Source", m.source), ("Confidence", m.confidence))
        )
        w.field(element, "MeasurementMeasurementValue", f"{m.value:g} {indicator.unit}".strip())
        w.field(element, "MeasurementSource", _SOURCE.get(m.confidence, ""))


def _activities(w: _Writer, doc: PlanDocument) -> None:
    if not doc.actions:
        return
    pool = w.section("TaskPool")
    for number, action in enumerate(doc.actions, 1):
        element = w.obj(pool, "Task", "action", action.pk, f"A{number}", action.title)
        budget = f"{action.budget} {action.currency}" if doc.show_budget and action.budget is not None else ""
        w.formatted(
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
