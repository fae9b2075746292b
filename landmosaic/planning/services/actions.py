"""Writes for the action plan (3.4) and its tracker (4.2): strategies, actions, progress reports."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from landmosaic.accounts.models import Organisation, User
from landmosaic.core import permissions
from landmosaic.core.errors import Conflict, ValidationFailed
from landmosaic.core.models import AuditEvent
from landmosaic.landscapes.models import Landscape

from .. import geometry
from ..models import (
    Action,
    ActionStatus,
    Objective,
    Output,
    ProgressNote,
    Strategy,
    Zone,
    action_plan_subject,
)
from ._common import audit, clean, field_error, in_landscape

STRATEGY_FIELDS = ("objective_id", "title", "description", "sort")
ACTION_FIELDS = (
    "strategy_id",
    "title",
    "description",
    "lead_organisation_id",
    "partner_ids",
    "budget",
    "currency",
    "start_date",
    "end_date",
    "status",
    "location",
    "zone_id",
    "output_code",
)


def _output(code: str | None) -> Output | None:
    """The ILM output an action works on, by its code ("1.1"); empty for none."""
    if not code:
        return None
    output = Output.objects.filter(code=code).first()
    if output is None:
        raise field_error(
            "output_code", _("There is no output %(code)s in the ILM framework.") % {"code": code}
        )
    return output


def _unknown(changes: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})


# --- Strategies ------------------------------------------------------------------------------


@transaction.atomic
def strategy_save(
    *, actor: User, landscape: Landscape, strategy: Strategy | None = None, **changes: Any
) -> Strategy:
    """Create a strategy under an objective (``strategy`` None) or change one (editors)."""
    _unknown(changes, STRATEGY_FIELDS)
    permissions.check(actor, "change", strategy or action_plan_subject(landscape))
    created = strategy is None
    strategy = strategy or Strategy(landscape=landscape, created_by=actor)
    strategy.landscape = landscape
    if created or "objective_id" in changes:
        strategy.objective = in_landscape(
            Objective,
            changes.get("objective_id"),
            landscape,
            field="objective",
            message=_("Choose an objective of this landscape."),
        )
    for field in ("title", "description"):
        if field in changes:
            setattr(strategy, field, (changes[field] or "").strip())
    if "sort" in changes:
        strategy.sort = changes["sort"] or 0
    clean(strategy, exclude=["landscape", "objective", "created_by"], message=_("Check the strategy."))
    strategy.save()
    audit(
        actor,
        AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        strategy,
        "strategy",
        f"Strategy “{strategy.title[:100]}” {'added' if created else 'changed'}",
        fields=sorted(changes),
    )
    return strategy


@transaction.atomic
def strategy_delete(*, actor: User, strategy: Strategy) -> None:
    """Remove a strategy without actions (editors)."""
    permissions.check(actor, "change", strategy)
    if strategy.actions.exists():
        raise Conflict(_("Remove or move this strategy's actions first."))
    audit(actor, AuditEvent.Action.DELETE, strategy, "strategy", f"Strategy “{strategy.title[:100]}” removed")
    strategy.delete()


# --- Actions ---------------------------------------------------------------------------------


def _budget(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        budget = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise field_error("budget", _("Enter an amount.")) from exc
    if not budget.is_finite() or budget < 0:
        raise field_error("budget", _("Enter an amount of zero or more."))
    return budget


def _organisations(ids: Any, field: str) -> list[Organisation]:
    ids = list(dict.fromkeys(ids or []))
    found = list(Organisation.objects.filter(pk__in=[i for i in ids if isinstance(i, int)]))
    if len(found) != len(ids):
        raise field_error(field, _("Choose organisations that are on the platform."))
    return found


@transaction.atomic
def action_save(*, actor: User, landscape: Landscape, action: Action | None = None, **changes: Any) -> Action:
    """Create an action under a strategy (``action`` None) or change one (editors)."""
    _unknown(changes, ACTION_FIELDS)
    permissions.check(actor, "change", action or action_plan_subject(landscape))
    created = action is None
    action = action or Action(landscape=landscape, created_by=actor)
    action.landscape = landscape
    if created or "strategy_id" in changes:
        action.strategy = in_landscape(
            Strategy,
            changes.get("strategy_id"),
            landscape,
            field="strategy",
            message=_("Choose a strategy of this landscape."),
        )
    if "zone_id" in changes:
        zone_id = changes["zone_id"]
        action.zone = (
            None
            if zone_id is None
            else in_landscape(
                Zone, zone_id, landscape, field="zone", message=_("Choose a zone of this landscape.")
            )
        )
    if "output_code" in changes:
        action.output = _output(changes["output_code"])
    if "lead_organisation_id" in changes:
        lead = changes["lead_organisation_id"]
        action.lead_organisation = None if lead is None else _organisations([lead], "lead_organisation")[0]
    partners = _organisations(changes["partner_ids"], "partners") if "partner_ids" in changes else None
    for field in ("title", "description"):
        if field in changes:
            setattr(action, field, (changes[field] or "").strip())
    if "currency" in changes:
        action.currency = (changes["currency"] or "").strip().upper()
    if "budget" in changes:
        action.budget = _budget(changes["budget"])
    for field in ("start_date", "end_date", "status"):
        if field in changes:
            setattr(action, field, changes[field])
    if "location" in changes:
        action.location = geometry.location(landscape=landscape, geometry=changes["location"])
    if action.budget is not None and not action.currency:
        raise field_error("currency", _("Give the currency of the budget (ISO 4217, such as USD or EUR)."))
    if action.start_date and action.end_date and action.end_date < action.start_date:
        raise field_error("end_date", _("The end must be on or after the start."))
    action.updated_by = actor
    clean(
        action,
        exclude=["landscape", "strategy", "zone", "output", "lead_organisation", "created_by", "updated_by"],
        message=_("Check the action."),
    )
    action.save()
    if partners is not None or "lead_organisation_id" in changes:
        # The lead is not also a partner: each organisation's actions are counted once.
        chosen = partners if partners is not None else list(action.partners.all())
        action.partners.set([p for p in chosen if p.pk != action.lead_organisation_id])
    audit(
        actor,
        AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        action,
        "action",
        f"Action “{action.title[:100]}” {'added' if created else 'changed'}",
        fields=sorted(changes),
    )
    return action


@transaction.atomic
def action_delete(*, actor: User, action: Action) -> None:
    permissions.check(actor, "change", action)
    audit(actor, AuditEvent.Action.DELETE, action, "action", f"Action “{action.title[:100]}” removed")
    action.delete()


@transaction.atomic
def action_report(*, actor: User, action: Action, text: str = "", status: str = "") -> ProgressNote:
    """Report progress on an action (members): a note, a new status, or both."""
    permissions.check(actor, "report", action)
    text = (text or "").strip()
    if status and status not in ActionStatus.values:
        raise field_error("status", _("Choose a status from the list."))
    new_status = status if status and status != action.status else ""
    if not text and not new_status:
        raise ValidationFailed(_("Write a progress note or choose a new status."))
    if len(text) > 2000:
        raise field_error("text", _("Keep the note under 2000 characters."))
    if new_status:
        action.status = new_status
        action.updated_by = actor
        action.save(update_fields=["status", "updated_by", "updated_at"])
    note = ProgressNote.objects.create(action=action, text=text, status=new_status, author=actor)
    audit(
        actor,
        AuditEvent.Action.UPDATE,
        action,
        "action",
        f"Action “{action.title[:100]}”: progress reported"
        + (f" (status {new_status})" if new_status else ""),
    )
    return note
