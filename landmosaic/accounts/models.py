"""People, organisations and personal API tokens."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from landmosaic.core.models import TimeStampedModel
from landmosaic.core.permissions import Protected, Subject, Visibility


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True, email_verified=True)
        return self.create_user(email, password, **extra)


class Organisation(Protected, TimeStampedModel):
    """An NGO, agency, business, community group… that takes part in landscape partnerships."""

    class Type(models.TextChoices):
        NGO = "ngo", _("NGO")
        GOVERNMENT = "government", _("Government")
        BUSINESS = "business", _("Business")
        COMMUNITY = "community", _("Community organisation")
        FARMER_GROUP = "farmer_group", _("Farmer group")
        RESEARCH = "research", _("Research")
        FUNDER = "funder", _("Funder")
        OTHER = "other", _("Other")

    permission_type = "organisation"

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices, default=Type.OTHER)
    website = models.URLField(_("website"), blank=True)
    country = CountryField(_("country"), blank=True)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def permission_subject(self) -> Subject:
        return Subject(
            type="organisation", landscape_id=None, visibility=Visibility.PUBLIC, owner_id=self.created_by_id
        )


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Signs in with an email address; the profile lives here too."""

    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    country = CountryField(_("country"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)
    photo = models.ImageField(_("photo"), upload_to="profile-photos/%Y/", blank=True)
    email_verified = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or self.email.split("@")[0]


class ApiToken(models.Model):
    """A personal bearer token for scripts. Only a hash is stored; the secret is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class DigestCredential(models.Model):
    """HA1 = MD5(email:realm:password) for HTTP Digest sign-in from collection apps (ODK Collect).

    Passwords are stored as PBKDF2 hashes, from which HA1 cannot be computed, so it is saved when the
    person types their password (web sign-in, sign-up, password reset). HA1 is password-equivalent
    for this realm only. ``password_fingerprint`` ties it to the password hash of that moment: after
    any password change (also by an administrator) the credential no longer counts until the next
    sign-in stores a new one.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_credential"
    )
    ha1 = models.CharField(max_length=32)
    password_fingerprint = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Digest credential of user {self.user_id}"

    @staticmethod
    def fingerprint(password_hash: str) -> str:
        return hashlib.sha256(password_hash.encode()).hexdigest()
