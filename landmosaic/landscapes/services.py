"""Writes for landscapes, boundaries, partnerships, members, invitations and join requests."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from landmosaic.accounts.models import Organisation, User
from landmosaic.accounts.services import unique_slug
from landmosaic.core import permissions
from landmosaic.core.audit import audit_record
from landmosaic.core.errors import Conflict, ValidationFailed
from landmosaic.core.jobs import job_start
from landmosaic.core.models import AuditEvent, Job
from landmosaic.core.notifications import in_language, notify, send_email
from landmosaic.core.permissions import Role, Visibility

from . import boundaries
from .licences import check_license
from .models import Invitation, JoinRequest, Landscape, Membership, Partnership, Term

PROFILE_FIELDS = (
    "name",
    "description",
    "country",
    "website",
    "contact_email",
    "population",
    "profile_image",
    "profile_image_alt",
)
# Managers' settings (the others are the profile, which editors may change too).
SETTING_FIELDS = ("visibility", "default_license")
# Words the landscapes URLs use for their own pages.
RESERVED_SLUGS = frozenset({"new", "invitations", "points-geojson"})
TERM_FIELDS = {
    "area_types": Term.Vocabulary.AREA_TYPE,
    "ecosystems": Term.Vocabulary.ECOSYSTEM,
    "livelihoods": Term.Vocabulary.LIVELIHOOD,
    "commodities": Term.Vocabulary.COMMODITY,
    "languages": Term.Vocabulary.LANGUAGE,
}


# --- Landscapes ------------------------------------------------------------------------------


def _validated(landscape: Landscape) -> None:
    try:
        landscape.full_clean(exclude=["slug"])
    except ValidationError as exc:
        raise ValidationFailed(_("Check the landscape's details."), details=exc.message_dict) from exc


def _terms(field: str, codes: list[str]) -> list[Term]:
    vocabulary = TERM_FIELDS[field]
    terms = list(Term.objects.filter(vocabulary=vocabulary, code__in=codes))
    missing = sorted(set(codes) - {t.code for t in terms})
    if missing:
        raise ValidationFailed(
            _("Unknown %(vocabulary)s: %(codes)s")
            % {"vocabulary": vocabulary.label.lower(), "codes": ", ".join(missing)},
            details={field: [_("Choose from the list.")]},
        )
    return terms


def _apply_boundary(landscape: Landscape, boundary: boundaries.Boundary, source: str) -> None:
    landscape.boundary_kind = (
        Landscape.BoundaryKind.POINT
        if boundary.geometry["type"] == "Point"
        else Landscape.BoundaryKind.POLYGON
    )
    landscape.boundary_geojson = boundary.geometry
    landscape.boundary_display_geojson = boundaries.display_geometry(boundary)
    landscape.boundary_source = source[:200]
    landscape.area_ha = boundary.area_ha
    landscape.centroid_lon, landscape.centroid_lat = boundary.centroid
    landscape.bbox_west, landscape.bbox_south, landscape.bbox_east, landscape.bbox_north = boundary.bbox


def landscape_create(
    *,
    actor: User,
    name: str,
    visibility: str = Visibility.PRIVATE,
    boundary: boundaries.Boundary | None = None,
    boundary_source: str = "",
    terms: dict[str, list[str]] | None = None,
    **profile: Any,
) -> Landscape:
    """Create a landscape, its (empty) partnership, and make the creator its first manager."""
    if not getattr(actor, "is_authenticated", False):
        raise ValidationFailed(_("Sign in to create a landscape."))
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationFailed(
            _("Unknown landscape fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    if visibility not in (Visibility.PRIVATE, Visibility.PUBLIC):
        raise ValidationFailed(
            _("A landscape is either private or public."), details={"visibility": [_("Invalid choice.")]}
        )
    name = (name or "").strip()
    for attempt in range(3):  # a concurrent creation may take the same slug: retry with the next one
        try:
            with transaction.atomic():
                landscape = Landscape(name=name, visibility=visibility, created_by=actor, **profile)
                landscape.slug = unique_slug(Landscape, name, max_length=70, reserved=RESERVED_SLUGS)
                if boundary is not None:
                    _apply_boundary(landscape, boundary, boundary_source)
                _validated(landscape)
                landscape.save()
                for field, codes in (terms or {}).items():
                    getattr(landscape, field).set(_terms(field, codes))
                Partnership.objects.create(landscape=landscape)
                Membership.objects.create(landscape=landscape, user=actor, role=Role.MANAGER.slug)
                permissions.forget_roles(actor)
                audit_record(
                    actor=actor,
                    action=AuditEvent.Action.CREATE,
                    object_type="landscape",
                    object_id=landscape.pk,
                    landscape_id=landscape.pk,
                    summary=f"Landscape “{landscape.name}” created",
                )
                return landscape
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def landscape_update(
    *, actor: User, landscape: Landscape, terms: dict[str, list[str]] | None = None, **changes: Any
) -> Landscape:
    """Edit the profile (editors and managers); visibility and the default licence of new datasets
    are managers' settings."""
    permissions.check(actor, "change", landscape)
    unknown = set(changes) - set(PROFILE_FIELDS) - set(SETTING_FIELDS)
    if unknown:
        raise ValidationFailed(
            _("Unknown landscape fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    if "visibility" in changes and changes["visibility"] != landscape.visibility:
        permissions.check(actor, "change_settings", landscape)
        if changes["visibility"] not in (Visibility.PRIVATE, Visibility.PUBLIC):
            raise ValidationFailed(_("A landscape is either private or public."))
        audit_record(
            actor=actor,
            action=AuditEvent.Action.SHARE,
            object_type="landscape",
            object_id=landscape.pk,
            landscape_id=landscape.pk,
            summary=f"Visibility changed from {landscape.visibility} to {changes['visibility']}",
        )
    if "default_license" in changes and changes["default_license"] != landscape.default_license:
        permissions.check(actor, "change_settings", landscape)
        check_license(changes["default_license"] or "", field="default_license")
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            object_type="landscape",
            object_id=landscape.pk,
            landscape_id=landscape.pk,
            summary=(
                f"Default licence of new datasets changed from {landscape.default_license}"
                f" to {changes['default_license']}"
            ),
        )
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
    for field, value in changes.items():
        setattr(landscape, field, value)
    _validated(landscape)
    landscape.save()
    for field, codes in (terms or {}).items():
        getattr(landscape, field).set(_terms(field, codes))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        object_type="landscape",
        object_id=landscape.pk,
        landscape_id=landscape.pk,
        summary="Profile updated",
        data={"fields": sorted([*changes, *(terms or {})])},
    )
    return landscape


