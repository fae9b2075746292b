"""Shared vision (3.1) and landscape strategy (3.2): vision, zones, goals and SMART objectives."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from landmosaic.core.models import TimeStampedModel
from landmosaic.core.permissions import Protected, Subject
from landmosaic.landscapes.models import Landscape


class Return(models.TextChoices):
    """Commonland's four returns: reported side by side, never summed."""

    INSPIRATION = "inspiration", _("Inspiration")
    SOCIAL = "social", _("Social")
    NATURAL = "natural", _("Natural")
    FINANCIAL = "financial", _("Financial")


class Pillar(models.TextChoices):
    """The four pillars of LandScale."""

    ECOSYSTEMS = "ecosystems", _("Ecosystems")
    HUMAN_WELL_BEING = "human_well_being", _("Human well-being")
    GOVERNANCE = "governance", _("Governance")
    PRODUCTION = "production", _("Production")


class ZoneKind(models.TextChoices):
    """Commonland's three zones."""

    NATURAL = "natural", _("Natural zone")
    COMBINED = "combined", _("Combined zone (regenerative production)")
    ECONOMIC = "economic", _("Economic zone (settlements, infrastructure, industry)")


HORIZON_YEARS = [MinValueValidator(2000), MaxValueValidator(2200)]


class Vision(Protected, TimeStampedModel):
    """The landscape's shared vision: one per landscape. It is agreed when a manager marks it so."""

    permission_type = "strategy"

    landscape = models.OneToOneField(Landscape, on_delete=models.CASCADE, related_name="ilm_vision")
    statement = models.TextField(_("vision statement"), max_length=10_000)
    horizon_year = models.PositiveSmallIntegerField(_("horizon year"), validators=HORIZON_YEARS)
    image = models.ImageField(_("image"), upload_to="plan-vision/%Y/", blank=True)
    image_alt = models.CharField(_("image description (alt text)"), max_length=300, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(horizon_year__gte=2000, horizon_year__lte=2200), name="vision_horizon_year"
            )
        ]

    def __str__(self) -> str:
        return f"Vision {self.horizon_year} of {self.landscape_id}"

    @property
    def agreed(self) -> bool:
        return self.agreed_at is not None

    def permission_subject(self) -> Subject:
        return strategy_subject(self.landscape)


class Zone(Protected, TimeStampedModel):
    """A natural, combined or economic zone drawn on the map (GeoJSON Polygon or MultiPolygon)."""

    permission_type = "strategy"

    landscape = models.ForeignKey(Landscape, on_delete=models.CASCADE, related_name="ilm_zones")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind of zone"), max_length=10, choices=ZoneKind.choices)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    geometry = models.JSONField(_("area on the map"))
    area_ha = models.FloatField(_("area (ha)"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kind", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "landscape",
                name="zone_unique_name",
                violation_error_message=_("This landscape already has a zone with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def permission_subject(self) -> Subject:
        return strategy_subject(self.landscape)


class Goal(Protected, TimeStampedModel):
    """A long-term goal, tagged with one of the four returns and a LandScale pillar."""

    permission_type = "strategy"

    landscape = models.ForeignKey(Landscape, on_delete=models.CASCADE, related_name="ilm_goals")
    title = models.CharField(_("goal"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    return_kind = models.CharField(_("return"), max_length=12, choices=Return.choices)
    pillar = models.CharField(_("LandScale pillar"), max_length=20, choices=Pillar.choices)
    zones = models.ManyToManyField(Zone, blank=True, related_name="goals", verbose_name=_("zones"))
    sort = models.PositiveSmallIntegerField(_("order"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["sort", "id"]

    def __str__(self) -> str:
        return self.title

    def permission_subject(self) -> Subject:
        return strategy_subject(self.landscape)


class Objective(Protected, TimeStampedModel):
    """A SMART objective under a goal: what, how much (in a unit), by when, where."""

    permission_type = "strategy"

    landscape = models.ForeignKey(Landscape, on_delete=models.CASCADE, related_name="ilm_objectives")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="objectives")
    what = models.CharField(_("what"), max_length=300)
    how_much = models.FloatField(_("how much"))
    unit = models.CharField(_("unit"), max_length=50)
    by_when = models.DateField(_("by when"))
    where = models.CharField(_("where"), max_length=300, blank=True)
    zone = models.ForeignKey(
        Zone,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="objectives",
        verbose_name=_("zone"),
    )
    sort = models.PositiveSmallIntegerField(_("order"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["goal__sort", "goal_id", "sort", "id"]

    def __str__(self) -> str:
        return self.what

    def permission_subject(self) -> Subject:
        return strategy_subject(self.landscape)


def strategy_subject(landscape: Landscape) -> Subject:
    """Vision, zones, goals and objectives follow the landscape: a public landscape shares its vision."""
    return Subject(type="strategy", landscape_id=landscape.pk, visibility=landscape.visibility)
