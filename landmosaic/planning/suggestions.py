"""Suggested status of each output, from what exists on the platform (the dashboard's "semi-automation").

Only outputs with something to observe have a rule; the others are "not started" until people say
otherwise. A suggestion never says "validated": validation is a human judgement.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Status

#: Output 1.1 is suggested complete from this many stakeholders in this many sectors, with no gap.
COMPLETE_MIN_STAKEHOLDERS = 5
COMPLETE_MIN_SECTORS = 3


@dataclass(frozen=True)
class Facts:
    """What the platform knows about a landscape's ILM work."""

    boundary_kind: str = "none"  # "none" | "point" | "polygon"
    stakeholders: int = 0
    sectors: int = 0
    inclusion_gaps: int = 0
    relations: int = 0
    has_lead_organisation: bool = False
    # Partnership agreement (1.2)
    agreement_drafts: int = 0
    agreed_version: int | None = None
    agreed_sign_offs: int = 0
    # Vision and strategy (3.1, 3.2)
    has_vision: bool = False
    vision_agreed: bool = False
    goals: int = 0
    goals_without_objectives: int = 0
    returns_covered: int = 0
    # Action plan and tracker (3.4, 4.2)
    objectives: int = 0
    objectives_without_actions: int = 0
    actions: int = 0
    actions_incomplete: int = 0
    actions_tracked: int = 0
    actions_unlocated: int = 0
    actions_overdue: int = 0
    # Monitoring (5.1, 5.2)
    indicators: int = 0
    indicators_ready: int = 0
    indicators_incomplete: int = 0
    objectives_without_indicators: int = 0
    measurements: int = 0
    indicators_measured: int = 0


@dataclass(frozen=True)
class Suggestion:
    status: str = Status.NOT_STARTED
    reasons: tuple[str, ...] = field(default_factory=tuple)


def suggest(facts: Facts) -> dict[str, Suggestion]:
    """{output code: suggestion} for the outputs the platform can observe; others are not started."""
    from .suggestions_plan import plan_suggestions  # the plan rules build on this module

    return {
        "1.1": _stakeholders(facts),
        "1.3": _coordination(facts),
        "2.1": _map(facts),
        "2.4": _relations(facts),
        **plan_suggestions(facts),
    }


def suggestion_for(facts: Facts, code: str) -> Suggestion:
    return suggest(facts).get(code, Suggestion())


def _stakeholders(facts: Facts) -> Suggestion:
    if not facts.stakeholders:
        return Suggestion(Status.NOT_STARTED, (_("No stakeholder is registered yet."),))
    registered = ngettext(
        "%(count)d stakeholder from %(sectors)d sector is registered.",
        "%(count)d stakeholders from %(sectors)d sectors are registered.",
        facts.stakeholders,
    ) % {"count": facts.stakeholders, "sectors": facts.sectors}
    complete = (
        facts.stakeholders >= COMPLETE_MIN_STAKEHOLDERS
        and facts.sectors >= COMPLETE_MIN_SECTORS
        and not facts.inclusion_gaps
    )
    if complete:
        return Suggestion(Status.COMPLETE, (registered, _("The inclusion checks find no gap.")))
    gaps = (
        ngettext(
            "The inclusion checks find %(count)d gap.",
            "The inclusion checks find %(count)d gaps.",
            facts.inclusion_gaps,
        )
        % {"count": facts.inclusion_gaps}
        if facts.inclusion_gaps
        else ""
    )
    rule = _(
        "Suggested complete from %(stakeholders)d stakeholders in %(sectors)d sectors with no inclusion gap."
    ) % {"stakeholders": COMPLETE_MIN_STAKEHOLDERS, "sectors": COMPLETE_MIN_SECTORS}
    return Suggestion(Status.IN_PROGRESS, tuple(r for r in (registered, gaps, rule) if r))


def _coordination(facts: Facts) -> Suggestion:
    if facts.has_lead_organisation:
        return Suggestion(Status.IN_PROGRESS, (_("The partnership has a lead organisation."),))
    return Suggestion()


def _map(facts: Facts) -> Suggestion:
    if facts.boundary_kind == "polygon":
        return Suggestion(Status.IN_PROGRESS, (_("The landscape has a boundary map."),))
    if facts.boundary_kind == "point":
        return Suggestion(
            Status.NOT_STARTED,
            (_("The landscape is located by a single point: draw or upload its boundary."),),
        )
    return Suggestion(Status.NOT_STARTED, (_("The landscape has no boundary yet."),))


def _relations(facts: Facts) -> Suggestion:
    if facts.relations:
        return Suggestion(
            Status.IN_PROGRESS,
            (
                ngettext(
                    "%(count)d relation between stakeholders is recorded.",
                    "%(count)d relations between stakeholders are recorded.",
                    facts.relations,
                )
                % {"count": facts.relations},
            ),
        )
    return Suggestion()
