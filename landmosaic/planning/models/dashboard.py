"""The ILM framework (platform data), each landscape's output statuses, and its stakeholder register."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from landmosaic.accounts.models import Organisation
from landmosaic.core.models import TimeStampedModel
from landmosaic.core.permissions import Protected, Subject, Visibility
from landmosaic.landscapes.models import Landscape

from ..analysis import quadrant, strategy_label
from ..framework import LANGUAGES

# --- The framework: platform data with translations ------------------------------------------


class Translated(models.Model):
    """English in the fields, other languages in ``translations`` ({"es": {"name": ...}, ...})."""

    translated_fields: tuple[str, ...] = ("name", "description")

    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True

    def localized(self, field: str) -> Any:
        language = (translation.get_language() or "en")[:2]
        value = (self.translations.get(language) or {}).get(field) if language != "en" else None
        return value or getattr(self, field)

    def clean(self) -> None:
        super().clean()
        if not isinstance(self.translations, dict):
            raise ValidationError({"translations": _('Give an object such as {"es": {"name": "…"}}.')})
        for language, texts in self.translations.items():
            if language not in LANGUAGES or not isinstance(texts, dict):
                raise ValidationError(
                    {
                        "translations": _("Use the languages %(languages)s, each with an object of texts.")
                        % {"languages": ", ".join(LANGUAGES)}
                    }
                )
            unknown = set(texts) - set(self.translated_fields)
            if unknown:
                raise ValidationError(
                    {"translations": _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}}
                )


class Element(Translated):
    """One of the five elements of ILM (1 Landscape Partnership … 5 Impact and Learning)."""

    code = models.CharField(_("code"), max_length=4, unique=True, help_text=_("Stable: never change it."))
    name = models.CharField(_("name"), max_length=200, help_text=_("English"))
    description = models.TextField(_("description"), blank=True, help_text=_("English"))
    sort = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort", "code"]
        verbose_name = _("ILM element")
        verbose_name_plural = _("ILM elements")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Output(Translated):
    """An output of an element (1.1 … 5.4), with suggested next steps and tools."""

    class Feature(models.TextChoices):
        NONE = "", _("None")
        STAKEHOLDERS = "stakeholders", _("Stakeholder register")
        RELATIONS = "relations", _("Stakeholder relations")
        BOUNDARY = "boundary", _("Landscape boundary")
        PARTNERSHIP = "partnership", _("Partnership details")
        AGREEMENT = "agreement", _("Partnership agreement")
        VISION = "vision", _("Vision and strategy")
        ACTIONS = "actions", _("Action plan")
        TRACKER = "tracker", _("Action plan tracker")
        INDICATORS = "indicators", _("Indicators and results")

    translated_fields = ("name", "description", "next_steps")

    element = models.ForeignKey(Element, on_delete=models.PROTECT, related_name="outputs")
    code = models.CharField(_("code"), max_length=8, unique=True, help_text=_("Stable: never change it."))
    name = models.CharField(_("name"), max_length=200, help_text=_("English"))
    description = models.TextField(_("description"), blank=True, help_text=_("English"))
    #: English, one short sentence per step.
    next_steps = models.JSONField(_("next steps"), default=list, blank=True)
    #: Names of tools and methods (proper names, not translated).
    tools = models.JSONField(_("tools"), default=list, blank=True)
    feature = models.CharField(
        _("page of the platform"), max_length=20, choices=Feature.choices, blank=True, default=""
    )
    sort = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["element__sort", "sort", "code"]
        verbose_name = _("ILM output")
        verbose_name_plural = _("ILM outputs")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        super().clean()
        for field in ("next_steps", "tools"):
            value = getattr(self, field)
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                raise ValidationError({field: _("Give a list of texts.")})


# --- Per-landscape status of each output -----------------------------------------------------


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETE = "complete", _("Complete")
    VALIDATED = "validated", _("Validated")


#: Statuses that count as done in element progress.
DONE = frozenset({Status.COMPLETE, Status.VALIDATED})


class OutputStatus(Protected, TimeStampedModel):
    """What a landscape's people say about one output; without a row the suggestion stands alone."""

    permission_type = "ilm_output"

    landscape = models.ForeignKey(Landscape, on_delete=models.CASCADE, related_name="ilm_outputs")
    # PROTECT: a platform admin must not erase landscapes' records by deleting an output.
    output = models.ForeignKey(Output, on_delete=models.PROTECT, related_name="+")
    #: Empty: nobody has confirmed a status, the suggestion applies.
    status = models.CharField(_("confirmed status"), max_length=12, choices=Status.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["landscape", "output"], name="output_status_unique")]

    def __str__(self) -> str:
        return f"{self.output_id} in {self.landscape_id}: {self.status or '-'}"

    def permission_subject(self) -> Subject:
        return output_subject(self.landscape)


def validate_evidence_url(value: str) -> None:
    """A web address (http/https) or a path on this platform ("/landscapes/…")."""
    if value.startswith("/"):
        if value.startswith("//") or "\\" in value or any(c.isspace() for c in value):
            raise ValidationError(_("Enter a web address (https://…) or a path on this site (/…)."))
        return
    URLValidator(
        schemes=["http", "https"], message=_("Enter a web address (https://…) or a path on this site (/…).")
    )(value)


