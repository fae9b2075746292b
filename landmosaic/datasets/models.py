"""The data commons: datasets, their immutable versions, and whom they are shared with.

A dataset row and its first version are written by the ingest job in one transaction, so an
ingesting or failed upload never exists as a dataset anyone could see; the job itself shows the
progress and the reason of a failure.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from landmosaic.core.models import TimeStampedModel
from landmosaic.core.permissions import Protected, Subject, Visibility
from landmosaic.landscapes.models import Landscape

from .ingest.messages import IngestMessage
from .vocabularies import DEFAULT_LICENSE, ILM_OUTPUTS, LICENSES


class Dataset(Protected, TimeStampedModel):
    """A described, versioned, shareable piece of a landscape's data."""

    class Kind(models.TextChoices):
        VECTOR = "vector", _("Map layer")
        TABLE = "table", _("Table")
        RASTER = "raster", _("Raster")
        DOCUMENT = "document", _("Document")

    class DownloadAccess(models.TextChoices):
        VIEWERS = "viewers", _("Everyone who can see the dataset")
        MEMBERS = "members", _("Only members of the landscape")

    class UpdateFrequency(models.TextChoices):
        UNKNOWN = "unknown", _("Unknown")
        NEVER = "never", _("Not updated (complete)")
        CONTINUAL = "continual", _("Continually")
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        ANNUALLY = "annually", _("Annually")
        IRREGULAR = "irregular", _("Irregularly")

    permission_type = "dataset"

    landscape = models.ForeignKey(Landscape, on_delete=models.CASCADE, related_name="datasets")
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(max_length=80)
    description = models.TextField(_("description"), blank=True, max_length=10000)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    #: Codes of ILM outputs ("2.1"), see vocabularies.ILM_OUTPUTS.
    themes = models.JSONField(_("themes"), default=list, blank=True)
    license = models.CharField(_("licence"), max_length=40, default=DEFAULT_LICENSE)
    attribution = models.CharField(_("attribution"), max_length=300, blank=True)
    provenance = models.TextField(_("provenance"), blank=True, max_length=5000)
    language = models.CharField(_("language of the data"), max_length=12, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    update_frequency = models.CharField(
        _("update frequency"), max_length=12, choices=UpdateFrequency.choices, default=UpdateFrequency.UNKNOWN
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, db_index=True)

    # Coverage, filled from the current version.
    temporal_start = models.DateField(_("from"), null=True, blank=True)
    temporal_end = models.DateField(_("until"), null=True, blank=True)
    bbox_west = models.FloatField(null=True, blank=True, db_index=True)
    bbox_south = models.FloatField(null=True, blank=True, db_index=True)
    bbox_east = models.FloatField(null=True, blank=True, db_index=True)
    bbox_north = models.FloatField(null=True, blank=True, db_index=True)

    # Access.
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE, db_index=True
    )
    restricted = models.BooleanField(_("restricted"), default=False)
    download_access = models.CharField(
        _("who may download"), max_length=10, choices=DownloadAccess.choices, default=DownloadAccess.VIEWERS
    )

    current_version = models.ForeignKey(
        "DatasetVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["landscape", "slug"], name="dataset_unique_slug")]
        indexes = [models.Index(fields=["landscape", "-updated_at"], name="dataset_landscape_recent")]

    def __str__(self) -> str:
        return self.title

    def _shared_with(self) -> frozenset[tuple[str, int]]:
        if self.visibility != Visibility.SHARED:
            return frozenset()
        return frozenset((s.target_type, s.target_id) for s in self.shares.all())

    #: The share link this instance was opened through (set by ``selectors.dataset_by_link`` only).
    _link_grant: DatasetLink | None = None

    def _granted(self, *, download: bool) -> frozenset[int]:
        """The people granted access to this restricted dataset (to download it too, with ``download``)."""
        if not self.restricted:
            return frozenset()
        return frozenset(g.user_id for g in self.grants.all() if g.allow_download or not download)

    def _own_subject(self) -> Subject:
        return Subject(
            type="dataset",
            landscape_id=self.landscape_id,
            visibility=self.visibility,
            restricted=self.restricted,
            shared_with=self._shared_with(),
            granted_user_ids=self._granted(download=False),
        )

    def _link_subject(self) -> Subject:
        """What holding a share link grants: this one dataset, seen as if public (roles still count
        for everything else, since every other action needs a role in the landscape)."""
        return Subject(type="dataset", landscape_id=self.landscape_id, visibility=Visibility.PUBLIC)

    def permission_subject(self) -> Subject:
        if self._link_grant is not None:
            return self._link_subject()
        return self._own_subject()

    def download_subject(self) -> Subject:
        """Who may download: as for seeing it, or only the landscape's own members; a share link
        lets its holders download only when its creator allowed it."""
        if self._link_grant is not None and self._link_grant.allow_download:
            return self._link_subject()
        if self.restricted:
            # Restricted data: its managers, and the people granted download by name, whatever
            # ``download_access`` says.
            return Subject(
                type="dataset", landscape_id=self.landscape_id, restricted=True,
                granted_user_ids=self._granted(download=True),
            )  # fmt: skip
        if self.download_access == self.DownloadAccess.MEMBERS:
            return Subject(
                type="dataset", landscape_id=self.landscape_id, visibility=Visibility.PRIVATE,
                restricted=self.restricted,
            )  # fmt: skip
        return self._own_subject()

    def get_absolute_url(self) -> str:
        return reverse("datasets:detail", kwargs={"slug": self.landscape.slug, "dataset": self.slug})

    @property
    def bbox(self) -> list[float] | None:
        if self.bbox_west is None:
            return None
        return [self.bbox_west, self.bbox_south, self.bbox_east, self.bbox_north]

    @property
    def theme_labels(self) -> list[tuple[str, str]]:
        return [(code, str(ILM_OUTPUTS[code])) for code in self.themes if code in ILM_OUTPUTS]

    @property
    def license_name(self) -> str:
        name, _url = LICENSES.get(self.license, (self.license, ""))
        return str(name)

    @property
    def license_url(self) -> str:
        return LICENSES.get(self.license, ("", ""))[1]


class DatasetVersion(models.Model):
    """One upload of a dataset, immutable once written: the original byte for byte, its normalised
    archival copy, and what inspection found."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    note = models.CharField(_("what changed"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ingest_job_id = models.UUIDField(null=True, blank=True)

    # Files in default storage, under a random prefix that nobody can guess.
    storage_prefix = models.CharField(max_length=200)
    original_path = models.CharField(max_length=500)
    original_filename = models.CharField(max_length=255)
    original_sha256 = models.CharField(max_length=64)
    original_size = models.BigIntegerField()
    original_format = models.CharField(max_length=20)
    media_type = models.CharField(max_length=120)
    source_layer = models.CharField(max_length=255, blank=True)
    geometry_family = models.CharField(max_length=10, blank=True)
    normalised_path = models.CharField(max_length=500, blank=True)
    normalised_format = models.CharField(max_length=10, blank=True)
    normalised_size = models.BigIntegerField(null=True, blank=True)

    # Inspection.
    crs = models.TextField(blank=True)
    geometry_type = models.CharField(max_length=40, blank=True)
    fields = models.JSONField(default=list, blank=True)
    row_count = models.BigIntegerField(null=True, blank=True)
    bbox_4326 = models.JSONField(null=True, blank=True)
    temporal = models.JSONField(default=list, blank=True)
    table_schema = models.JSONField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    change_summary = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "number"], name="datasetversion_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.dataset} v{self.number}"

    # Integrity guard, not business logic: a version never changes once written.
    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Dataset versions are immutable.")
        super().save(*args, **kwargs)

    def warning_texts(self) -> list[str]:
        """The ingest warnings in the reader's language."""
        return [IngestMessage(w["code"], w.get("params", {})).render(gettext) for w in self.warnings]


class DatasetShare(models.Model):
    """A landscape or an organisation that may see a dataset whose visibility is "shared"."""

    class TargetType(models.TextChoices):
        LANDSCAPE = "landscape", _("Landscape")
        ORGANISATION = "organisation", _("Organisation")

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="shares")
    target_type = models.CharField(max_length=12, choices=TargetType.choices)
    # Plain ids, as core.permissions reads principals: ("landscape"|"organisation", id).
    target_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["target_type", "target_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "target_type", "target_id"], name="datasetshare_unique"
            )
        ]
        indexes = [models.Index(fields=["target_type", "target_id"], name="datasetshare_target")]

    def __str__(self) -> str:
        return f"{self.dataset} shared with {self.target_type} {self.target_id}"


