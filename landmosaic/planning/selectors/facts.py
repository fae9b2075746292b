"""What exists of the plan's work, counted in a constant number of queries (for the suggestions)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q

from landmosaic.landscapes.models import Landscape

from ..models import (
    CLOSED,
    Action,
    ActionStatus,
    AgreementVersion,
    Goal,
    Indicator,
    Measurement,
    Objective,
    ProgressNote,
    SignOff,
    Vision,
)


def _agreement(landscape: Landscape) -> dict[str, Any]:
    versions = list(AgreementVersion.objects.filter(landscape=landscape).values_list("number", "state"))
    agreed = [n for n, state in versions if state == AgreementVersion.State.AGREED]
    in_force = max(agreed) if agreed else None
    return {
        "agreement_drafts": sum(1 for _n, state in versions if state == AgreementVersion.State.DRAFT),
        "agreed_version": in_force,
        "agreed_sign_offs": SignOff.objects.filter(landscape=landscape, version__number=in_force).count()
        if in_force
        else 0,
    }


def _strategy(landscape: Landscape) -> dict[str, Any]:
    vision = Vision.objects.filter(landscape=landscape).values("statement", "agreed_at").first()
    goals = list(
        Goal.objects.filter(landscape=landscape)
        .annotate(n=Count("objectives"))
        .values_list("return_kind", "n")
    )
    return {
        "has_vision": bool(vision and vision["statement"]),
        "vision_agreed": bool(vision and vision["agreed_at"]),
        "goals": len(goals),
        "goals_without_objectives": sum(1 for _r, n in goals if not n),
        "returns_covered": len({r for r, _n in goals}),
    }


def _actions(landscape: Landscape, today: datetime.date) -> dict[str, Any]:
    objectives = Objective.objects.filter(landscape=landscape).aggregate(
        total=Count("pk"),
        without_actions=Count(
            "pk", filter=~Q(Exists(Action.objects.filter(strategy__objective=OuterRef("pk"))))
        ),
        without_indicators=Count("pk", filter=~Q(Exists(Indicator.objects.filter(objective=OuterRef("pk"))))),
    )
    open_ = ~Q(status__in=CLOSED)
    actions = Action.objects.filter(landscape=landscape).aggregate(
        total=Count("pk"),
        incomplete=Count(
            "pk",
            filter=~Q(status=ActionStatus.CANCELLED)
            & (Q(lead_organisation__isnull=True) | Q(start_date__isnull=True) | Q(end_date__isnull=True)),
        ),
        tracked=Count(
            "pk",
            filter=~Q(status=ActionStatus.PLANNED)
            | Q(Exists(ProgressNote.objects.filter(action=OuterRef("pk")))),
        ),
        unlocated=Count("pk", filter=~Q(status=ActionStatus.CANCELLED) & Q(location__isnull=True)),
        overdue=Count("pk", filter=open_ & Q(end_date__lt=today)),
    )
    return {
        "objectives": objectives["total"],
        "objectives_without_actions": objectives["without_actions"],
        "objectives_without_indicators": objectives["without_indicators"],
        "actions": actions["total"],
        "actions_incomplete": actions["incomplete"],
        "actions_tracked": actions["tracked"],
        "actions_unlocated": actions["unlocated"],
        "actions_overdue": actions["overdue"],
    }


def _monitoring(landscape: Landscape) -> dict[str, Any]:
    ready = ~Q(method="") & ~Q(measured_by="")
    indicators = Indicator.objects.filter(landscape=landscape).aggregate(
        total=Count("pk"),
        ready=Count("pk", filter=ready),
        incomplete=Count(
            "pk",
            filter=~ready | Q(baseline_value__isnull=True) | Q(target_value__isnull=True),
        ),
        measured=Count("pk", filter=Q(Exists(Measurement.objects.filter(indicator=OuterRef("pk"))))),
    )
    return {
        "indicators": indicators["total"],
        "indicators_ready": indicators["ready"],
        "indicators_incomplete": indicators["incomplete"],
        "measurements": Measurement.objects.filter(landscape=landscape).count(),
        "indicators_measured": indicators["measured"],
    }


def plan_work_facts(*, landscape: Landscape, today: datetime.date) -> dict[str, Any]:
    """Facts fields about the agreement, strategy, action plan and monitoring (internal: no check)."""
    return {
        **_agreement(landscape),
        **_strategy(landscape),
        **_actions(landscape, today),
        **_monitoring(landscape),
    }
