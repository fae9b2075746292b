"""Reads for the ILM dashboard and the stakeholder register; all permission-checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from landmosaic.core import permissions
from landmosaic.core.errors import NotFound
from landmosaic.landscapes.models import Landscape
from landmosaic.landscapes.selectors import landscape_get

from .. import analysis
from ..checks import CheckResult, Record, gap_count, inclusion_checks
from ..models import (
    DONE,
    Element,
    Evidence,
    Output,
    OutputStatus,
    Sector,
    Stakeholder,
    StakeholderRelation,
    Status,
    plan_subject,
    register_subject,
)
from ..suggestions import Facts, Suggestion, suggest
from .evidence import Found, platform_evidence
from .facts import plan_work_facts

#: How many next steps the dashboard proposes.
NEXT_STEPS = 3


# --- The dashboard ---------------------------------------------------------------------------


@dataclass
class OutputView:
    """One output as a landscape sees it: suggested and confirmed status, evidence, next steps."""

    output: Output
    suggestion: Suggestion
    record: OutputStatus | None
    evidence: list[Evidence]
    #: Where on the platform the caller can work on this output (set by the interface).
    feature_url: str = ""
    #: Evidence found on the platform (datasets tagged with the output, pages of the plan).
    found: list[Found] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.output.code

    @property
    def name(self) -> str:
        return self.output.localized("name")

    @property
    def description(self) -> str:
        return self.output.localized("description")

    @property
    def next_steps(self) -> list[str]:
        return list(self.output.localized("next_steps") or [])

    @property
    def confirmed(self) -> str:
        return self.record.status if self.record else ""

    @property
    def status(self) -> str:
        """What counts: the confirmed status if someone confirmed one, else the suggestion."""
        return self.confirmed or self.suggestion.status

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    @property
    def suggested_label(self) -> str:
        return str(Status(self.suggestion.status).label)

    @property
    def differs(self) -> bool:
        return bool(self.confirmed) and self.confirmed != self.suggestion.status

    @property
    def done(self) -> bool:
        return self.status in DONE

    @property
    def next_step(self) -> str:
        # Steps are ordered: work in progress has usually done the first one already.
        steps = self.next_steps
        if not steps:
            return ""
        return steps[1] if self.status == Status.IN_PROGRESS and len(steps) > 1 else steps[0]


@dataclass
class ElementView:
    element: Element
    outputs: list[OutputView]

    @property
    def code(self) -> str:
        return self.element.code

    @property
    def name(self) -> str:
        return self.element.localized("name")

    @property
    def description(self) -> str:
        return self.element.localized("description")

    @property
    def complete(self) -> int:
        return sum(1 for o in self.outputs if o.done)

    @property
    def total(self) -> int:
        return len(self.outputs)

    @property
    def progress(self) -> float:
        """Element progress = completed outputs / outputs (ILM.md)."""
        return self.complete / self.total if self.total else 0.0

    @property
    def percent(self) -> int:
        return round(self.progress * 100)


@dataclass
class Plan:
    landscape: Landscape
    elements: list[ElementView]
    facts: Facts

    @property
    def outputs(self) -> list[OutputView]:
        return [o for e in self.elements for o in e.outputs]

    @property
    def next_steps(self) -> list[OutputView]:
        """Unfinished outputs to work on next: work in progress first, then in framework order."""
        pending = [o for o in self.outputs if not o.done]
        pending.sort(key=lambda o: o.status != Status.IN_PROGRESS)  # stable: keeps framework order
        return pending[:NEXT_STEPS]

    def output(self, code: str) -> OutputView:
        for view in self.outputs:
            if view.code == code:
                return view
        raise NotFound(_("There is no output %(code)s in the ILM framework.") % {"code": code})


def plan_landscape_get(*, actor: Any, slug: str, action: str = "view") -> Landscape:
    """The landscape whose dashboard is asked for; 404 if hidden, 403 if ``action`` is not allowed."""
    landscape = landscape_get(actor=actor, slug=slug)
    permissions.check(actor, action, plan_subject(landscape))
    return landscape


def plan_facts(*, landscape: Landscape) -> Facts:
    """What the platform observes about the landscape's ILM work (no permission check: internal)."""
    records = stakeholder_records(landscape=landscape)
    partnership = getattr(landscape, "partnership", None)
    return Facts(
        boundary_kind=landscape.boundary_kind,
        stakeholders=len(records),
        sectors=len({r.sector for r in records}),
        inclusion_gaps=gap_count(inclusion_checks(records)) if records else 0,
        relations=StakeholderRelation.objects.filter(landscape=landscape).count(),
        has_lead_organisation=bool(partnership and partnership.lead_organisation_id),
        **plan_work_facts(landscape=landscape, today=timezone.localdate()),
    )


