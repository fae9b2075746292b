"""Notifications: shown in the interface and sent by email, in the recipient's language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation

from .models import Notification


def notify(
    *, recipient: Any, subject: str, body: str = "", url: str = "", email: bool = True
) -> Notification:
    """Store a notification and email it after commit. Pass text already translated for the recipient."""
    notification = Notification.objects.create(recipient=recipient, subject=subject[:200], body=body, url=url)
    if email and recipient.email:
        address = recipient.email
        transaction.on_commit(lambda: send_email(to=address, subject=subject, body=body, url=url))
    return notification


def send_email(*, to: str, subject: str, body: str, url: str = "") -> None:
    text = body if not url else f"{body}\n\n{settings.SITE_URL.rstrip('/')}{url}"
    send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)


def in_language(language: str | None):
    """Context manager: render texts for someone else in their language."""
    return translation.override(language or settings.LANGUAGE_CODE)


def notifications_for(*, user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def unread_count(*, user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_mark_read(*, user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
