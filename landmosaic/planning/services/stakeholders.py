"""Writes for the stakeholder register: stakeholders and the relations between them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from landmosaic.accounts.models import Organisation, User
from landmosaic.core import permissions
from landmosaic.core.audit import audit_record
from landmosaic.core.errors import Conflict, ValidationFailed
from landmosaic.core.models import AuditEvent
from landmosaic.landscapes.models import Landscape

from ..models import Participation, Stakeholder, StakeholderRelation, register_subject
from ._common import invalid

STAKEHOLDER_FIELDS = (
    "name",
    "organisation_id",
    "sector",
    "type",
    "role",
    "contact",
    "influence",
    "interest",
    "participation",
    "represents",
)


# --- Stakeholders ----------------------------------------------------------------------------


def _check_name_free(landscape: Landscape, name: str, *, exclude: int | None = None) -> None:
    if Stakeholder.objects.filter(landscape=landscape, name__iexact=name).exclude(pk=exclude).exists():
        message = _("This landscape already has a stakeholder called “%(name)s”.") % {"name": name}
        raise Conflict(message, details={"name": [message]})


def _check_organisation(organisation_id: int | None) -> None:
    if organisation_id and not Organisation.objects.filter(pk=organisation_id).exists():
        message = _("This organisation does not exist on the platform.")
        raise ValidationFailed(message, details={"organisation": [message]})


def _clean_stakeholder(stakeholder: Stakeholder) -> None:
    stakeholder.name = (stakeholder.name or "").strip()
    stakeholder.represents = list(dict.fromkeys(stakeholder.represents or []))
    try:
        stakeholder.full_clean(
            exclude=["landscape", "created_by", "organisation"], validate_constraints=False
        )
    except ValidationError as exc:
        raise invalid(exc, _("Check the stakeholder's details.")) from exc


def _audit_stakeholder(actor: User, stakeholder: Stakeholder, action: str, summary: str, **data: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type="stakeholder",
        object_id=stakeholder.pk,
        landscape_id=stakeholder.landscape_id,
        summary=summary,
        data=data,
    )


@transaction.atomic
def stakeholder_create(
    *,
    actor: User,
    landscape: Landscape,
    name: str,
    sector: str,
    influence: int,
    interest: int,
    participation: str = Participation.INFORM,
    organisation_id: int | None = None,
    type: str = "",
    role: str = "",
    contact: str = "",
    represents: list[str] | tuple[str, ...] = (),
) -> Stakeholder:
    """Register a stakeholder (editors)."""
    permissions.check(actor, "change", register_subject(landscape))
    stakeholder = Stakeholder(
        landscape=landscape,
        name=name,
        sector=sector,
        influence=influence,
        interest=interest,
        participation=participation,
        organisation_id=organisation_id,
        type=(type or "").strip(),
        role=(role or "").strip(),
        contact=(contact or "").strip(),
        represents=list(represents),
        created_by=actor,
    )
    _clean_stakeholder(stakeholder)
    _check_organisation(organisation_id)
    _check_name_free(landscape, stakeholder.name)
    stakeholder.save()
    _audit_stakeholder(
        actor, stakeholder, AuditEvent.Action.CREATE, f"Stakeholder “{stakeholder.name}” registered"
    )
    return stakeholder


@transaction.atomic
def stakeholder_update(*, actor: User, stakeholder: Stakeholder, **changes: Any) -> Stakeholder:
    """Edit a stakeholder (editors); only the given fields change."""
    permissions.check(actor, "change", stakeholder)
    unknown = set(changes) - set(STAKEHOLDER_FIELDS)
    if unknown:
        raise ValidationFailed(
            _("Unknown stakeholder fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    for field, value in changes.items():
        if field in ("type", "role", "contact"):
            value = (value or "").strip()
        if field == "represents":
            value = list(value or [])
        setattr(stakeholder, field, value)
    _clean_stakeholder(stakeholder)
    if "organisation_id" in changes:
        _check_organisation(changes["organisation_id"])
    _check_name_free(stakeholder.landscape, stakeholder.name, exclude=stakeholder.pk)
    stakeholder.save()
    _audit_stakeholder(
        actor,
        stakeholder,
        AuditEvent.Action.UPDATE,
        f"Stakeholder “{stakeholder.name}” updated",
        fields=sorted(changes),
    )
    return stakeholder


@transaction.atomic
def stakeholder_delete(*, actor: User, stakeholder: Stakeholder) -> None:
    """Remove a stakeholder and its relations (editors)."""
    permissions.check(actor, "delete", stakeholder)
    _audit_stakeholder(
        actor, stakeholder, AuditEvent.Action.DELETE, f"Stakeholder “{stakeholder.name}” removed"
    )
    stakeholder.delete()


# --- Relations -------------------------------------------------------------------------------


@transaction.atomic
def relation_create(
    *, actor: User, landscape: Landscape, source_id: int, target_id: int, kind: str, note: str = ""
) -> StakeholderRelation:
    """Record how two stakeholders relate (editors). Self-relations and duplicates are refused."""
    permissions.check(actor, "change", register_subject(landscape))
    if kind not in StakeholderRelation.Kind.values:
        raise ValidationFailed(
            _("Unknown relation: choose %(kinds)s.") % {"kinds": ", ".join(StakeholderRelation.Kind.values)},
            details={"kind": [_("Invalid choice.")]},
        )
    found = {s.pk: s for s in Stakeholder.objects.filter(landscape=landscape, pk__in=[source_id, target_id])}
    if source_id not in found or target_id not in found:
        raise ValidationFailed(_("Both stakeholders must be in this landscape's register."))
    if source_id == target_id:
        message = _("A stakeholder cannot have a relation with itself.")
        raise ValidationFailed(message, details={"target": [message]})
    if kind == StakeholderRelation.Kind.REGULATES:
        _check_no_regulation_circle(landscape, source=found[source_id], target=found[target_id])
    same = StakeholderRelation.objects.filter(landscape=landscape, kind=kind)
    pair = Q(source_id=source_id, target_id=target_id)
    if kind in StakeholderRelation.SYMMETRIC:
        pair |= Q(source_id=target_id, target_id=source_id)
    if same.filter(pair).exists():
        raise Conflict(_("This relation is already recorded."))
    relation = StakeholderRelation.objects.create(
        landscape=landscape,
        source=found[source_id],
        target=found[target_id],
        kind=kind,
        note=(note or "").strip()[:300],
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        object_type="stakeholder_relation",
        object_id=relation.pk,
        landscape_id=landscape.pk,
        summary=f"Relation: {relation.source.name} {kind} {relation.target.name}",
    )
    return relation


def _check_no_regulation_circle(landscape: Landscape, *, source: Stakeholder, target: Stakeholder) -> None:
    """Regulation is a hierarchy: refuse a link that closes a circle (A regulates B … regulates A).
    Funding and supplying may go both ways (trade, co-funding); a circle there is not an error."""
    edges: dict[int, list[int]] = {}
    for a, b in StakeholderRelation.objects.filter(
        landscape=landscape, kind=StakeholderRelation.Kind.REGULATES
    ).values_list("source_id", "target_id"):
        edges.setdefault(a, []).append(b)
    # Breadth-first from the target: if it already regulates the source, the new link closes a circle.
    came_from: dict[int, int | None] = {target.pk: None}
    queue = [target.pk]
    while queue and source.pk not in came_from:
        node = queue.pop(0)
        for nxt in edges.get(node, []):
            if nxt not in came_from:
                came_from[nxt] = node
                queue.append(nxt)
    if source.pk not in came_from:
        return
    chain, node = [], source.pk
    while node is not None:
        chain.append(node)
        node = came_from[node]
    names = dict(Stakeholder.objects.filter(pk__in=chain).values_list("pk", "name"))
    path = " → ".join(names[pk] for pk in [source.pk, *reversed(chain)])
    message = _(
        "This would make a circle of regulation (%(path)s). Regulation goes one way: check who regulates "
        "whom, or record this link as “has another relation with”."
    ) % {"path": path}
    raise ValidationFailed(message, code="circular_relation", details={"target": [message]})


@transaction.atomic
def relation_delete(*, actor: User, relation: StakeholderRelation) -> None:
    permissions.check(actor, "change", relation)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        object_type="stakeholder_relation",
        object_id=relation.pk,
        landscape_id=relation.landscape_id,
        summary=f"Relation removed: {relation.source.name} {relation.kind} {relation.target.name}",
    )
    relation.delete()
