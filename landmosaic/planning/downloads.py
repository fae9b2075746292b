"""One way to answer with a file to download, for the pages and the API."""

from __future__ import annotations

from django.http import HttpResponse


def attachment(content: str | bytes, content_type: str, filename: str) -> HttpResponse:
    """A file to download, never kept by shared caches (exports may carry members-only data)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
