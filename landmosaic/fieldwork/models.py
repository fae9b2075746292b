"""Field data: XLSForm forms and their versions, media, collector access, submissions, attachments."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from landmosaic.core.models import TimeStampedModel
from landmosaic.core.permissions import Protected, Subject, Visibility
from landmosaic.landscapes.models import Landscape


def _random_dir() -> str:
    # Private files live under paths nobody can guess; they are served only by permission-checked views.
    return secrets.token_hex(16)


def xlsform_path(instance: FormVersion, filename: str) -> str:
    return f"fieldwork/{instance.form.landscape_id}/forms/{_random_dir()}/form.xlsx"


def media_path(instance: FormMedia, filename: str) -> str:
    return f"fieldwork/{instance.form.landscape_id}/media/{_random_dir()}/{instance.filename}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # Attachments are written before their submission row exists, so no landscape id in the path.
    return f"fieldwork/attachments/{_random_dir()[:2]}/{_random_dir()}"


class Form(Protected, TimeStampedModel):
    """A survey of one landscape, identified by its XForm id; its versions keep every upload."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft: not yet on phones")
        PUBLISHED = "published", _("Published: collecting")
        CLOSED = "closed", _("Closed: no longer collecting")

    permission_type = "form"

    landscape = models.ForeignKey(Landscape, on_delete=models.CASCADE, related_name="forms")
    form_id = models.CharField(_("form ID"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    method = models.TextField(
        _("method and protocol"),
        blank=True,
        max_length=10000,
        help_text=_("How, when and by whom the data is collected; it travels with every record."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    current_version = models.ForeignKey(
        "FormVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    #: The dataset of the landscape's commons that receives the records (set once datasets offer it).
    dataset_id = models.BigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["landscape", "form_id"], name="fieldwork_form_unique_id")
        ]

    def __str__(self) -> str:
        return self.title

    def permission_subject(self) -> Subject:
        # Records hold collectors' names and exact places: members only, whatever the landscape's visibility.
        return Subject(type="form", landscape_id=self.landscape_id, visibility=Visibility.PRIVATE)

    def get_absolute_url(self) -> str:
        return reverse("fieldwork:form", kwargs={"slug": self.landscape.slug, "form_pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class FormVersion(models.Model):
    """One uploaded XLSForm and the XForm made from it; never changed once stored."""

    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="versions")
    version = models.CharField(_("version"), max_length=100)
    title = models.CharField(max_length=200)
    xform = models.TextField()
    xform_md5 = models.CharField(max_length=32)
    xlsform = models.FileField(upload_to=xlsform_path, max_length=300)
    xlsform_name = models.CharField(max_length=200)
    xlsform_sha256 = models.CharField(max_length=64, db_index=True)
    #: [{"path", "type", "label", "in_repeat", "preload"}] read from the XForm.
    fields = models.JSONField(default=list)
    repeats = models.JSONField(default=list)
    #: Media files the XForm refers to (jr://images/…, jr://file-csv/…).
    media_references = models.JSONField(default=list)
    #: [{"level", "message", "sheet", "row"}] from the conversion, in the uploader's language.
    issues = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["form", "version"], name="fieldwork_formversion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.form} v{self.version}"


class RepeatDataset(models.Model):
    """The child table of one repeat group of a form in the data commons: a dataset of the form's
    landscape with one row per entry of the repeat, linked to its record by the parent's instance ID.
    Its sharing follows the form's own dataset (``services.commons``)."""

    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="repeat_datasets")
    #: The repeat group's path in the XForm ("trees"), as in ``FormVersion.repeats``.
    repeat = models.CharField(max_length=300)
    dataset_id = models.BigIntegerField(db_index=True)

    class Meta:
        ordering = ["form", "repeat"]
        constraints = [
            models.UniqueConstraint(fields=["form", "repeat"], name="fieldwork_repeat_dataset_unique")
        ]

    def __str__(self) -> str:
        return f"{self.form} / {self.repeat}"


class FormMedia(models.Model):
    """A file the form shows or reads (images, CSV choice lists), listed in the OpenRosa manifest."""

    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="media")
    filename = models.CharField(max_length=200)
    file = models.FileField(upload_to=media_path, max_length=300)
    md5 = models.CharField(max_length=32)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["filename"]
        constraints = [models.UniqueConstraint(fields=["form", "filename"], name="fieldwork_media_unique")]

    def __str__(self) -> str:
        return self.filename


class CollectorAccess(Protected, models.Model):
    """A revocable token that lets ODK Collect / KoboCollect list, download and submit this landscape's forms.

    Only a sha256 of the token is stored; the token itself is shown once, as a URL and a QR code.
    """

    permission_type = "collector_access"

    landscape = models.ForeignKey(Landscape, on_delete=models.CASCADE, related_name="collector_accesses")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def permission_subject(self) -> Subject:
        return Subject(type="collector_access", landscape_id=self.landscape_id, visibility=Visibility.PRIVATE)


class Submission(Protected, models.Model):
    """One version of one record: the XML as received, its parsed answers and metadata, its review."""

    class Review(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    permission_type = "submission"
    permission_landscape_field = "form__landscape_id"

    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="submissions")
    form_version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="submissions")
    instance_id = models.CharField(max_length=100)
    #: The instanceID of the first version: all versions of a record share it.
    record_id = models.CharField(max_length=100, db_index=True)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_version"
    )
    deprecated_id = models.CharField(max_length=100, blank=True)
    is_current = models.BooleanField(default=True)
    xml = models.TextField()
    xml_sha256 = models.CharField(max_length=64)
    #: {question path: text} outside repeats; {repeat path: [{path: text}]} for repeats.
    data = models.JSONField(default=dict)
    lon = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    outside_landscape = models.BooleanField(default=False)
    collector = models.ForeignKey(
        CollectorAccess, null=True, blank=True, on_delete=models.SET_NULL, related_name="submissions"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: Who collected, as shown and exported: the collector access's or the account's name.
    collector_name = models.CharField(max_length=150, blank=True, db_index=True)
    device_id = models.CharField(max_length=200, blank=True)
    username = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    #: Attachment names the XML refers to; complete once they have all arrived.
    expected_attachments = models.JSONField(default=list)
    review_status = models.CharField(max_length=10, choices=Review.choices, default=Review.PENDING)
    review_comment = models.TextField(blank=True, max_length=2000)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["form", "instance_id"], name="fieldwork_submission_unique")
        ]
        indexes = [models.Index(fields=["form", "is_current", "-received_at"], name="fieldwork_records")]

    def __str__(self) -> str:
        return self.instance_id

    def permission_subject(self) -> Subject:
        return Subject(type="submission", landscape_id=self.form.landscape_id, visibility=Visibility.PRIVATE)


class Attachment(models.Model):
    """A file sent with a submission (photo, audio, audit log), kept byte for byte with its sha256."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(max_length=255)
    file = models.FileField(upload_to=attachment_path, max_length=300)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "name"], name="fieldwork_attachment_unique")
        ]

    def __str__(self) -> str:
        return self.name
