"""Writes for people, organisations and tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from landmosaic.core import permissions
from landmosaic.core.audit import audit_record
from landmosaic.core.errors import Conflict, RateLimited, ValidationFailed
from landmosaic.core.models import AuditEvent
from landmosaic.core.notifications import in_language, send_email

from .models import ApiToken, DigestCredential, Organisation, User

EMAIL_VERIFY_SALT = "landmosaic.accounts.verify-email"
#: The HTTP Digest realm of the collection endpoints; HA1 depends on it, so it never changes.
DIGEST_REALM = "Landmosaic"
TOKEN_PREFIX = "lm_"  # noqa: S105 - a public prefix, not a secret


# --- Sign-up, verification, sign-in ----------------------------------------------------------


@transaction.atomic
def user_signup(*, email: str, password: str, name: str = "", language: str = "") -> User:
    """Create an account; send a verification mail when verification is switched on."""
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise Conflict(
            _("An account with this email address already exists. Sign in or reset your password.")
        )
    candidate = User(email=email, name=name.strip())
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), details={"password": exc.messages}) from exc
    user = User.objects.create_user(email, password, name=name.strip(), language=language)
    digest_credential_store(user=user, password=password)
    audit_record(
        actor=user,
        action=AuditEvent.Action.CREATE,
        object_type="user",
        object_id=user.pk,
        summary=f"Account created for {email}",
    )
    if settings.ACCOUNT_EMAIL_VERIFICATION:
        user_send_verification(user=user)
    return user


def user_send_verification(*, user: User) -> None:
    token = signing.dumps({"u": user.pk, "e": user.email}, salt=EMAIL_VERIFY_SALT)
    url = reverse("accounts:verify_email", kwargs={"token": token})
    with in_language(user.language):
        subject = _("Confirm your email address for Landmosaic")
        body = _("Open this link to confirm your email address. It is valid for 3 days.")
    email = user.email
    transaction.on_commit(lambda: send_email(to=email, subject=subject, body=body, url=url))


def user_verify_email(*, token: str) -> User:
    try:
        data = signing.loads(token, salt=EMAIL_VERIFY_SALT, max_age=3 * 24 * 3600)
        user = User.objects.get(pk=data["u"], email=data["e"])
    except (signing.BadSignature, User.DoesNotExist, KeyError, TypeError) as exc:
        raise ValidationFailed(_("This confirmation link is invalid or has expired.")) from exc
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
    return user


def _attempt_key(email: str, ip: str) -> str:
    return f"login-fail:{(email or '').lower()}:{ip}"


def login_check_allowed(*, email: str, ip: str) -> None:
    """Refuse a sign-in attempt after too many failures for this address from this network address."""
    if cache.get(_attempt_key(email, ip), 0) >= settings.LOGIN_RATE_LIMIT:
        minutes = max(1, settings.LOGIN_RATE_WINDOW_SECONDS // 60)
        raise RateLimited(
            _("Too many failed sign-in attempts. Try again in %(minutes)d minutes or reset your password.")
            % {"minutes": minutes}
        )


def login_record_failure(*, email: str, ip: str) -> None:
    key = _attempt_key(email, ip)
    cache.add(key, 0, timeout=settings.LOGIN_RATE_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=settings.LOGIN_RATE_WINDOW_SECONDS)
    audit_record(
        actor=None,
        action=AuditEvent.Action.LOGIN_FAILED,
        object_type="user",
        summary=f"Failed sign-in for {email[:200]}",
        data={"ip": ip},
    )


def login_record_success(*, user: User, ip: str) -> None:
    cache.delete(_attempt_key(user.email, ip))
    audit_record(
        actor=user,
        action=AuditEvent.Action.LOGIN,
        object_type="user",
        object_id=user.pk,
        summary=f"{user.email} signed in",
        data={"ip": ip},
    )


def digest_credential_store(*, user: User, password: str) -> None:
    """Keep HA1 for HTTP Digest (collection apps) from a password just verified or set for ``user``.

    Called where the plain password is at hand: sign-in, sign-up, password reset, OpenRosa Basic.
    Writes only when the stored one is missing or belongs to an older password.
    """
    ha1 = hashlib.md5(f"{user.email}:{DIGEST_REALM}:{password}".encode(), usedforsecurity=False).hexdigest()
    fingerprint = DigestCredential.fingerprint(user.password)
    current = DigestCredential.objects.filter(user=user).values_list("ha1", "password_fingerprint").first()
    if current != (ha1, fingerprint):
        DigestCredential.objects.update_or_create(
            user=user, defaults={"ha1": ha1, "password_fingerprint": fingerprint}
        )


# --- Profile ---------------------------------------------------------------------------------

PROFILE_FIELDS = ("name", "organisation", "country", "language", "photo")


@transaction.atomic
def user_update_profile(*, user: User, actor: User, **changes: Any) -> User:
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationFailed(
            _("Unknown profile fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    if actor.pk != user.pk:
        raise ValidationFailed(_("You can only edit your own profile."))
    if "language" in changes and changes["language"] not in {"", *dict(settings.LANGUAGES)}:
        raise ValidationFailed(_("Unsupported language."))
    for field, value in changes.items():
        setattr(user, field, value)
    user.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        object_type="user",
        object_id=user.pk,
        summary="Profile updated",
        data={"fields": sorted(changes)},
    )
    return user


# --- API tokens ------------------------------------------------------------------------------


@transaction.atomic
def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; returns it with the secret, which is never stored nor shown again."""
    name = name.strip()
    if not name:
        raise ValidationFailed(_("Give the token a name, for example the script that will use it."))
    if user.api_tokens.filter(revoked_at__isnull=True).count() >= 20:
        raise ValidationFailed(_("You already have 20 active tokens. Revoke one first."))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=secret[:10], key_hash=ApiToken.hash_key(secret)
    )
    audit_record(
        actor=user,
        action=AuditEvent.Action.CREATE,
        object_type="api_token",
        object_id=token.pk,
        summary=f"API token “{token.name}” created",
    )
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    if token.user_id != actor.pk:
        raise ValidationFailed(_("You can only revoke your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.DELETE,
            object_type="api_token",
            object_id=token.pk,
            summary=f"API token “{token.name}” revoked",
        )
    return token


# --- Organisations ---------------------------------------------------------------------------

ORGANISATION_FIELDS = ("name", "type", "website", "country", "description")


def unique_slug(
    model: Any,
    value: str,
    *,
    exclude_pk: Any = None,
    max_length: int = 60,
    reserved: frozenset[str] = frozenset(),
) -> str:
    """A slug from ``value`` not used yet by ``model``: "name", then "name-2", "name-3"…"""
    base = slugify(value)[:max_length].strip("-") or "item"
    taken = set(
        model.objects.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True)
    ) | set(reserved)
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


