"""Monitoring plan (5.2) and results (5.1): indicators, measurements, and the starter library."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from landmosaic.core.models import TimeStampedModel
from landmosaic.core.permissions import Protected, Subject
from landmosaic.landscapes.models import Landscape

from .dashboard import Translated
from .strategy import Goal, Objective, Pillar, Return


class Direction(models.TextChoices):
    INCREASE = "increase", _("Increase")
    DECREASE = "decrease", _("Decrease")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Every month")
    QUARTERLY = "quarterly", _("Every three months")
    YEARLY = "yearly", _("Every year")
    EVERY_2_YEARS = "every_2_years", _("Every two years")
    EVERY_5_YEARS = "every_5_years", _("Every five years")


class Confidence(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


WEIGHT = [MinValueValidator(1), MaxValueValidator(10)]


class LibraryIndicator(Translated):
    """An indicator of the starter library (platform data, like the framework), to pick from."""

    translated_fields = ("name", "description", "unit", "method")

    code = models.CharField(_("code"), max_length=40, unique=True, help_text=_("Stable: never change it."))
    name = models.CharField(_("name"), max_length=300, help_text=_("English"))
    description = models.TextField(_("description"), blank=True, help_text=_("English"))
    unit = models.CharField(_("unit"), max_length=50, help_text=_("English"))
    method = models.TextField(_("method"), blank=True, help_text=_("English"))
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    frequency = models.CharField(_("frequency"), max_length=14, choices=Frequency.choices)
    pillar = models.CharField(_("LandScale pillar"), max_length=20, choices=Pillar.choices)
    return_kind = models.CharField(_("return"), max_length=12, choices=Return.choices)
    sort = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort", "code"]
        verbose_name = _("library indicator")
        verbose_name_plural = _("indicator library")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Indicator(Protected, TimeStampedModel):
    """What the partnership measures for a goal or an objective, from a baseline towards a target."""

    permission_type = "monitoring"

    landscape = models.ForeignKey(Landscape, on_delete=models.CASCADE, related_name="ilm_indicators")
    goal = models.ForeignKey(Goal, null=True, blank=True, on_delete=models.CASCADE, related_name="indicators")
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.CASCADE, related_name="indicators"
    )
    #: The starter-library indicator it was picked from, if any (a code: the library may change).
    library_code = models.CharField(_("from the library"), max_length=40, blank=True)
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50)
    baseline_value = models.FloatField(_("baseline value"), null=True, blank=True)
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    target_value = models.FloatField(_("target value"), null=True, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    frequency = models.CharField(_("frequency"), max_length=14, choices=Frequency.choices)
    method = models.TextField(_("method"), blank=True, max_length=5000)
    measured_by = models.CharField(_("who measures"), max_length=200, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1, validators=WEIGHT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(goal__isnull=False, objective__isnull=True)
                | models.Q(goal__isnull=True, objective__isnull=False),
                name="indicator_under_goal_or_objective",
            ),
            models.CheckConstraint(
                condition=models.Q(target_date__isnull=True)
                | models.Q(baseline_date__isnull=True)
                | models.Q(target_date__gt=models.F("baseline_date")),
                name="indicator_target_after_baseline",
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gte=1, weight__lte=10), name="indicator_weight"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def permission_subject(self) -> Subject:
        return monitoring_subject(self.landscape)


class Measurement(Protected, models.Model):
    """A value of an indicator on a date, entered by hand, with its source and confidence."""

    permission_type = "monitoring"

    landscape = models.ForeignKey(Landscape, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    value = models.FloatField(_("value"))
    date = models.DateField(_("date"))
    source = models.CharField(_("source"), max_length=300, blank=True)
    confidence = models.CharField(
        _("confidence"), max_length=6, choices=Confidence.choices, default=Confidence.MEDIUM
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["indicator", "date"], name="measurement_date")]

    def __str__(self) -> str:
        return f"{self.value} on {self.date}"

    def permission_subject(self) -> Subject:
        return monitoring_subject(self.landscape)


def monitoring_subject(landscape: Landscape) -> Subject:
    """Indicators and measurements follow the landscape's visibility."""
    return Subject(type="monitoring", landscape_id=landscape.pk, visibility=landscape.visibility)
