"""Input parsing and file responses shared by the pages and the API."""

from __future__ import annotations

from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

from landmosaic.core.errors import ValidationFailed

from . import storage
from .services import ExportFile


def file_response(export: ExportFile) -> HttpResponse:
    """Stream a stored file; never kept by shared caches, never sniffed as another type. On object
    storage, a redirect to a short-lived signed address of the file instead (access was checked)."""
    signed = storage.presigned_url(export.name, filename=export.filename, content_type=export.content_type)
    if signed:
        response = HttpResponseRedirect(signed)
        response["Cache-Control"] = "private, no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response
    response = FileResponse(
        storage.open_file(export.name),
        as_attachment=True,
        filename=export.filename,
        content_type=export.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def image_response(name: str) -> FileResponse:
    """A stored PNG shown inline to a permitted reader: cached only by the reader's own browser
    (versions never change), never sniffed as another type."""
    response = FileResponse(storage.open_file(name), content_type="image/png")
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def parse_bbox(text: str) -> tuple[float, float, float, float] | None:
    """ "west,south,east,north" in longitude/latitude, or None when not given."""
    if not text:
        return None
    try:
        west, south, east, north = (float(v) for v in text.split(","))
    except ValueError as exc:
        raise ValidationFailed(_("bbox must be four numbers: west,south,east,north.")) from exc
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise ValidationFailed(_("bbox must be west,south,east,north within -180…180 and -90…90."))
    return west, south, east, north
