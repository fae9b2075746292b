"""Domain errors raised by services and selectors; views and the API turn them into 4xx responses."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base class: carries a translated, user-facing message and an HTTP status."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, details: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = str(message)
        if code:
            self.code = code
        self.details = details or {}


class ValidationFailed(DomainError):
    status = 400
    code = "invalid"


class NotFound(DomainError):
    """The object does not exist, or the caller may not know that it exists."""

    status = 404
    code = "not_found"


class Forbidden(DomainError):
    """The object is visible to the caller but the action is not allowed."""

    status = 403
    code = "forbidden"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"