@transaction.atomic
def landscape_set_boundary(
    *, actor: User, landscape: Landscape, boundary: boundaries.Boundary, source: str
) -> Landscape:
    permissions.check(actor, "change", landscape)
    _apply_boundary(landscape, boundary, source)
    landscape.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        object_type="landscape",
        object_id=landscape.pk,
        landscape_id=landscape.pk,
        summary=f"Boundary set from {source[:100]}",
        data={"area_ha": boundary.area_ha, "vertices": boundary.vertex_count},
    )
    return landscape


def landscape_upload_boundary(
    *, actor: User, landscape: Landscape, data: bytes, filename: str
) -> Landscape | Job:
    """Small files are parsed now; big ones are stored and parsed by a job (returned instead)."""
    permissions.check(actor, "change", landscape)
    if len(data) > settings.BOUNDARY_MAX_BYTES:
        raise ValidationFailed(
            _("%(file)s is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {
                "file": filename,
                "size": round(len(data) / 1e6, 1),
                "limit": round(settings.BOUNDARY_MAX_BYTES / 1e6, 1),
            },
            code="boundary_too_large",
        )
    if len(data) <= settings.BOUNDARY_JOB_THRESHOLD_BYTES:
        boundary = boundaries.from_file(data=data, filename=filename)
        return landscape_set_boundary(actor=actor, landscape=landscape, boundary=boundary, source=filename)
    with transaction.atomic():
        path = default_storage.save(
            f"boundary-uploads/{landscape.pk}/{timezone.now():%Y%m%d%H%M%S}.bin", ContentFile(data)
        )
        return job_start(
            kind="landscapes.boundary_parse",
            actor=actor,
            landscape_id=landscape.pk,
            params={"landscape_id": landscape.pk, "path": path, "filename": filename},
        )


