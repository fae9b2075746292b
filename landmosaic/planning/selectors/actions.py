"""Reads for the action plan and its tracker: actions, timeline rows, status by goal, organisation, zone."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from landmosaic.core import permissions
from landmosaic.landscapes.models import Landscape

from .. import timeline
from ..models import CLOSED, Action, ActionStatus, Element, ProgressNote, Strategy, action_plan_subject
from ._common import get_in, section_landscape_get

#: Located actions drawn on the map at most (the list pages have everything).
MAP_LIMIT = 2000
#: Overdue actions listed on the tracker at most (the count says how many there are).
OVERDUE_LIMIT = 100


def action_plan_landscape_get(*, actor: Any, slug: str, action: str = "view") -> Landscape:
    return section_landscape_get(actor=actor, slug=slug, subject=action_plan_subject, action=action)


def strategy_list(*, actor: Any, landscape: Landscape) -> QuerySet[Strategy]:
    permissions.check(actor, "view", action_plan_subject(landscape))
    return (
        Strategy.objects.filter(landscape=landscape)
        .select_related("objective__goal")
        .order_by(
            "objective__goal__sort", "objective__goal_id", "objective__sort", "objective_id", "sort", "pk"
        )
    )


def strategy_get(*, actor: Any, landscape: Landscape, strategy_id: int, action: str = "view") -> Strategy:
    return get_in(
        Strategy.objects.select_related("objective__goal"),
        landscape,
        strategy_id,
        actor=actor,
        action=action,
        message=_("Strategy not found."),
    )


def action_list(
    *,
    actor: Any,
    landscape: Landscape,
    today: datetime.date,
    status: str = "",
    organisation_id: int | None = None,
    zone_id: int | None = None,
    strategy_id: int | None = None,
    overdue: bool = False,
) -> QuerySet[Action]:
    """Actions in plan order (goal, objective, strategy, start), filtered; paginate the result."""
    permissions.check(actor, "view", action_plan_subject(landscape))
    qs = (
        Action.objects.filter(landscape=landscape)
        .select_related("strategy__objective__goal", "lead_organisation", "zone", "output")
        .prefetch_related("partners")
    )
    if status:
        qs = qs.filter(status=status)
    if organisation_id:
        qs = qs.filter(Q(lead_organisation_id=organisation_id) | Q(partners__id=organisation_id)).distinct()
    if zone_id:
        qs = qs.filter(zone_id=zone_id)
    if strategy_id:
        qs = qs.filter(strategy_id=strategy_id)
    if overdue:
        qs = qs.filter(end_date__lt=today).exclude(status__in=CLOSED)
    return qs.order_by(
        "strategy__objective__goal__sort",
        "strategy__objective__goal_id",
        "strategy__objective__sort",
        "strategy__objective_id",
        "strategy__sort",
        "strategy_id",
        "start_date",
        "pk",
    )


def action_get(*, actor: Any, landscape: Landscape, action_id: int, action: str = "view") -> Action:
    return get_in(
        Action.objects.select_related(
            "strategy__objective__goal", "lead_organisation", "zone", "output"
        ).prefetch_related("partners"),
        landscape,
        action_id,
        actor=actor,
        action=action,
        message=_("Action not found."),
    )


def action_notes(*, actor: Any, action: Action) -> list[ProgressNote]:
    permissions.check(actor, "view", action)
    return list(action.notes.select_related("author"))


def timeline_of(actions: list[Action], *, today: datetime.date) -> timeline.Timeline:
    labels = dict(ActionStatus.choices)
    return timeline.timeline_layout(
        [
            timeline.Row(
                pk=a.pk,
                title=a.title,
                status=a.status,
                status_label=str(labels[a.status]),
                start=a.start_date,
                end=a.end_date,
                overdue=a.is_overdue(today),
            )
            for a in actions
        ],
        today=today,
    )


def actions_geojson(*, actor: Any, landscape: Landscape, today: datetime.date) -> dict[str, Any]:
    """Located actions as a FeatureCollection (name, status and link in the properties)."""
    permissions.check(actor, "view", action_plan_subject(landscape))
    labels = dict(ActionStatus.choices)
    located = Action.objects.filter(landscape=landscape, location__isnull=False)
    rows = located.only("pk", "title", "status", "end_date", "location").order_by("pk")[:MAP_LIMIT]
    features = []
    for a in rows:
        state = str(labels[a.status]) + (f" · {_('overdue')}" if a.is_overdue(today) else "")
        features.append(
            {
                "type": "Feature",
                "geometry": a.location,
                "properties": {
                    "id": a.pk,
                    "name": a.title,
                    "status": a.status,
                    "overdue": a.is_overdue(today),
                    "country": state,  # shown under the name by map.js
                    "url": reverse("planning:action", kwargs={"slug": landscape.slug, "action_id": a.pk}),
                },
            }
        )
    # A plan with thousands of located actions: the map draws the first MAP_LIMIT and says so.
    matched = len(features) if len(features) < MAP_LIMIT else located.count()
    return {"type": "FeatureCollection", "features": features, "numberMatched": matched}


# --- Tracker ---------------------------------------------------------------------------------


@dataclass
class Group:
    """Actions of one goal, organisation or zone, counted by status."""

    key: Any
    label: str
    counts: dict[str, int] = field(default_factory=dict)
    overdue: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def done(self) -> int:
        return self.counts.get(ActionStatus.DONE, 0)

    @property
    def cells(self) -> list[int]:
        """Counts in the order of the statuses (for tables)."""
        return [self.counts.get(code, 0) for code in ActionStatus.values]


@dataclass
class Tracker:
    statuses: list[tuple[str, str]]
    totals: dict[str, int]
    by_goal: list[Group]
    by_organisation: list[Group]
    by_zone: list[Group]
    by_element: list[Group]
    overdue: list[Action]
    overdue_count: int

    @property
    def total(self) -> int:
        return sum(self.totals.values())

    @property
    def summary(self) -> list[tuple[str, str, int]]:
        """(status, label, count) in the order of the statuses."""
        return [(code, label, self.totals.get(code, 0)) for code, label in self.statuses]


def _grouped(rows: Any, key: str, label: str, none_label: str) -> list[Group]:
    groups: dict[Any, Group] = {}
    for row in rows:
        group = groups.setdefault(row[key], Group(key=row[key], label=row[label] or none_label))
        group.counts[row["status"]] = group.counts.get(row["status"], 0) + row["n"]
        group.overdue += row["late"]
    return list(groups.values())


#: The ILM element of actions that name no output: they implement the plan on the ground ("Taking
#: Action"; the tracker itself is output 4.2).
IMPLEMENTATION_ELEMENT = "4"


def _by_element(actions: Any, n: Any, late: Any) -> list[Group]:
    """Actions by the ILM element of the output they work on, in the framework's order."""
    rows = actions.values("output__element__code", "status").annotate(n=n, late=late)
    names = {e.code: e.localized("name") for e in Element.objects.all()}
    groups: dict[str, Group] = {}
    for row in rows:
        code = row["output__element__code"] or IMPLEMENTATION_ELEMENT
        group = groups.setdefault(code, Group(key=int(code), label=f"{code}. {names.get(code, '')}"))
        group.counts[row["status"]] = group.counts.get(row["status"], 0) + row["n"]
        group.overdue += row["late"]
    return [groups[code] for code in sorted(groups)]