def plan_get(*, actor: Any, landscape: Landscape) -> Plan:
    """The five elements with their outputs' statuses and progress, in a constant number of queries."""
    permissions.check(actor, "view", plan_subject(landscape))
    facts = plan_facts(landscape=landscape)
    suggestions = suggest(facts)
    found = platform_evidence(actor=actor, landscape=landscape, facts=facts)
    records = {
        r.output_id: r
        for r in OutputStatus.objects.filter(landscape=landscape)
        .select_related("confirmed_by", "updated_by")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.select_related("added_by")))
    }
    elements = Element.objects.prefetch_related(
        Prefetch("outputs", queryset=Output.objects.order_by("sort", "code"))
    )
    views = []
    for element in elements:
        outputs = []
        for output in element.outputs.all():
            record = records.get(output.pk)
            outputs.append(
                OutputView(
                    output=output,
                    suggestion=suggestions.get(output.code, Suggestion()),
                    record=record,
                    evidence=list(record.evidence.all()) if record else [],
                    found=found.get(output.code, []),
                )
            )
        views.append(ElementView(element=element, outputs=outputs))
    return Plan(landscape=landscape, elements=views, facts=facts)


def output_view_get(*, actor: Any, landscape: Landscape, code: str) -> OutputView:
    return plan_get(actor=actor, landscape=landscape).output(code)


# --- The stakeholder register ----------------------------------------------------------------


def register_landscape_get(*, actor: Any, slug: str, action: str = "view") -> Landscape:
    """The landscape whose register is asked for; 404 if hidden, 403 if the register is not for them."""
    landscape = landscape_get(actor=actor, slug=slug)
    permissions.check(actor, action, register_subject(landscape))
    return landscape


def stakeholder_list(
    *, actor: Any, landscape: Landscape, search: str = "", sector: str = ""
) -> QuerySet[Stakeholder]:
    permissions.check(actor, "view", register_subject(landscape))
    qs = Stakeholder.objects.filter(landscape=landscape).select_related("organisation")
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(type__icontains=search) | Q(role__icontains=search))
    if sector:
        qs = qs.filter(sector=sector)
    return qs.order_by("name", "pk")


def stakeholder_get(
    *, actor: Any, landscape: Landscape, stakeholder_id: int, action: str = "view"
) -> Stakeholder:
    stakeholder = (
        Stakeholder.objects.filter(landscape=landscape, pk=stakeholder_id)
        .select_related("organisation")
        .first()
    )
    if stakeholder is None:
        raise NotFound(_("Stakeholder not found."))
    permissions.check(actor, action, stakeholder)
    return stakeholder


def stakeholder_records(*, landscape: Landscape) -> list[Record]:
    """The register as plain records for checks and suggestions (internal: no permission check)."""
    return [
        Record(name, sector, influence, interest, participation, frozenset(represents or ()))
        for name, sector, influence, interest, participation, represents in Stakeholder.objects.filter(
            landscape=landscape
        )
        .order_by("name", "pk")
        .values_list("name", "sector", "influence", "interest", "participation", "represents")
    ]


def stakeholder_checks(*, actor: Any, landscape: Landscape) -> list[CheckResult]:
    permissions.check(actor, "view", register_subject(landscape))
    return inclusion_checks(stakeholder_records(landscape=landscape))


def stakeholder_grid(*, actor: Any, landscape: Landscape) -> analysis.Grid:
    """The power/interest grid, stakeholders numbered in alphabetical order."""
    permissions.check(actor, "view", register_subject(landscape))
    return analysis.grid_layout(
        list(
            Stakeholder.objects.filter(landscape=landscape)
            .order_by("name", "pk")
            .values_list("pk", "name", "influence", "interest")
        )
    )


def relation_list(
    *, actor: Any, landscape: Landscape, stakeholder: Stakeholder | None = None
) -> QuerySet[StakeholderRelation]:
    """The register's relations, or those of one stakeholder (either end)."""
    permissions.check(actor, "view", register_subject(landscape))
    qs = StakeholderRelation.objects.filter(landscape=landscape).select_related("source", "target")
    if stakeholder is not None:
        qs = qs.filter(Q(source=stakeholder) | Q(target=stakeholder))
    return qs


def relation_get(*, actor: Any, landscape: Landscape, relation_id: int) -> StakeholderRelation:
    relation = relation_list(actor=actor, landscape=landscape).filter(pk=relation_id).first()
    if relation is None:
        raise NotFound(_("Relation not found."))
    return relation


def stakeholder_network(*, actor: Any, landscape: Landscape) -> analysis.Network:
    permissions.check(actor, "view", register_subject(landscape))
    stakeholders = Stakeholder.objects.filter(landscape=landscape).values_list("pk", "name", "sector")
    relations = [
        (r.source_id, r.target_id, r.kind, r.directed)
        for r in StakeholderRelation.objects.filter(landscape=landscape).only(
            "source_id", "target_id", "kind"
        )
    ]
    return analysis.network_layout(list(stakeholders), relations, sector_labels=dict(Sector.choices))
