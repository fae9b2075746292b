"""Helpers shared by the planning services."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from landmosaic.core.audit import audit_record
from landmosaic.core.errors import ValidationFailed


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


#: "Not given" for optional arguments where None/"" are meaningful values.
UNSET: Any = _Unset()


def invalid(exc: ValidationError, message: str) -> ValidationFailed:
    return ValidationFailed(message, details=exc.message_dict)


def clean(obj: Any, *, exclude: list[str], message: str) -> None:
    """Model validation (fields only: constraints are checked by the services) as a domain error."""
    try:
        obj.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as exc:
        raise invalid(exc, message) from exc


def in_landscape(model: Any, pk: Any, landscape: Any, *, field: str, message: str) -> Any:
    """The object ``pk`` of ``model`` if it belongs to ``landscape``; a field error otherwise."""
    obj = model.objects.filter(landscape=landscape, pk=pk).first() if isinstance(pk, int) else None
    if obj is None:
        raise ValidationFailed(message, details={field: [message]})
    obj.landscape = landscape
    return obj


def field_error(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, details={field: [message]})


def finite(field: str, value: Any) -> None:
    """Numbers must be real, finite numbers (JSON clients can send 1e999)."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal) or not math.isfinite(value):
        raise field_error(field, _("Enter a number."))


def audit(actor: Any, action: str, obj: Any, object_type: str, summary: str, **data: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=obj.pk,
        landscape_id=obj.landscape_id,
        summary=summary,
        data=data or None,
    )