@transaction.atomic
def landscape_delete(*, actor: User, landscape: Landscape) -> None:
    permissions.check(actor, "delete", landscape)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        object_type="landscape",
        object_id=landscape.pk,
        landscape_id=landscape.pk,
        summary=f"Landscape “{landscape.name}” deleted",
    )
    landscape.delete()
    permissions.forget_roles(actor)


# --- Partnership -----------------------------------------------------------------------------


@transaction.atomic
def partnership_update(
    *,
    actor: User,
    landscape: Landscape,
    organisation_ids: list[int] | None = None,
    lead_organisation_id: int | str | None = "",
    **changes: Any,
) -> Partnership:
    permissions.check(actor, "change", landscape)
    unknown = set(changes) - {"name", "status", "year_founded", "description"}
    if unknown:
        raise ValidationFailed(
            _("Unknown partnership fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    partnership, _created = Partnership.objects.get_or_create(landscape=landscape)
    year = changes.get("year_founded")
    if year is not None and not (1900 <= int(year) <= timezone.now().year):
        raise ValidationFailed(
            _("The year founded must be between 1900 and this year."),
            details={"year_founded": [_("Invalid year.")]},
        )
    if "status" in changes and changes["status"] not in Partnership.Status.values:
        raise ValidationFailed(_("Unknown partnership status."), details={"status": [_("Invalid choice.")]})
    for field, value in changes.items():
        setattr(partnership, field, value)
    if lead_organisation_id != "":
        lead = Organisation.objects.filter(pk=lead_organisation_id).first() if lead_organisation_id else None
        if lead_organisation_id and lead is None:
            raise ValidationFailed(_("The lead organisation does not exist."))
        partnership.lead_organisation = lead
    partnership.save()
    if organisation_ids is not None:
        organisations = list(Organisation.objects.filter(pk__in=organisation_ids))
        if len(organisations) != len(set(organisation_ids)):
            raise ValidationFailed(_("One of the affiliated organisations does not exist."))
        partnership.organisations.set(organisations)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        object_type="partnership",
        object_id=partnership.pk,
        landscape_id=landscape.pk,
        summary="Partnership updated",
    )
    return partnership


# --- Members ---------------------------------------------------------------------------------


def _role(slug: str) -> Role:
    try:
        return Role.from_slug(slug)
    except ValueError as exc:
        raise ValidationFailed(
            _("Unknown role: choose manager, editor, member or viewer."),
            details={"role": [_("Invalid choice.")]},
        ) from exc


def _managers_left(landscape: Landscape, *, without: Membership) -> int:
    # Lock the landscape's memberships so two managers cannot demote each other at once.
    return (
        Membership.objects.select_for_update()
        .filter(landscape=landscape, role=Role.MANAGER.slug)
        .exclude(pk=without.pk)
        .count()
    )


@transaction.atomic
def membership_change_role(*, actor: User, membership: Membership, role: str) -> Membership:
    landscape = membership.landscape
    permissions.check(actor, "manage_members", landscape)
    new_role = _role(role)
    if (
        membership.role_enum is Role.MANAGER
        and new_role is not Role.MANAGER
        and not _managers_left(landscape, without=membership)
    ):
        raise Conflict(_("A landscape must keep at least one manager. Make someone else a manager first."))
    old = membership.role
    membership.role = new_role.slug
    membership.save(update_fields=["role", "updated_at"])
    permissions.forget_roles(membership.user)
    permissions.forget_roles(actor)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.ROLE,
        object_type="membership",
        object_id=membership.pk,
        landscape_id=landscape.pk,
        summary=f"{membership.user.email}: {old} → {new_role.slug}",
    )
    with in_language(membership.user.language):
        notify(
            recipient=membership.user,
            subject=_("Your role in %(landscape)s is now %(role)s")
            % {"landscape": landscape.name, "role": membership.get_role_display()},
            url=landscape.get_absolute_url(),
        )
    return membership


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    """Managers remove members; anyone may leave. The last manager can do neither."""
    landscape = membership.landscape
    if membership.user_id == actor.pk:
        permissions.check(actor, "leave", landscape)
    else:
        permissions.check(actor, "manage_members", landscape)
    if membership.role_enum is Role.MANAGER and not _managers_left(landscape, without=membership):
        raise Conflict(_("A landscape must keep at least one manager. Make someone else a manager first."))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.MEMBER,
        object_type="membership",
        object_id=membership.pk,
        landscape_id=landscape.pk,
        summary=f"{membership.user.email} removed ({membership.role})",
    )
    user = membership.user
    membership.delete()
    permissions.forget_roles(user)
    permissions.forget_roles(actor)
    if user.pk != actor.pk:
        with in_language(user.language):
            notify(
                recipient=user,
                subject=_("You are no longer a member of %(landscape)s") % {"landscape": landscape.name},
            )


