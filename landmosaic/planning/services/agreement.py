"""Writes for the partnership agreement (1.2): new versions, publishing, signatories and sign-offs."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from landmosaic.accounts.models import Organisation, User
from landmosaic.core import permissions
from landmosaic.core.errors import Conflict, NotFound, ValidationFailed
from landmosaic.core.models import AuditEvent
from landmosaic.landscapes.models import Landscape

from ..models import SECTIONS, AgreementSignatory, AgreementVersion, SignOff, agreement_subject
from ._common import audit, clean, field_error

#: What a new version may change: the sections and the two dates.
VERSION_FIELDS = (*SECTIONS, "start_date", "review_date")


def _newest(landscape: Landscape) -> AgreementVersion | None:
    return AgreementVersion.objects.filter(landscape=landscape).order_by("-number").first()


def _version(landscape: Landscape, number: int) -> AgreementVersion:
    version = AgreementVersion.objects.filter(landscape=landscape, number=number).first()
    if version is None:
        raise NotFound(_("There is no version %(number)d of the agreement.") % {"number": number})
    version.landscape = landscape
    return version


def _in_force(landscape: Landscape) -> AgreementVersion | None:
    return (
        AgreementVersion.objects.filter(landscape=landscape, state=AgreementVersion.State.AGREED)
        .order_by("-number")
        .first()
    )


@transaction.atomic
def agreement_version_create(
    *, actor: User, landscape: Landscape, based_on: int | None, change_note: str = "", **changes: Any
) -> AgreementVersion:
    """Save edits as a new draft version (editors); versions themselves never change.

    ``based_on`` is the version the editor started from (None for the first one): if someone saved a
    newer version meanwhile, nothing is saved and the editor is asked to reload (no lost update).
    """
    permissions.check(actor, "change", agreement_subject(landscape))
    unknown = set(changes) - set(VERSION_FIELDS)
    if unknown:
        raise ValidationFailed(
            _("Unknown agreement fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    newest = _newest(landscape)
    if (newest.number if newest else None) != based_on:
        if newest is None:
            raise Conflict(_("The agreement has no version yet: start from an empty one."))
        raise Conflict(
            _("Version %(number)d was saved meanwhile: reload it and make your changes again.")
            % {"number": newest.number}
        )
    version = AgreementVersion(
        landscape=landscape,
        number=newest.number + 1 if newest else 1,
        state=AgreementVersion.State.DRAFT,
        change_note=(change_note or "").strip()[:300],
        created_by=actor,
    )
    for field in VERSION_FIELDS:
        setattr(version, field, getattr(newest, field) if newest else None if "date" in field else "")
    for field, value in changes.items():
        setattr(version, field, (value or "").strip() if field in SECTIONS else value)
    if newest and all(getattr(version, f) == getattr(newest, f) for f in VERSION_FIELDS):
        raise ValidationFailed(
            _("Nothing changed since version %(number)d.") % {"number": newest.number}, code="unchanged"
        )
    if version.start_date and version.review_date and version.review_date < version.start_date:
        raise field_error("review_date", _("The review date must be on or after the start date."))
    clean(
        version,
        exclude=["landscape", "created_by", "agreed_by"],
        message=_("Check the agreement: some sections are too long or some dates are not valid."),
    )
    try:
        with transaction.atomic():
            version.save()
    except IntegrityError as exc:  # two editors saved at the same instant
        raise Conflict(_("Another version was saved meanwhile: reload and try again.")) from exc
    audit(
        actor,
        AuditEvent.Action.CREATE,
        version,
        "agreement_version",
        f"Partnership agreement: version {version.number} drafted",
        fields=sorted(changes),
    )
    return version


@transaction.atomic
def agreement_publish(*, actor: User, landscape: Landscape, number: int) -> AgreementVersion:
    """Make the newest draft the agreed version in force (managers)."""
    permissions.check(actor, "publish", agreement_subject(landscape))
    version = _version(landscape, number)
    if not version.is_draft:
        raise Conflict(_("Version %(number)d is already agreed.") % {"number": number})
    newest = _newest(landscape)
    if newest.number != version.number:
        raise Conflict(
            _("Only the newest version can be agreed: version %(newest)d is newer.")
            % {"newest": newest.number}
        )
    missing = version.missing_sections()
    if missing:
        raise ValidationFailed(
            _("Complete the agreement before it is agreed: %(missing)s.") % {"missing": ", ".join(missing)},
            code="incomplete",
        )
    version.state = AgreementVersion.State.AGREED
    version.agreed_by, version.agreed_at = actor, timezone.now()
    version.save(update_fields=["state", "agreed_by", "agreed_at"])
    audit(
        actor,
        AuditEvent.Action.UPDATE,
        version,
        "agreement_version",
        f"Partnership agreement: version {version.number} agreed",
    )
    return version


# --- Signatories and sign-offs ---------------------------------------------------------------


@transaction.atomic
def signatory_add(*, actor: User, landscape: Landscape, organisation_id: int) -> AgreementSignatory:
    """Name an organisation as a party to the agreement (editors)."""
    permissions.check(actor, "change", agreement_subject(landscape))
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise field_error("organisation", _("This organisation is not on the platform."))
    if AgreementSignatory.objects.filter(landscape=landscape, organisation=organisation).exists():
        raise Conflict(_("%(name)s is already a signatory.") % {"name": organisation.name})
    signatory = AgreementSignatory.objects.create(
        landscape=landscape, organisation=organisation, added_by=actor
    )
    audit(
        actor,
        AuditEvent.Action.CREATE,
        signatory,
        "agreement_signatory",
        f"Partnership agreement: {organisation.name} added as a signatory",
    )
    return signatory


@transaction.atomic
def signatory_remove(*, actor: User, landscape: Landscape, signatory_id: int) -> None:
    """Remove a party that has not signed yet (editors); sign-offs are a permanent record."""
    permissions.check(actor, "change", agreement_subject(landscape))
    signatory = (
        AgreementSignatory.objects.filter(landscape=landscape, pk=signatory_id)
        .select_related("organisation")
        .first()
    )
    if signatory is None:
        raise NotFound(_("Signatory not found."))
    signed = (
        SignOff.objects.filter(landscape=landscape, organisation_id=signatory.organisation_id)
        .select_related("version")
        .first()
    )
    if signed is not None:
        raise Conflict(
            _("%(name)s signed version %(number)d; signatures are kept as a record.")
            % {"name": signatory.organisation.name, "number": signed.version.number}
        )
    audit(
        actor,
        AuditEvent.Action.DELETE,
        signatory,
        "agreement_signatory",
        f"Partnership agreement: {signatory.organisation.name} removed from the signatories",
    )
    signatory.delete()


@transaction.atomic
def sign_off_record(
    *,
    actor: User,
    landscape: Landscape,
    number: int,
    organisation_id: int,
    signed_by_name: str = "",
    signed_on: datetime.date | None = None,
) -> SignOff:
    """Record that an organisation signed the version in force.

    Members sign for their own organisation; a manager records a signature for any signatory
    (signed on paper at a meeting, for example) and then names who signed.
    """
    subject = agreement_subject(landscape)
    own = getattr(actor, "organisation_id", None) == organisation_id and organisation_id is not None
    permissions.check(actor, "sign" if own else "record_sign_off", subject)
    version = _version(landscape, number)
    if version.is_draft:
        raise Conflict(_("A draft cannot be signed: a manager agrees the version first."))
    in_force = _in_force(landscape)
    if in_force.number != version.number:
        raise Conflict(
            _("Version %(number)d was replaced by version %(newest)d: sign the version in force.")
            % {"number": number, "newest": in_force.number}
        )
    signatory = (
        AgreementSignatory.objects.filter(landscape=landscape, organisation_id=organisation_id)
        .select_related("organisation")
        .first()
    )
    if signatory is None:
        raise field_error(
            "organisation", _("This organisation is not a signatory of the agreement: add it first.")
        )
    name = (signed_by_name or "").strip()[:200] or (actor.display_name if own else "")
    if not name:
        raise field_error("signed_by_name", _("Say who signed for the organisation."))
    today = timezone.localdate()
    signed_on = signed_on or today
    if signed_on > today:
        raise field_error("signed_on", _("The date of signature cannot be in the future."))
    if signed_on < timezone.localdate(version.agreed_at):
        raise field_error("signed_on", _("The date of signature cannot be before the version was agreed."))
    if SignOff.objects.filter(version=version, organisation_id=organisation_id).exists():
        raise Conflict(
            _("%(name)s has already signed version %(number)d.")
            % {"name": signatory.organisation.name, "number": number}
        )
    try:
        with transaction.atomic():
            sign_off = SignOff.objects.create(
                landscape=landscape,
                version=version,
                organisation=signatory.organisation,
                organisation_name=signatory.organisation.name,
                signed_by_name=name,
                signed_on=signed_on,
                recorded_by=actor,
            )
    except IntegrityError as exc:  # recorded twice at the same instant
        raise Conflict(
            _("%(name)s has already signed version %(number)d.")
            % {"name": signatory.organisation.name, "number": number}
        ) from exc
    audit(
        actor,
        AuditEvent.Action.CREATE,
        sign_off,
        "agreement_sign_off",
        f"Partnership agreement: version {number} signed by {signatory.organisation.name}",
    )
    return sign_off