def tracker_get(*, actor: Any, landscape: Landscape, today: datetime.date) -> Tracker:
    """Status of the actions by goal, by ILM element, by organisation (lead or partner) and by zone;
    overdue actions."""
    permissions.check(actor, "view", action_plan_subject(landscape))
    actions = Action.objects.filter(landscape=landscape)
    late = Count("pk", filter=Q(end_date__lt=today) & ~Q(status__in=CLOSED), distinct=True)
    n = Count("pk", distinct=True)
    by_goal = (
        actions.values("strategy__objective__goal_id", "strategy__objective__goal__title", "status")
        .annotate(n=n, late=late)
        .order_by("strategy__objective__goal__sort", "strategy__objective__goal_id")
    )
    by_lead = actions.values("lead_organisation_id", "lead_organisation__name", "status").annotate(
        n=n, late=late
    )
    by_partner = (
        actions.filter(partners__isnull=False)
        .values("partners__id", "partners__name", "status")
        .annotate(n=n, late=late)
    )
    by_zone = (
        actions.values("zone_id", "zone__name", "status").annotate(n=n, late=late).order_by("zone__name")
    )
    organisations: dict[Any, Group] = defaultdict(lambda: Group(key=None, label=""))
    # An organisation's actions are those it leads or joins as a partner; the lead is never also a
    # partner (services), so each action counts once per organisation.
    for key, name, rows in (
        ("lead_organisation_id", "lead_organisation__name", by_lead),
        ("partners__id", "partners__name", by_partner),
    ):
        for row in rows:
            group = organisations[row[key]]
            group.key, group.label = row[key], row[name] or _("No lead organisation")
            group.counts[row["status"]] = group.counts.get(row["status"], 0) + row["n"]
            group.overdue += row["late"]
    overdue_qs = (
        actions.filter(end_date__lt=today)
        .exclude(status__in=CLOSED)
        .select_related("lead_organisation", "strategy")
        .order_by("end_date", "pk")
    )
    totals = dict(actions.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return Tracker(
        statuses=list(ActionStatus.choices),
        totals={code: totals.get(code, 0) for code in ActionStatus.values},
        by_goal=_grouped(by_goal, "strategy__objective__goal_id", "strategy__objective__goal__title", ""),
        by_organisation=sorted(organisations.values(), key=lambda g: (g.key is None, g.label.lower())),
        by_zone=sorted(
            _grouped(by_zone, "zone_id", "zone__name", _("No zone")),
            key=lambda g: (g.key is None, g.label.lower()),
        ),
        by_element=_by_element(actions, n, late),
        overdue=list(overdue_qs[:OVERDUE_LIMIT]),
        overdue_count=overdue_qs.count(),
    )
