"""Helpers shared by the planning services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from landmosaic.core.errors import ValidationFailed


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


#: "Not given" for optional arguments where None/"" are meaningful values.
UNSET: Any = _Unset()


def invalid(exc: ValidationError, message: str) -> ValidationFailed:
    return ValidationFailed(message, details=exc.message_dict)
