"""Suggested statuses of the plan's outputs: agreement (1.2), vision (3.1), strategy (3.2), action plan
(3.4), tracker (4.2), results (5.1) and monitoring plan (5.2). Pure rules over ``Facts``."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Return, Status
from .suggestions import Facts, Suggestion

#: Output 1.2 is suggested complete when the agreed version in force has this many sign-offs.
AGREEMENT_MIN_SIGN_OFFS = 2


def plan_suggestions(facts: Facts) -> dict[str, Suggestion]:
    return {
        "1.2": _agreement(facts),
        "3.1": _vision(facts),
        "3.2": _strategy(facts),
        "3.4": _action_plan(facts),
        "4.2": _tracker(facts),
        "5.1": _results(facts),
        "5.2": _monitoring(facts),
    }


def _agreement(facts: Facts) -> Suggestion:
    if facts.agreed_version is None and not facts.agreement_drafts:
        return Suggestion(Status.NOT_STARTED, (_("No agreement has been drafted yet."),))
    if facts.agreed_version is None:
        return Suggestion(
            Status.IN_PROGRESS,
            (_("A draft agreement exists; a manager agrees it when the partners accept it."),),
        )
    signed = ngettext(
        "Version %(version)d is agreed and signed by %(count)d organisation.",
        "Version %(version)d is agreed and signed by %(count)d organisations.",
        facts.agreed_sign_offs,
    ) % {"version": facts.agreed_version, "count": facts.agreed_sign_offs}
    if facts.agreed_sign_offs >= AGREEMENT_MIN_SIGN_OFFS:
        return Suggestion(Status.COMPLETE, (signed,))
    rule = _("Suggested complete when at least %(count)d organisations have signed the agreed version.") % {
        "count": AGREEMENT_MIN_SIGN_OFFS
    }
    return Suggestion(Status.IN_PROGRESS, (signed, rule))


def _vision(facts: Facts) -> Suggestion:
    if not facts.has_vision:
        return Suggestion(Status.NOT_STARTED, (_("No vision has been written yet."),))
    if facts.vision_agreed:
        return Suggestion(Status.COMPLETE, (_("The partners agreed the vision."),))
    return Suggestion(
        Status.IN_PROGRESS, (_("The vision is written; a manager marks it agreed when the partners do."),)
    )


def _strategy(facts: Facts) -> Suggestion:
    if not facts.goals:
        return Suggestion(Status.NOT_STARTED, (_("No long-term goal yet."),))
    reasons = [
        ngettext("%(count)d goal is set.", "%(count)d goals are set.", facts.goals) % {"count": facts.goals}
    ]
    if facts.goals_without_objectives:
        reasons.append(
            ngettext(
                "%(count)d goal has no objective yet.",
                "%(count)d goals have no objective yet.",
                facts.goals_without_objectives,
            )
            % {"count": facts.goals_without_objectives}
        )
    returns = len(Return.values)
    if facts.returns_covered < returns:
        reasons.append(
            _("Goals cover %(covered)d of the %(total)d returns.")
            % {"covered": facts.returns_covered, "total": returns}
        )
    if not facts.goals_without_objectives and facts.returns_covered >= returns:
        return Suggestion(
            Status.COMPLETE, (*reasons, _("Every goal has objectives and every return has a goal."))
        )
    return Suggestion(Status.IN_PROGRESS, tuple(reasons))


def _action_plan(facts: Facts) -> Suggestion:
    if not facts.actions:
        return Suggestion(Status.NOT_STARTED, (_("No action is planned yet."),))
    reasons = [
        ngettext("%(count)d action is planned.", "%(count)d actions are planned.", facts.actions)
        % {"count": facts.actions}
    ]
    if facts.objectives_without_actions:
        reasons.append(
            ngettext(
                "%(count)d objective has no action yet.",
                "%(count)d objectives have no action yet.",
                facts.objectives_without_actions,
            )
            % {"count": facts.objectives_without_actions}
        )
    if facts.actions_incomplete:
        reasons.append(
            ngettext(
                "%(count)d action lacks a lead organisation, a start or an end.",
                "%(count)d actions lack a lead organisation, a start or an end.",
                facts.actions_incomplete,
            )
            % {"count": facts.actions_incomplete}
        )
    if len(reasons) == 1:
        return Suggestion(
            Status.COMPLETE, (*reasons, _("Every objective has actions with a lead organisation and dates."))
        )
    return Suggestion(Status.IN_PROGRESS, tuple(reasons))


def _tracker(facts: Facts) -> Suggestion:
    if not facts.actions_tracked:
        if facts.actions:
            return Suggestion(
                Status.NOT_STARTED, (_("No action has a reported status or progress note yet."),)
            )
        return Suggestion()
    reasons = [
        ngettext(
            "%(count)d action has reported progress.",
            "%(count)d actions have reported progress.",
            facts.actions_tracked,
        )
        % {"count": facts.actions_tracked}
    ]
    if facts.actions_unlocated:
        reasons.append(
            ngettext(
                "%(count)d action has no place on the map.",
                "%(count)d actions have no place on the map.",
                facts.actions_unlocated,
            )
            % {"count": facts.actions_unlocated}
        )
    if facts.actions_overdue:
        reasons.append(
            ngettext("%(count)d action is overdue.", "%(count)d actions are overdue.", facts.actions_overdue)
            % {"count": facts.actions_overdue}
        )
    if len(reasons) == 1:
        return Suggestion(Status.COMPLETE, (*reasons, _("Every action is on the map and none is overdue.")))
    return Suggestion(Status.IN_PROGRESS, tuple(reasons))


def _monitoring(facts: Facts) -> Suggestion:
    if not facts.indicators:
        return Suggestion(Status.NOT_STARTED, (_("No indicator yet."),))
    if not facts.indicators_ready:
        return Suggestion(Status.NOT_STARTED, (_("Give the indicators a method and say who measures them."),))
    reasons = [
        ngettext(
            "%(ready)d of %(count)d indicator has a method and someone who measures it.",
            "%(ready)d of %(count)d indicators have a method and someone who measures them.",
            facts.indicators,
        )
        % {"ready": facts.indicators_ready, "count": facts.indicators}
    ]
    if facts.indicators_incomplete:
        reasons.append(
            ngettext(
                "%(count)d indicator lacks a method, who measures, a baseline or a target.",
                "%(count)d indicators lack a method, who measures, a baseline or a target.",
                facts.indicators_incomplete,
            )
            % {"count": facts.indicators_incomplete}
        )
    if facts.objectives_without_indicators:
        reasons.append(
            ngettext(
                "%(count)d objective has no indicator.",
                "%(count)d objectives have no indicator.",
                facts.objectives_without_indicators,
            )
            % {"count": facts.objectives_without_indicators}
        )
    if len(reasons) == 1:
        return Suggestion(Status.COMPLETE, (*reasons, _("Every objective has complete indicators.")))
    return Suggestion(Status.IN_PROGRESS, tuple(reasons))


def _results(facts: Facts) -> Suggestion:
    if not facts.measurements:
        return Suggestion(Status.NOT_STARTED, (_("No measurement is recorded yet."),))
    return Suggestion(
        Status.IN_PROGRESS,
        (
            ngettext(
                "%(measured)d of %(count)d indicator has measurements.",
                "%(measured)d of %(count)d indicators have measurements.",
                facts.indicators,
            )
            % {"measured": facts.indicators_measured, "count": facts.indicators},
            _("Analysing the results is the partnership's work: confirm the status when it is done."),
        ),
    )