class Evidence(models.Model):
    """A link that shows the work of an output: a document, a dataset, a map, a page of the platform."""

    output_status = models.ForeignKey(OutputStatus, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(_("title"), max_length=200)
    url = models.CharField(_("link"), max_length=500, validators=[validate_evidence_url])
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.title

    @property
    def is_internal(self) -> bool:
        return self.url.startswith("/")


# --- Stakeholder register (output 1.1) -------------------------------------------------------


class Sector(models.TextChoices):
    PUBLIC = "public", _("Public sector")
    PRIVATE = "private", _("Private sector")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    COMMUNITY = "community", _("Community")
    RESEARCH = "research", _("Research")


class Participation(models.TextChoices):
    """The IAP2 spectrum, from least to most shared power; the order matters."""

    INFORM = "inform", _("Inform")
    CONSULT = "consult", _("Consult")
    INVOLVE = "involve", _("Involve")
    COLLABORATE = "collaborate", _("Collaborate")
    EMPOWER = "empower", _("Empower")


PARTICIPATION_RANK = {code: rank for rank, code in enumerate(Participation.values)}


class Group(models.TextChoices):
    """Groups a stakeholder represents, for the inclusion checks."""

    WOMEN = "women", _("Women")
    YOUTH = "youth", _("Youth")
    INDIGENOUS = "indigenous", _("Indigenous peoples")
    SMALLHOLDERS = "smallholders", _("Smallholders")
    MARGINALISED = "marginalised", _("Other marginalised groups")


def validate_groups(value: Any) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("Give a list of groups."))
    unknown = sorted(set(value) - set(Group.values))
    if unknown:
        raise ValidationError(
            _("Unknown groups: %(groups)s. Use %(known)s.")
            % {"groups": ", ".join(unknown), "known": ", ".join(Group.values)}
        )


SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class Stakeholder(Protected, TimeStampedModel):
    """An organisation or group with a stake in the landscape."""

    permission_type = "stakeholder"

    landscape = models.ForeignKey(Landscape, on_delete=models.CASCADE, related_name="stakeholders")
    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation on the platform"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    type = models.CharField(
        _("type"),
        max_length=100,
        blank=True,
        help_text=_("For example: farmer association, ministry, buyer."),
    )
    role = models.TextField(_("role in the landscape"), blank=True, max_length=2000)
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    influence = models.PositiveSmallIntegerField(_("influence (1-5)"), validators=SCORE)
    interest = models.PositiveSmallIntegerField(_("interest (1-5)"), validators=SCORE)
    participation = models.CharField(
        _("participation level"), max_length=12, choices=Participation.choices, default=Participation.INFORM
    )
    represents = models.JSONField(_("represents"), default=list, blank=True, validators=[validate_groups])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "landscape",
                name="stakeholder_unique_name",
                violation_error_message=_("This landscape already has a stakeholder with this name."),
            ),
            models.CheckConstraint(
                condition=models.Q(influence__gte=1, influence__lte=5, interest__gte=1, interest__lte=5),
                name="stakeholder_scores_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def permission_subject(self) -> Subject:
        return stakeholder_subject(self.landscape_id)

    @property
    def quadrant(self) -> str:
        return quadrant(self.influence, self.interest)

    @property
    def strategy(self) -> str:
        return strategy_label(self.quadrant)

    def get_represents_display(self) -> list[str]:
        labels = dict(Group.choices)
        return [str(labels[g]) for g in self.represents if g in labels]


class StakeholderRelation(Protected, models.Model):
    """How two stakeholders relate; drawn as a network."""

    class Kind(models.TextChoices):
        COLLABORATES = "collaborates", _("collaborates with")
        CONFLICTS = "conflicts", _("is in conflict with")
        FUNDS = "funds", _("funds")
        REGULATES = "regulates", _("regulates")
        SUPPLIES = "supplies", _("supplies")
        OTHER = "other", _("has another relation with")

    #: Relations that read the same both ways: A–B and B–A are one relation.
    SYMMETRIC = frozenset({Kind.COLLABORATES, Kind.CONFLICTS, Kind.OTHER})

    permission_type = "stakeholder_register"

    landscape = models.ForeignKey(Landscape, on_delete=models.CASCADE, related_name="stakeholder_relations")
    source = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="relations_out")
    target = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="relations_in")
    kind = models.CharField(_("relation"), max_length=14, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["source__name", "kind", "target__name"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="relation_unique"),
            models.CheckConstraint(condition=~models.Q(source=models.F("target")), name="relation_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.kind} {self.target_id}"

    @property
    def directed(self) -> bool:
        return self.kind not in self.SYMMETRIC

    def permission_subject(self) -> Subject:
        return register_subject(self.landscape)


# --- Permission subjects for the landscape-level objects -------------------------------------


def plan_subject(landscape: Landscape) -> Subject:
    """The ILM dashboard follows the landscape: public landscapes show it to everyone."""
    return Subject(type="ilm_plan", landscape_id=landscape.pk, visibility=landscape.visibility)


def output_subject(landscape: Landscape) -> Subject:
    return Subject(type="ilm_output", landscape_id=landscape.pk, visibility=landscape.visibility)


def stakeholder_subject(landscape_id: int) -> Subject:
    """Any stakeholder of a landscape: members only, whatever the landscape's visibility, because
    influence scores and conflicts are sensitive judgements about named organisations."""
    return Subject(type="stakeholder", landscape_id=landscape_id, visibility=Visibility.PRIVATE)


def register_subject(landscape: Landscape) -> Subject:
    """The register as a whole: outsiders of a public landscape know it exists (403), not its content."""
    return Subject(type="stakeholder_register", landscape_id=landscape.pk, visibility=landscape.visibility)
