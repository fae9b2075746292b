"""Maps: saved point maps ("data maps") built on datasets of the commons."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from landmosaic.core.models import TimeStampedModel
from landmosaic.core.permissions import Protected, Subject, Visibility
from landmosaic.datasets.models import Dataset, DatasetShare
from landmosaic.landscapes.models import Landscape


class PointMap(Protected, TimeStampedModel):
    """A saved map of the rows of a table or point layer: where each row is, its colour by a field,
    the size of the points and what a tap on one shows. It belongs to the dataset's landscape and
    is seen only by those who may also see the dataset (``Subject.within``)."""

    class ColourMode(models.TextChoices):
        SINGLE = "single", _("One colour for every point")
        CATEGORIES = "categories", _("A colour for each value")
        GRADUATED = "graduated", _("Graduated colours for numbers")

    permission_type = "point_map"

    landscape = models.ForeignKey(Landscape, on_delete=models.CASCADE, related_name="point_maps")
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="point_maps")
    slug = models.SlugField(max_length=80)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    #: Columns of degrees; both empty: the positions of the layer's own point geometries.
    latitude_field = models.CharField(_("latitude column"), max_length=255, blank=True)
    longitude_field = models.CharField(_("longitude column"), max_length=255, blank=True)
    colour_field = models.CharField(_("colour by"), max_length=255, blank=True)
    colour_mode = models.CharField(
        _("colours"), max_length=12, choices=ColourMode.choices, default=ColourMode.SINGLE
    )
    point_size = models.PositiveSmallIntegerField(_("point size"), default=6)
    popup_fields = models.JSONField(_("shown when a point is tapped"), default=list, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["title", "id"]
        constraints = [models.UniqueConstraint(fields=["landscape", "slug"], name="pointmap_unique_slug")]

    def __str__(self) -> str:
        return self.title

    def permission_subject(self) -> Subject:
        shared = (
            frozenset((s.target_type, s.target_id) for s in self.shares.all())
            if self.visibility == Visibility.SHARED
            else frozenset()
        )
        return Subject(
            type="point_map",
            landscape_id=self.landscape_id,
            visibility=self.visibility,
            shared_with=shared,
            within=self.dataset.permission_subject(),
        )

    def get_absolute_url(self) -> str:
        return reverse("maps:point_map", kwargs={"slug": self.landscape.slug, "point_map": self.slug})


class PointMapShare(models.Model):
    """A landscape or an organisation that may see a point map whose visibility is "shared"."""

    point_map = models.ForeignKey(PointMap, on_delete=models.CASCADE, related_name="shares")
    # The target types of dataset shares: ("landscape"|"organisation", id), as core.permissions reads them.
    target_type = models.CharField(max_length=12, choices=DatasetShare.TargetType.choices)
    target_id = models.BigIntegerField()

    class Meta:
        ordering = ["target_type", "target_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["point_map", "target_type", "target_id"], name="pointmapshare_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.point_map} shared with {self.target_type} {self.target_id}"
