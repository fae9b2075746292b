"""The Landscape Partnership agreement (output 1.2): immutable versions, signatories and sign-offs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from landmosaic.accounts.models import Organisation
from landmosaic.core.permissions import Protected, Subject
from landmosaic.landscapes.models import Landscape

#: The sections of an agreement, in reading order (field names of AgreementVersion).
SECTIONS = (
    "values",
    "governance",
    "roles",
    "decision_making",
    "conflict_resolution",
    "information_sharing",
    "funding",
)
#: Sections a version needs before it can be agreed.
REQUIRED_SECTIONS = ("values", "governance", "roles", "decision_making")
SECTION_MAX = 20_000


class AgreementVersion(Protected, models.Model):
    """One version of the agreement. Versions never change: editing creates a new draft version.

    A manager publishes the newest draft, which makes it "agreed"; the newest agreed version is the
    one in force, and organisations sign it.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        AGREED = "agreed", _("Agreed")

    permission_type = "agreement"
    #: The only fields that may change once a version exists: publishing it.
    MUTABLE = frozenset({"state", "agreed_by", "agreed_at"})

    landscape = models.ForeignKey(Landscape, on_delete=models.CASCADE, related_name="agreement_versions")
    number = models.PositiveIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.DRAFT)
    values = models.TextField(_("Values and principles"), blank=True, max_length=SECTION_MAX)
    governance = models.TextField(_("Governance structure"), blank=True, max_length=SECTION_MAX)
    roles = models.TextField(_("Member roles and responsibilities"), blank=True, max_length=SECTION_MAX)
    decision_making = models.TextField(_("Decision-making rule"), blank=True, max_length=SECTION_MAX)
    conflict_resolution = models.TextField(_("Conflict resolution"), blank=True, max_length=SECTION_MAX)
    information_sharing = models.TextField(_("Information sharing"), blank=True, max_length=SECTION_MAX)
    funding = models.TextField(_("Funding sources"), blank=True, max_length=SECTION_MAX)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    review_date = models.DateField(_("review date"), null=True, blank=True)
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["landscape", "number"], name="agreement_version_unique"),
            models.CheckConstraint(
                condition=models.Q(review_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(review_date__gte=models.F("start_date")),
                name="agreement_review_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Agreement v{self.number} of {self.landscape_id} ({self.state})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            fields = kwargs.get("update_fields")
            if not fields or set(fields) - self.MUTABLE:
                raise ValueError("Agreement versions are immutable: create a new version instead.")
        super().save(*args, **kwargs)

    def permission_subject(self) -> Subject:
        return agreement_subject(self.landscape)

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT

    def sections(self) -> list[tuple[str, str, str]]:
        """(field, heading, text) of every section, in reading order."""
        return [(f, str(self._meta.get_field(f).verbose_name), getattr(self, f)) for f in SECTIONS]

    def missing_sections(self) -> list[str]:
        """Headings of the sections a version needs before it can be agreed, and the start date."""
        missing = [
            str(self._meta.get_field(f).verbose_name) for f in REQUIRED_SECTIONS if not getattr(self, f)
        ]
        if self.start_date is None:
            missing.append(str(_("start date")))
        return missing


class AgreementSignatory(Protected, models.Model):
    """An organisation that is a party to the agreement and is asked to sign it."""

    permission_type = "agreement"

    landscape = models.ForeignKey(Landscape, on_delete=models.CASCADE, related_name="agreement_signatories")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["landscape", "organisation"], name="agreement_signatory_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} signs for {self.landscape_id}"

    def permission_subject(self) -> Subject:
        return agreement_subject(self.landscape)


class SignOff(Protected, models.Model):
    """An organisation's signature on one agreed version: who signed, when, and who recorded it."""

    permission_type = "agreement"

    landscape = models.ForeignKey(Landscape, on_delete=models.CASCADE, related_name="+")
    # RESTRICT: a version cannot disappear under its signatures (deleting the landscape still works).
    version = models.ForeignKey(AgreementVersion, on_delete=models.RESTRICT, related_name="sign_offs")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: The organisation's name when it signed: the record outlives the organisation's page.
    organisation_name = models.CharField(_("organisation"), max_length=200)
    signed_by_name = models.CharField(_("signed by"), max_length=200)
    signed_on = models.DateField(_("signed on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["signed_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "organisation"], name="sign_off_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_name} signed v{self.version_id}"

    def permission_subject(self) -> Subject:
        return agreement_subject(self.landscape)


def agreement_subject(landscape: Landscape) -> Subject:
    """The agreement follows the landscape's visibility; drafts need ``view_drafts`` (members)."""
    return Subject(type="agreement", landscape_id=landscape.pk, visibility=landscape.visibility)
