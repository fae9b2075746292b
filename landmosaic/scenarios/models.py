"""Scenario sets (two land-cover maps and the tables that value them), scenarios and their runs.

A set belongs to a landscape and follows its visibility; its maps are two raster versions of the
landscape's data commons. A run's maps and indicator table are stored as datasets of the commons,
and who may see a run's results follows who may see its land-cover dataset (private by default).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from landmosaic.core.models import Job, TimeStampedModel
from landmosaic.core.permissions import Protected, Subject, Visibility
from landmosaic.datasets.models import Dataset, DatasetVersion
from landmosaic.landscapes.models import Landscape


class ClassRole(models.TextChoices):
    """What a land-cover class is, for counting restoration and degradation."""

    NATURAL = "natural", _("Natural vegetation")
    FARMED = "farmed", _("Farmed or grazed")
    BUILT = "built", _("Built-up")
    WATER = "water", _("Water, snow or ice")
    OTHER = "other", _("Other")


class ScenarioSet(Protected, TimeStampedModel):
    """Two dated land-cover maps of a landscape, their legend and the tables that turn maps into impacts.

    ``legend``: [{"code", "name", "colour" "#rrggbb", "role"}]; ``carbon_pools``: InVEST rows
    [{"lucode", "c_above", "c_below", "c_soil", "c_dead"}] in Mg C/ha; ``coefficients``:
    [{"lucode", "water", "income"}] per hectare and year. ``change`` keeps the annual transition
    matrix computed on the first run, so later runs reuse the very same numbers.
    """

    permission_type = "scenario_set"

    landscape = models.ForeignKey(Landscape, on_delete=models.CASCADE, related_name="scenario_sets")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    t0_version = models.ForeignKey(
        DatasetVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    t1_version = models.ForeignKey(
        DatasetVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    t0_year = models.PositiveSmallIntegerField(_("year of the first map"))
    t1_year = models.PositiveSmallIntegerField(_("year of the second map"))
    legend = models.JSONField(default=list, blank=True)
    carbon_pools = models.JSONField(default=list, blank=True)
    coefficients = models.JSONField(default=list, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    carbon_price = models.FloatField(_("price per Mg of carbon"), default=0.0)
    discount_rate = models.FloatField(_("discount rate (% per year)"), default=0.0)
    price_change = models.FloatField(_("annual change of the carbon price (%)"), default=0.0)
    horizon_years = models.PositiveSmallIntegerField(_("years to project"), default=20)
    seed = models.PositiveIntegerField(_("random seed"), default=1)
    change = models.JSONField(default=dict, blank=True)
    #: Driver rasters of the allocation: [{dataset_id, version, title, weight, effect}] (see drivers.py).
    drivers = models.JSONField(default=list, blank=True)
    #: Land that never changes in any scenario: {"classes": [codes], "zone": GeoJSON or None, "zone_source"}.
    no_change = models.JSONField(default=dict, blank=True)
    #: Areas the results are reported by: {"dataset_id", "version", "title", "zones": [{name, geometry}]}.
    report_zones = models.JSONField(default=dict, blank=True)
    #: The figures of the last hindcast that finished (see hindcasts.py), or {}: what the set's page shows.
    #: Every hindcast, under way or done, is a ``Hindcast``.
    hindcast = models.JSONField(default=dict, blank=True)
    #: What checking the two maps found, e.g. that the first is resampled onto the second's grid.
    warnings = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["landscape", "-updated_at"], name="scenarioset_landscape_recent")]

    def __str__(self) -> str:
        return self.title

    def permission_subject(self) -> Subject:
        return Subject(
            type="scenario_set", landscape_id=self.landscape_id, visibility=self.landscape.visibility
        )

    def get_absolute_url(self) -> str:
        return reverse("scenarios:set", kwargs={"slug": self.landscape.slug, "set_id": self.pk})

    @property
    def period_years(self) -> int:
        return self.t1_year - self.t0_year

    @property
    def final_year(self) -> int:
        return self.t1_year + self.horizon_years

    def legend_by_code(self) -> dict[int, dict[str, Any]]:
        return {int(entry["code"]): entry for entry in self.legend}

    def class_name(self, code: int) -> str:
        entry = self.legend_by_code().get(int(code))
        return entry["name"] if entry else str(code)


class Scenario(Protected, TimeStampedModel):
    """Business as usual, or an alternative: interventions on top of it, each from a start year.

    ``interventions``: [{"kind", "start_year", "end_year", "from_class", "to_class", "multiplier",
    "hectares_per_year", "zone" (GeoJSON geometry in longitude/latitude or null), "zone_source"}].
    """

    class Kind(models.TextChoices):
        BAU = "bau", _("Business as usual")
        ALTERNATIVE = "alternative", _("Alternative")

    permission_type = "scenario"
    permission_landscape_field = "scenario_set__landscape_id"

    scenario_set = models.ForeignKey(ScenarioSet, on_delete=models.CASCADE, related_name="scenarios")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.ALTERNATIVE)
    interventions = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kind", "name", "id"]  # "alternative" < "bau": BAU is put first by the selectors
        constraints = [
            models.UniqueConstraint(
                fields=["scenario_set"],
                condition=models.Q(kind="bau"),
                name="scenario_one_bau_per_set",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def permission_subject(self) -> Subject:
        landscape = self.scenario_set.landscape
        return Subject(type="scenario", landscape_id=landscape.pk, visibility=landscape.visibility)

    def get_absolute_url(self) -> str:
        return reverse(
            "scenarios:scenario",
            kwargs={
                "slug": self.scenario_set.landscape.slug,
                "set_id": self.scenario_set_id,
                "scenario_id": self.pk,
            },
        )

    @property
    def is_bau(self) -> bool:
        return self.kind == self.Kind.BAU


class Run(Protected, models.Model):
    """One projection of a scenario: its job, yearly indicators and the datasets it produced.

    ``fingerprint`` hashes every input, so pressing "run" again on unchanged inputs returns this
    run instead of computing and storing the same maps twice.
    """

    Status = Job.Status

    permission_type = "scenario_run"
    permission_landscape_field = "scenario__scenario_set__landscape_id"

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="runs")
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=12, choices=Job.Status.choices, default=Job.Status.QUEUED)
    fingerprint = models.CharField(max_length=64, db_index=True)
    #: The set's inputs alone: a business-as-usual run with the same value is comparable to this run.
    set_fingerprint = models.CharField(max_length=64, db_index=True)
    base_year = models.PositiveSmallIntegerField()
    final_year = models.PositiveSmallIntegerField()
    indicators = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    landcover_dataset = models.ForeignKey(
        Dataset, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    table_dataset = models.ForeignKey(
        Dataset, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.scenario} run {self.pk} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse(
            "scenarios:run", kwargs={"slug": self.scenario.scenario_set.landscape.slug, "run_id": self.pk}
        )

    def permission_subject(self) -> Subject:
        """Results are seen by whoever may see the run's land-cover dataset; before it exists, members."""
        landscape_id = self.scenario.scenario_set.landscape_id
        dataset = self.landcover_dataset
        if dataset is None:
            return Subject(type="scenario_run", landscape_id=landscape_id, visibility=Visibility.PRIVATE)
        subject = dataset.permission_subject()
        return Subject(
            type="scenario_run",
            landscape_id=landscape_id,
            visibility=subject.visibility,
            restricted=subject.restricted,
            shared_with=subject.shared_with,
        )

    @property
    def is_finished(self) -> bool:
        return self.status in {Job.Status.SUCCEEDED, Job.Status.FAILED, Job.Status.CANCELLED}

    @property
    def succeeded(self) -> bool:
        return self.status == Job.Status.SUCCEEDED


class Hindcast(models.Model):
    """One check of a set's model against a later observed land-cover map: its job, then its figures
    (``hindcasts.run_hindcast``'s dict). Who may see or run it follows its set: not a permission subject
    of its own."""

    Status = Job.Status

    scenario_set = models.ForeignKey(ScenarioSet, on_delete=models.CASCADE, related_name="hindcasts")
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=12, choices=Job.Status.choices, default=Job.Status.QUEUED)
    #: The later map; null once it is deleted from the data (the figures keep its title).
    t2_version = models.ForeignKey(
        DatasetVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    t2_year = models.PositiveSmallIntegerField()
    figures = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Hindcast {self.pk} of {self.scenario_set} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in {Job.Status.SUCCEEDED, Job.Status.FAILED, Job.Status.CANCELLED}

    @property
    def succeeded(self) -> bool:
        return self.status == Job.Status.SUCCEEDED
