"""The whole landscape plan in one read, for the printable plan and the JSON and Miradi exports."""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max
from django.utils import timezone

from landmosaic.core import permissions
from landmosaic.landscapes.models import Landscape

from ..models import (
    Action,
    ActionStatus,
    Goal,
    Indicator,
    Measurement,
    Objective,
    Strategy,
    Vision,
    Zone,
    action_plan_subject,
    monitoring_subject,
    strategy_subject,
)
from ..zonemap import ZoneMap, zone_map
from .actions import action_list, strategy_list
from .monitoring import IndicatorView, indicator_list
from .strategy import goal_list, vision_get, zone_list


@dataclass
class PlanDocument:
    """Vision, zones, goals, objectives, strategies, actions, indicators and their measurements, as the
    caller may see them (budgets only for those who may see budgets)."""

    landscape: Landscape
    vision: Vision | None
    zones: list[Zone]
    goals: list[Goal]
    strategies: list[Strategy]
    actions: list[Action]
    indicators: list[IndicatorView]
    measurements: dict[int, list[Measurement]]
    show_budget: bool
    today: datetime.date
    generated_at: datetime.datetime = field(default_factory=timezone.now)

    def __post_init__(self) -> None:
        # Indexes built once: the page and the exports look parts up by their parent (thousands of
        # actions must not mean thousands of scans).
        self._by_strategy: dict[int, list[Action]] = defaultdict(list)
        labels = {code: str(label) for code, label in ActionStatus.choices}  # translated once, not per row
        for action in self.actions:
            action.overdue = action.is_overdue(self.today)
            action.status_label = labels[action.status]
            self._by_strategy[action.strategy_id].append(action)
        self._by_objective: dict[int, list[Strategy]] = defaultdict(list)
        for strategy in self.strategies:
            self._by_objective[strategy.objective_id].append(strategy)
        self._goal_indicators: dict[int, list[IndicatorView]] = defaultdict(list)
        self._objective_indicators: dict[int, list[IndicatorView]] = defaultdict(list)
        for view in self.indicators:
            if view.indicator.objective_id:
                self._objective_indicators[view.indicator.objective_id].append(view)
            else:
                self._goal_indicators[view.indicator.goal_id].append(view)

    @property
    def objectives(self) -> list[Objective]:
        return [o for g in self.goals for o in g.objectives.all()]

    @property
    def zone_map(self) -> ZoneMap | None:
        """The boundary and the zones as SVG paths: the printed plan needs no map tiles."""
        return zone_map(self.landscape.boundary_geojson, ((z.name, z.kind, z.geometry) for z in self.zones))

    def indicators_of(self, *, goal: Goal | None = None, objective: Objective | None = None) -> list[Any]:
        if objective is not None:
            return self._objective_indicators.get(objective.pk, [])
        return self._goal_indicators.get(goal.pk, []) if goal is not None else []

    def strategies_of(self, objective: Objective) -> list[Strategy]:
        return self._by_objective.get(objective.pk, [])

    def actions_of(self, strategy: Strategy) -> list[Action]:
        return self._by_strategy.get(strategy.pk, [])

    @property
    def outline(self) -> list[dict[str, Any]]:
        """Goals > objectives > strategies > actions, with the indicators at each level, for templates."""
        return [
            {
                "goal": goal,
                "indicators": self.indicators_of(goal=goal),
                "objectives": [
                    {
                        "objective": objective,
                        "indicators": self.indicators_of(objective=objective),
                        "strategies": [
                            {"strategy": s, "actions": self.actions_of(s)}
                            for s in self.strategies_of(objective)
                        ],
                    }
                    for objective in goal.objectives.all()
                ],
            }
            for goal in self.goals
        ]


def plan_document_get(*, actor: Any, landscape: Landscape) -> PlanDocument:
    """Everything of the plan in a constant number of queries; the caller must see each part."""
    for subject in (strategy_subject, action_plan_subject, monitoring_subject):
        permissions.check(actor, "view", subject(landscape))
    today = timezone.localdate()
    indicators = indicator_list(actor=actor, landscape=landscape)
    by_indicator: dict[int, list[Measurement]] = {v.indicator.pk: [] for v in indicators}
    for measurement in Measurement.objects.filter(landscape=landscape).order_by("indicator_id", "date", "pk"):
        by_indicator.setdefault(measurement.indicator_id, []).append(measurement)
    return PlanDocument(
        landscape=landscape,
        vision=vision_get(actor=actor, landscape=landscape),
        zones=zone_list(actor=actor, landscape=landscape),
        goals=goal_list(actor=actor, landscape=landscape),
        strategies=list(strategy_list(actor=actor, landscape=landscape)),
        actions=list(action_list(actor=actor, landscape=landscape, today=today)),
        indicators=sorted(indicators, key=lambda v: (v.indicator.name.casefold(), v.indicator.pk)),
        measurements=by_indicator,
        show_budget=permissions.can(actor, "view_budget", action_plan_subject(landscape)),
        today=today,
    )


@dataclass(frozen=True)
class PlanRevision:
    """What a plan export's content depends on, as a key, and the plan's size."""

    key: str
    actions: int
    budgets: bool


def plan_revision_get(*, actor: Any, landscape: Landscape) -> PlanRevision:
    """A key that changes whenever the export the caller would get changes, in a few small queries.

    Every part of the plan has ``updated_at`` (set on each save, so the newest one moves forward on any
    change, and services save a goal or an action when they change its zones or partners); deletions
    change the count. Measurements are only added or deleted. The date is part of it (overdue actions),
    and so is whether the caller sees budgets. Not part of it: renaming an organisation elsewhere, which
    reaches the export with the next change of the plan or the next day."""
    for subject in (strategy_subject, action_plan_subject, monitoring_subject):
        permissions.check(actor, "view", subject(landscape))
    show_budget = permissions.can(actor, "view_budget", action_plan_subject(landscape))
    parts: list[Any] = [
        landscape.pk,
        landscape.name,
        landscape.description,
        timezone.localdate(),
        show_budget,
    ]
    actions = 0
    for model in (Vision, Zone, Goal, Objective, Strategy, Action, Indicator):
        row = model.objects.filter(landscape=landscape).aggregate(
            n=Count("pk"), last=Max("updated_at"), top=Max("pk")
        )
        parts.append((model.__name__, row["n"], row["last"], row["top"]))
        if model is Action:
            actions = row["n"]
    parts.append(Measurement.objects.filter(landscape=landscape).aggregate(n=Count("pk"), top=Max("pk")))
    key = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return PlanRevision(key=key, actions=actions, budgets=show_budget)
