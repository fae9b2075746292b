"""Helpers shared by the field data pages."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from django.utils.translation import gettext as _

from landmosaic.core.forms import form_error  # noqa: F401 - re-exported for the views

from ..files import INLINE_TYPES


def file_too_large(upload: Any, limit: int) -> str:
    return _("%(file)s is too large; the limit is %(limit)s MB.") % {
        "file": upload.name,
        "limit": round(limit / 1e6, 1),
    }


def private_file(file: Any, *, name: str, content_type: str) -> FileResponse:
    """A private file for a permitted reader: never cached publicly, never sniffed, scripts sandboxed."""
    inline = content_type in INLINE_TYPES
    response = FileResponse(
        file.open("rb"),
        content_type=content_type or "application/octet-stream",
        as_attachment=not inline,
        filename=name,
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
