"""Landscapes, their partnership, members, invitations and the controlled vocabularies of profiles."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from landmosaic.accounts.models import Organisation
from landmosaic.core.models import TimeStampedModel
from landmosaic.core.permissions import ROLE_CHOICES, Protected, Role, Subject, Visibility

from .licences import DEFAULT_LICENSE


class Term(models.Model):
    """A term of a controlled vocabulary (ecosystems, livelihoods…), stored as data with translations."""

    class Vocabulary(models.TextChoices):
        AREA_TYPE = "area_type", _("Area type")
        ECOSYSTEM = "ecosystem", _("Ecosystem")
        LIVELIHOOD = "livelihood", _("Livelihood")
        COMMODITY = "commodity", _("Commodity")
        LANGUAGE = "language", _("Language")

    vocabulary = models.CharField(max_length=20, choices=Vocabulary.choices)
    code = models.SlugField(max_length=60)
    label = models.CharField(max_length=120, help_text="English label")
    #: {"es": "...", "fr": "...", "pt": "..."}
    translations = models.JSONField(default=dict, blank=True)
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["vocabulary", "sort", "label"]
        constraints = [models.UniqueConstraint(fields=["vocabulary", "code"], name="term_unique_code")]

    def __str__(self) -> str:
        return self.localized_label

    @property
    def localized_label(self) -> str:
        language = (translation.get_language() or "en")[:2]
        return self.translations.get(language) or self.label


class Landscape(Protected, TimeStampedModel):
    """A place managed together: its profile, boundary and partnership."""

    class BoundaryKind(models.TextChoices):
        NONE = "none", _("No boundary yet")
        POLYGON = "polygon", _("Polygon")
        POINT = "point", _("Single point")

    permission_type = "landscape"
    permission_landscape_field = "id"

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=10000)
    country = CountryField(_("country"), blank=True, db_index=True)
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE, db_index=True
    )

    # Boundary: GeoJSON in EPSG:4326 plus derived figures; bbox columns make spatial filters indexable.
    boundary_kind = models.CharField(max_length=10, choices=BoundaryKind.choices, default=BoundaryKind.NONE)
    boundary_geojson = models.JSONField(null=True, blank=True)
    boundary_display_geojson = models.JSONField(null=True, blank=True)
    boundary_source = models.CharField(max_length=200, blank=True)
    area_ha = models.FloatField(_("area (ha)"), null=True, blank=True)
    centroid_lon = models.FloatField(null=True, blank=True)
    centroid_lat = models.FloatField(null=True, blank=True)
    bbox_west = models.FloatField(null=True, blank=True, db_index=True)
    bbox_south = models.FloatField(null=True, blank=True, db_index=True)
    bbox_east = models.FloatField(null=True, blank=True, db_index=True)
    bbox_north = models.FloatField(null=True, blank=True, db_index=True)

    # Profile.
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)
    area_types = models.ManyToManyField(Term, blank=True, related_name="+", verbose_name=_("area types"))
    ecosystems = models.ManyToManyField(Term, blank=True, related_name="+", verbose_name=_("ecosystems"))
    livelihoods = models.ManyToManyField(Term, blank=True, related_name="+", verbose_name=_("livelihoods"))
    commodities = models.ManyToManyField(Term, blank=True, related_name="+", verbose_name=_("commodities"))
    languages = models.ManyToManyField(Term, blank=True, related_name="+", verbose_name=_("languages"))
    profile_image = models.ImageField(_("profile image"), upload_to="landscape-images/%Y/", blank=True)
    profile_image_alt = models.CharField(_("image description (alt text)"), max_length=300, blank=True)

    # Settings (managers). The licence new datasets get when their uploader names none; validated
    # against the SPDX list of ``licences`` by the services, so the list can grow without a migration.
    default_license = models.CharField(
        _("default licence for new datasets"), max_length=40, default=DEFAULT_LICENSE
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["visibility", "name"], name="landscape_directory")]

    def __str__(self) -> str:
        return self.name

    def permission_subject(self) -> Subject:
        return Subject(type="landscape", landscape_id=self.pk, visibility=self.visibility)

    def get_absolute_url(self) -> str:
        return reverse("landscapes:detail", kwargs={"slug": self.slug})


class Partnership(TimeStampedModel):
    """The multi-stakeholder coalition that manages a landscape."""

    class Status(models.TextChoices):
        EXPLORING = "exploring", _("Exploring")
        FORMING = "forming", _("Forming")
        ACTIVE = "active", _("Active")
        DORMANT = "dormant", _("Dormant")

    landscape = models.OneToOneField(Landscape, on_delete=models.CASCADE, related_name="partnership")
    name = models.CharField(_("partnership name"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.EXPLORING)
    year_founded = models.PositiveSmallIntegerField(_("year founded"), null=True, blank=True)
    lead_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("lead organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_partnerships",
    )
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="partnerships", verbose_name=_("affiliated organisations")
    )
    description = models.TextField(_("description"), blank=True, max_length=5000)

    def __str__(self) -> str:
        return self.name or str(self.landscape)


class Membership(TimeStampedModel):
    landscape = models.ForeignKey(Landscape, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=ROLE_CHOICES, default=Role.MEMBER.slug)

    class Meta:
        ordering = ["landscape", "user__email"]
        constraints = [models.UniqueConstraint(fields=["landscape", "user"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} in {self.landscape} ({self.role})"

    @property
    def role_enum(self) -> Role:
        return Role.from_slug(self.role)


def _invitation_token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(TimeStampedModel):
    """An invitation by email; it waits for people who have no account yet."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        REVOKED = "revoked", _("Revoked")

    landscape = models.ForeignKey(Landscape, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=10, choices=ROLE_CHOICES, default=Role.MEMBER.slug)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["landscape", "email"],
                condition=models.Q(status="pending"),
                name="invitation_one_pending_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.landscape}"


class JoinRequest(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    landscape = models.ForeignKey(Landscape, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests")
    message = models.TextField(_("message"), blank=True, max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["landscape", "user"],
                condition=models.Q(status="pending"),
                name="joinrequest_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} asks to join {self.landscape}"
