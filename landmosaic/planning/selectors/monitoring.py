"""Reads for monitoring and results: indicators with their latest value and progress, objectives'
progress, the four returns side by side, and the starter library."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from landmosaic.core import permissions
from landmosaic.landscapes.models import Landscape

from .. import progress
from ..models import (
    Goal,
    Indicator,
    LibraryIndicator,
    Measurement,
    Objective,
    Return,
    monitoring_subject,
)
from ._common import get_in, section_landscape_get


def monitoring_landscape_get(*, actor: Any, slug: str, action: str = "view") -> Landscape:
    return section_landscape_get(actor=actor, slug=slug, subject=monitoring_subject, action=action)


def library_list(*, pillar: str = "", return_kind: str = "") -> QuerySet[LibraryIndicator]:
    """The starter library (platform data: no permission needed)."""
    qs = LibraryIndicator.objects.all()
    if pillar:
        qs = qs.filter(pillar=pillar)
    if return_kind:
        qs = qs.filter(return_kind=return_kind)
    return qs


@dataclass
class IndicatorView:
    indicator: Indicator
    latest_value: float | None
    latest_date: Any

    @property
    def goal(self) -> Goal:
        """The goal it serves, directly or through its objective."""
        return self.indicator.goal or self.indicator.objective.goal

    @property
    def return_kind(self) -> str:
        return self.goal.return_kind

    @property
    def progress(self) -> float | None:
        i = self.indicator
        return progress.indicator_progress(
            baseline=i.baseline_value, target=i.target_value, value=self.latest_value, direction=i.direction
        )

    @property
    def percent(self) -> int | None:
        return progress.percent(self.progress)

    @property
    def flat_target(self) -> bool:
        """Target equal to the baseline: progress is all or nothing (see progress.py)."""
        i = self.indicator
        return i.baseline_value is not None and i.baseline_value == i.target_value


def _with_latest(qs: QuerySet[Indicator]) -> QuerySet[Indicator]:
    latest = Measurement.objects.filter(indicator=OuterRef("pk")).order_by("-date", "-pk")
    return qs.annotate(
        latest_value=Subquery(latest.values("value")[:1]), latest_date=Subquery(latest.values("date")[:1])
    )


def indicator_list(
    *, actor: Any, landscape: Landscape, objective_id: int | None = None
) -> list[IndicatorView]:
    """Every indicator with its latest measurement and progress, in plan order."""
    permissions.check(actor, "view", monitoring_subject(landscape))
    qs = Indicator.objects.filter(landscape=landscape).select_related("goal", "objective__goal")
    if objective_id:
        qs = qs.filter(objective_id=objective_id)
    views = [
        IndicatorView(indicator=i, latest_value=i.latest_value, latest_date=i.latest_date)
        for i in _with_latest(qs).order_by("name", "pk")
    ]
    for view in views:
        view.indicator.landscape = landscape
    return views


def indicator_get(*, actor: Any, landscape: Landscape, indicator_id: int, action: str = "view") -> Indicator:
    return get_in(
        Indicator.objects.select_related("goal", "objective__goal"),
        landscape,
        indicator_id,
        actor=actor,
        action=action,
        message=_("Indicator not found."),
    )


def indicator_view(*, indicator: Indicator) -> IndicatorView:
    latest = indicator.measurements.order_by("-date", "-pk").first()
    return IndicatorView(
        indicator=indicator,
        latest_value=latest.value if latest else None,
        latest_date=latest.date if latest else None,
    )


def measurement_list(*, actor: Any, indicator: Indicator) -> list[Measurement]:
    permissions.check(actor, "view", indicator)
    return list(indicator.measurements.select_related("recorded_by").order_by("date", "pk"))


def measurement_get(
    *, actor: Any, landscape: Landscape, measurement_id: int, action: str = "view"
) -> Measurement:
    return get_in(
        Measurement.objects.select_related("indicator"),
        landscape,
        measurement_id,
        actor=actor,
        action=action,
        message=_("Measurement not found."),
    )


# --- Progress --------------------------------------------------------------------------------


@dataclass
class ObjectiveProgress:
    objective: Objective
    indicators: list[IndicatorView]

    @property
    def progress(self) -> float | None:
        """Weighted mean of the progress of its measured indicators."""
        return progress.weighted_mean((v.progress, v.indicator.weight) for v in self.indicators)

    @property
    def percent(self) -> int | None:
        return progress.percent(self.progress)

    @property
    def measured(self) -> int:
        return sum(1 for v in self.indicators if v.progress is not None)


@dataclass
class GoalProgress:
    goal: Goal
    #: Indicators of the goal itself (not of its objectives).
    indicators: list[IndicatorView]
    objectives: list[ObjectiveProgress]

    @property
    def progress(self) -> float | None:
        """Weighted mean of the goal's own measured indicators (its objectives are shown apart)."""
        return progress.weighted_mean((v.progress, v.indicator.weight) for v in self.indicators)

    @property
    def percent(self) -> int | None:
        return progress.percent(self.progress)


@dataclass
class Results:
    goals: list[GoalProgress]
    returns: list[progress.ReturnProgress]
    radar: progress.Radar

    @property
    def indicators(self) -> int:
        return sum(r.indicators for r in self.returns)


def results_get(*, actor: Any, landscape: Landscape) -> Results:
    """Progress by goal and objective, and the four returns side by side (never summed)."""
    permissions.check(actor, "view", monitoring_subject(landscape))
    views = indicator_list(actor=actor, landscape=landscape)
    by_objective: dict[int, list[IndicatorView]] = {}
    by_goal: dict[int, list[IndicatorView]] = {}
    for view in views:
        if view.indicator.objective_id:
            by_objective.setdefault(view.indicator.objective_id, []).append(view)
        else:
            by_goal.setdefault(view.indicator.goal_id, []).append(view)
    objectives: dict[int, list[ObjectiveProgress]] = {}
    for objective in Objective.objects.filter(landscape=landscape).order_by("sort", "pk"):
        objectives.setdefault(objective.goal_id, []).append(
            ObjectiveProgress(objective=objective, indicators=by_objective.get(objective.pk, []))
        )
    goals = [
        GoalProgress(goal=goal, indicators=by_goal.get(goal.pk, []), objectives=objectives.get(goal.pk, []))
        for goal in Goal.objects.filter(landscape=landscape).order_by("sort", "pk")
    ]
    returns = progress.returns_progress(
        ((v.return_kind, v.progress, v.indicator.weight) for v in views), Return.choices
    )
    return Results(goals=goals, returns=returns, radar=progress.radar_layout(returns))