class DatasetGrant(models.Model):
    """A named person who may see a restricted dataset (and download it when ``allow_download``),
    besides the landscape's managers. Grants matter only while the dataset is restricted."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="grants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dataset_grants"
    )
    allow_download = models.BooleanField(_("allow download"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["dataset", "user"], name="datasetgrant_unique")]

    def __str__(self) -> str:
        return f"Grant of {self.dataset_id} to {self.user_id}"


class DatasetLink(models.Model):
    """An "anyone with the link" grant: whoever holds the token may see this one dataset (and
    download it when ``allow_download``), without an account. Only the token's sha256 is kept."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="links")
    token_sha256 = models.CharField(max_length=64, unique=True)
    allow_download = models.BooleanField(_("allow download"), default=False)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Share link {self.pk} of {self.dataset_id}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8")).hexdigest()

    def is_active(self, today: date) -> bool:
        return self.revoked_at is None and (self.expires_on is None or self.expires_on >= today)


class UploadKey(models.Model):
    """The idempotency key a page sent with one file (upload.js): a second request with the same
    key, after a connection lost before the answer, gets the job of the first instead of a second
    dataset. Kept as long as its job (at least the 24 h a retry may take); the sha256 and size
    tell a retry of the same file from a key reused for another one."""

    MAX_LENGTH = 100

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    landscape = models.ForeignKey(Landscape, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=MAX_LENGTH)
    job = models.ForeignKey("core.Job", on_delete=models.CASCADE, related_name="+")
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # Two requests racing with the same key: the second insert fails and answers the first's job.
            models.UniqueConstraint(fields=["user", "landscape", "key"], name="upload_key_unique")
        ]

    def __str__(self) -> str:
        return f"Upload key {self.key} of {self.user_id}"