def _clean_organisation(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise ValidationFailed(
            _("Unknown organisation fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    if "name" in fields:
        fields["name"] = (fields["name"] or "").strip()
        if not fields["name"]:
            raise ValidationFailed(_("An organisation needs a name."), details={"name": [_("Required.")]})
    if "type" in fields and fields["type"] not in Organisation.Type.values:
        raise ValidationFailed(
            _("Unknown organisation type."), details={"type": [_("Choose a type from the list.")]}
        )
    return fields


def organisation_create(*, actor: User, name: str, **fields: Any) -> Organisation:
    fields = _clean_organisation({"name": name, **fields})
    for attempt in range(3):  # two people creating "Same name" at once: retry with the next slug
        try:
            with transaction.atomic():
                organisation = Organisation(created_by=actor, **fields)
                organisation.slug = unique_slug(Organisation, fields["name"], reserved=frozenset({"new"}))
                organisation.full_clean()
                organisation.save()
                audit_record(
                    actor=actor,
                    action=AuditEvent.Action.CREATE,
                    object_type="organisation",
                    object_id=organisation.pk,
                    summary=f"Organisation “{organisation.name}” created",
                )
                return organisation
        except IntegrityError:
            if attempt == 2:
                raise
        except ValidationError as exc:
            raise ValidationFailed(_("Check the organisation's details."), details=exc.message_dict) from exc
    raise AssertionError("unreachable")


@transaction.atomic
def organisation_update(*, organisation: Organisation, actor: User, **fields: Any) -> Organisation:
    permissions.check(actor, "change", organisation)
    fields = _clean_organisation(fields)
    for field, value in fields.items():
        setattr(organisation, field, value)
    try:
        organisation.full_clean()
    except ValidationError as exc:
        raise ValidationFailed(_("Check the organisation's details."), details=exc.message_dict) from exc
    organisation.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        object_type="organisation",
        object_id=organisation.pk,
        summary=f"Organisation “{organisation.name}” updated",
        data={"fields": sorted(fields)},
    )
    return organisation


@transaction.atomic
def organisation_delete(*, organisation: Organisation, actor: User) -> None:
    permissions.check(actor, "delete", organisation)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        object_type="organisation",
        object_id=organisation.pk,
        summary=f"Organisation “{organisation.name}” deleted",
    )
    organisation.delete()
