"""Reads for people, organisations and tokens."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from landmosaic.core import permissions
from landmosaic.core.errors import NotFound

from .models import ApiToken, DigestCredential, Organisation, User


def user_for_token(*, secret: str) -> User | None:
    """The active user behind a bearer token, or None. Touches ``last_used_at`` at most once a minute."""
    if not secret or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def user_get(*, user_id: int) -> User:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise NotFound(_("Person not found."))
    return user


def token_list(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def token_get(*, user: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.filter(user=user, pk=token_id).first()
    if token is None:
        raise NotFound(_("Token not found."))
    return token


def organisation_list(*, search: str = "", type: str = "", country: str = "") -> QuerySet[Organisation]:
    qs = Organisation.objects.all()
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(description__icontains=search))
    if type:
        qs = qs.filter(type=type)
    if country:
        qs = qs.filter(country=country.upper())
    return qs.order_by("name")


def organisation_get(*, actor: Any, slug: str | None = None, pk: int | None = None) -> Organisation:
    organisation = Organisation.objects.filter(**({"slug": slug} if slug else {"pk": pk})).first()
    if organisation is None:
        raise NotFound(_("Organisation not found."))
    permissions.check(actor, "view", organisation)
    return organisation


def digest_credential_for(*, email: str) -> tuple[User, str] | None:
    """The active user with this exact email address and the HA1 of their current password, or None.

    Digest hashes the email as the person typed it, so the match is exact (addresses are stored in
    lowercase). A credential saved before the last password change does not count.
    """
    if not email or len(email) > 254:
        return None
    user = User.objects.filter(email=email, is_active=True).select_related("digest_credential").first()
    if user is None:
        return None
    try:
        credential = user.digest_credential
    except DigestCredential.DoesNotExist:
        return None
    if credential.password_fingerprint != DigestCredential.fingerprint(user.password):
        return None
    return user, credential.ha1
