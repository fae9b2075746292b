"""Reads for the partnership agreement: versions the caller may see, signatories, sign-offs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from landmosaic.accounts.models import Organisation
from landmosaic.core import permissions
from landmosaic.core.errors import NotFound
from landmosaic.landscapes.models import Landscape

from ..models import AgreementSignatory, AgreementVersion, SignOff, agreement_subject
from ._common import actions_on, section_landscape_get

#: Fields of a version listed in the history (not the sections' text).
HISTORY_FIELDS = ("landscape", "number", "state", "change_note", "created_at", "created_by", "agreed_at")


@dataclass
class SignatoryView:
    signatory: AgreementSignatory
    #: Its signature on the version in force, if any.
    sign_off: SignOff | None

    @property
    def organisation(self) -> Any:
        return self.signatory.organisation


@dataclass
class Agreement:
    landscape: Landscape
    #: Newest first; without drafts for those who may not see them.
    history: list[AgreementVersion]
    #: The newest agreed version.
    in_force: AgreementVersion | None
    #: The newest version when it is a draft the caller may see.
    draft: AgreementVersion | None
    signatories: list[SignatoryView]
    actions: set[str] = field(default_factory=set)

    @property
    def newest_number(self) -> int | None:
        """The version an edit starts from (for those who may see drafts)."""
        return self.history[0].number if self.history else None

    @property
    def signed(self) -> int:
        return sum(1 for s in self.signatories if s.sign_off)


def agreement_landscape_get(*, actor: Any, slug: str, action: str = "view") -> Landscape:
    return section_landscape_get(actor=actor, slug=slug, subject=agreement_subject, action=action)


def _full(landscape: Landscape, **filters: Any) -> AgreementVersion | None:
    version = (
        AgreementVersion.objects.filter(landscape=landscape, **filters)
        .select_related("created_by", "agreed_by")
        .prefetch_related(Prefetch("sign_offs", queryset=SignOff.objects.select_related("recorded_by")))
        .order_by("-number")
        .first()
    )
    if version is not None:
        version.landscape = landscape
    return version


def agreement_get(*, actor: Any, landscape: Landscape) -> Agreement:
    """The agreement as the caller may see it: drafts only for members of the landscape."""
    subject = agreement_subject(landscape)
    permissions.check(actor, "view", subject)
    actions = actions_on(actor, subject)
    history = (
        AgreementVersion.objects.filter(landscape=landscape)
        .only(*HISTORY_FIELDS)
        .select_related("created_by")
    )
    if "view_drafts" not in actions:
        history = history.filter(state=AgreementVersion.State.AGREED)
    history = list(history.order_by("-number"))
    in_force = _full(landscape, state=AgreementVersion.State.AGREED)
    draft = None
    if "view_drafts" in actions and history and history[0].state == AgreementVersion.State.DRAFT:
        draft = _full(landscape, number=history[0].number)
    signed = {s.organisation_id: s for s in in_force.sign_offs.all()} if in_force else {}
    signatories = [
        SignatoryView(signatory=s, sign_off=signed.get(s.organisation_id))
        for s in AgreementSignatory.objects.filter(landscape=landscape).select_related("organisation")
    ]
    return Agreement(
        landscape=landscape,
        history=history,
        in_force=in_force,
        draft=draft,
        signatories=signatories,
        actions=actions,
    )


def agreement_version_get(*, actor: Any, landscape: Landscape, number: int) -> AgreementVersion:
    """One version with its sign-offs; a draft is 404 for those who may not see drafts."""
    subject = agreement_subject(landscape)
    permissions.check(actor, "view", subject)
    version = _full(landscape, number=number)
    if version is None or (version.is_draft and not permissions.can(actor, "view_drafts", subject)):
        raise NotFound(_("There is no version %(number)d of the agreement.") % {"number": number})
    return version


def agreement_sign_off_organisations(*, actor: Any, agreement: Agreement) -> QuerySet[Organisation]:
    """Signatories the caller may sign for: their own organisation, or any of them (managers)."""
    unsigned = [s.signatory.organisation_id for s in agreement.signatories if not s.sign_off]
    if "record_sign_off" not in agreement.actions:
        own = getattr(actor, "organisation_id", None)
        unsigned = [pk for pk in unsigned if pk == own] if "sign" in agreement.actions else []
    return Organisation.objects.filter(pk__in=unsigned)