def _add_member(*, landscape: Landscape, user: User, role: Role) -> Membership:
    membership, created = Membership.objects.get_or_create(
        landscape=landscape, user=user, defaults={"role": role.slug}
    )
    if not created and membership.role_enum < role:
        membership.role = role.slug
        membership.save(update_fields=["role", "updated_at"])
    permissions.forget_roles(user)
    return membership


# --- Invitations -----------------------------------------------------------------------------

INVITATION_VALID_DAYS = 30


@transaction.atomic
def invitation_create(*, actor: User, landscape: Landscape, email: str, role: str = "member") -> Invitation:
    """Invite someone by email, account or not; people with an account are also notified in the interface."""
    permissions.check(actor, "manage_members", landscape)
    role_enum = _role(role)
    email = User.objects.normalize_email((email or "").strip()).lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationFailed(
            _("Enter a valid email address."), details={"email": [_("Invalid email.")]}
        ) from exc
    if landscape.memberships.filter(user__email__iexact=email).exists():
        raise Conflict(_("%(email)s is already a member of this landscape.") % {"email": email})
    if landscape.invitations.filter(email__iexact=email, status=Invitation.Status.PENDING).exists():
        raise Conflict(_("%(email)s has already been invited and has not answered yet.") % {"email": email})
    invitation = Invitation.objects.create(
        landscape=landscape, email=email, role=role_enum.slug, invited_by=actor
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.MEMBER,
        object_type="invitation",
        object_id=invitation.pk,
        landscape_id=landscape.pk,
        summary=f"{email} invited as {role_enum.slug}",
    )
    url = reverse("landscapes:invitation", kwargs={"token": invitation.token})
    existing = User.objects.filter(email__iexact=email).first()
    language = existing.language if existing else actor.language
    with in_language(language):
        subject = _("%(person)s invites you to join %(landscape)s on Landmosaic") % {
            "person": actor.display_name,
            "landscape": landscape.name,
        }
        body = _(
            "You are invited as %(role)s. Open the link to accept or decline; it is valid for %(days)d days."
        ) % {"role": invitation.get_role_display(), "days": INVITATION_VALID_DAYS}
    if existing:
        notify(recipient=existing, subject=subject, body=body, url=url)
    else:
        transaction.on_commit(lambda: send_email(to=email, subject=subject, body=body, url=url))
    return invitation


def _check_invitation_usable(invitation: Invitation, user: User) -> None:
    if invitation.status != Invitation.Status.PENDING:
        raise Conflict(_("This invitation has already been used or withdrawn."))
    if invitation.created_at < timezone.now() - datetime.timedelta(days=INVITATION_VALID_DAYS):
        raise Conflict(_("This invitation has expired. Ask a manager of the landscape for a new one."))
    if invitation.email.lower() != user.email.lower():
        raise ValidationFailed(
            _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
            % {"email": invitation.email}
        )


