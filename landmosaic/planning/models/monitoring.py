"""Monitoring plan (5.2) and results (5.1): indicators, measurements, and the starter library."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from landmosaic.core.models import TimeStampedModel
from landmosaic.core.permissions import Protected, Subject
from landmosaic.datasets.models import Dataset
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
    #: Where it is measured, if somewhere in particular: GeoJSON Point, Polygon or MultiPolygon.
    geometry = models.JSONField(_("where it is measured"), null=True, blank=True)
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
    #: Computed from the indicator's dataset source (re-computing replaces the one of the same date).
    computed = models.BooleanField(_("computed"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["indicator", "date"], name="measurement_date")]

    def __str__(self) -> str:
        return f"{self.value} on {self.date}"

    def permission_subject(self) -> Subject:
        return monitoring_subject(self.landscape)


class ComputedSource(Protected, TimeStampedModel):
    """Where an indicator's measurements are computed from: a table or vector dataset of the commons
    (a field form's records, a scenario run's indicators table …) and the figure to take from it."""

    permission_type = "monitoring"

    class Operation(models.TextChoices):
        COUNT = "count", _("Count of records (rows)")
        SUM = "sum", _("Sum of a column")
        MEAN = "mean", _("Mean of a column")
        VALUE = "value", _("Value of a column in one row (such as a year of a scenario run)")

    landscape = models.ForeignKey(Landscape, on_delete=models.CASCADE, related_name="+")
    indicator = models.OneToOneField(Indicator, on_delete=models.CASCADE, related_name="computed_source")
    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="+", verbose_name=_("dataset")
    )
    operation = models.CharField(_("figure"), max_length=5, choices=Operation.choices)
    column = models.CharField(_("column"), max_length=200, blank=True)
    date_column = models.CharField(_("date column"), max_length=200, blank=True)
    date_from = models.DateField(_("from"), null=True, blank=True)
    date_to = models.DateField(_("to"), null=True, blank=True)
    match_column = models.CharField(_("row where column"), max_length=200, blank=True)
    match_value = models.FloatField(_("equals"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_to__isnull=True)
                | models.Q(date_from__isnull=True)
                | models.Q(date_to__gte=models.F("date_from")),
                name="computed_source_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.operation} of dataset {self.dataset_id} for indicator {self.indicator_id}"

    def permission_subject(self) -> Subject:
        return monitoring_subject(self.landscape)


def monitoring_subject(landscape: Landscape) -> Subject:
    """Indicators and measurements follow the landscape's visibility."""
    return Subject(type="monitoring", landscape_id=landscape.pk, visibility=landscape.visibility)