@transaction.atomic
def invitation_accept(*, actor: User, invitation: Invitation) -> Membership:
    _check_invitation_usable(invitation, actor)
    membership = _add_member(landscape=invitation.landscape, user=actor, role=Role.from_slug(invitation.role))
    invitation.status, invitation.responded_at = Invitation.Status.ACCEPTED, timezone.now()
    invitation.save(update_fields=["status", "responded_at", "updated_at"])
    JoinRequest.objects.filter(
        landscape=invitation.landscape, user=actor, status=JoinRequest.Status.PENDING
    ).update(status=JoinRequest.Status.APPROVED, decided_at=timezone.now())
    audit_record(
        actor=actor,
        action=AuditEvent.Action.MEMBER,
        object_type="invitation",
        object_id=invitation.pk,
        landscape_id=invitation.landscape_id,
        summary=f"{actor.email} accepted the invitation",
    )
    if invitation.invited_by:
        with in_language(invitation.invited_by.language):
            notify(
                recipient=invitation.invited_by,
                subject=_("%(person)s joined %(landscape)s")
                % {"person": actor.display_name, "landscape": invitation.landscape.name},
                url=reverse("landscapes:members", kwargs={"slug": invitation.landscape.slug}),
            )
    return membership


@transaction.atomic
def invitation_decline(*, actor: User, invitation: Invitation) -> Invitation:
    _check_invitation_usable(invitation, actor)
    invitation.status, invitation.responded_at = Invitation.Status.DECLINED, timezone.now()
    invitation.save(update_fields=["status", "responded_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.MEMBER,
        object_type="invitation",
        object_id=invitation.pk,
        landscape_id=invitation.landscape_id,
        summary=f"{actor.email} declined the invitation",
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    permissions.check(actor, "manage_members", invitation.landscape)
    if invitation.status == Invitation.Status.PENDING:
        invitation.status = Invitation.Status.REVOKED
        invitation.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.MEMBER,
            object_type="invitation",
            object_id=invitation.pk,
            landscape_id=invitation.landscape_id,
            summary=f"Invitation of {invitation.email} withdrawn",
        )
    return invitation


# --- Join requests ---------------------------------------------------------------------------


@transaction.atomic
def join_request_create(*, actor: User, landscape: Landscape, message: str = "") -> JoinRequest:
    permissions.check(actor, "request_join", landscape)
    if landscape.join_requests.filter(user=actor, status=JoinRequest.Status.PENDING).exists():
        raise Conflict(_("You have already asked to join; the managers have not answered yet."))
    request = JoinRequest.objects.create(
        landscape=landscape, user=actor, message=(message or "").strip()[:2000]
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.MEMBER,
        object_type="join_request",
        object_id=request.pk,
        landscape_id=landscape.pk,
        summary=f"{actor.email} asked to join",
    )
    url = reverse("landscapes:members", kwargs={"slug": landscape.slug})
    for manager in User.objects.filter(memberships__landscape=landscape, memberships__role=Role.MANAGER.slug):
        with in_language(manager.language):
            notify(
                recipient=manager,
                subject=_("%(person)s asks to join %(landscape)s")
                % {"person": actor.display_name, "landscape": landscape.name},
                body=request.message,
                url=url,
            )
    return request


@transaction.atomic
def join_request_decide(
    *, actor: User, request: JoinRequest, approve: bool, role: str = "member"
) -> JoinRequest:
    landscape = request.landscape
    permissions.check(actor, "manage_members", landscape)
    if request.status != JoinRequest.Status.PENDING:
        raise Conflict(_("This request has already been answered."))
    if approve:
        _add_member(landscape=landscape, user=request.user, role=_role(role))
    request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.REFUSED
    request.decided_by, request.decided_at = actor, timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.MEMBER,
        object_type="join_request",
        object_id=request.pk,
        landscape_id=landscape.pk,
        summary=f"Join request of {request.user.email} {request.status}",
    )
    with in_language(request.user.language):
        subject = (
            _("You are now a member of %(landscape)s")
            if approve
            else _("Your request to join %(landscape)s was declined")
        ) % {"landscape": landscape.name}
        notify(recipient=request.user, subject=subject, url=landscape.get_absolute_url())
    return request
