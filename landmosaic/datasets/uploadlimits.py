"""Refusing uploads over the size limit before they are stored: by the declared length before the
body is read, and while the body streams in (when no length was declared, or a false one).

Two limits: each file (``DATASET_MAX_UPLOAD_BYTES``), and all the files one request carries
together (``DATASET_MAX_UPLOAD_TOTAL_BYTES``, the upload page's several files; by default the same
as one file's). The upload page checks both in the browser before sending (``upload.js``).

Pages and API endpoints share this: the API through ``api_limited`` (a django-ninja view decorator,
which runs before authentication and body parsing), pages through ``page_limited``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from landmosaic.core.errors import DomainError
from landmosaic.core.geo.limits import megabytes

# What the multipart envelope and the form's text fields may add to a file of the largest size.
ENVELOPE_BYTES = 256 * 1024


class FileTooLarge(DomainError):
    status = 413
    code = "file_too_large"


def max_total_bytes() -> int:
    """What the files of one request may weigh together."""
    return settings.DATASET_MAX_UPLOAD_TOTAL_BYTES or settings.DATASET_MAX_UPLOAD_BYTES


class UploadLimitHandler(FileUploadHandler):
    """Stops reading a file as soon as it passes the size limit, or the files together pass theirs,
    instead of storing them whole first."""

    def __init__(self, request=None, *, total: bool = False):
        super().__init__(request)
        self.too_large: str = ""
        self.total_too_large = False
        self._watch_total = total
        self._done = 0  # bytes of the files already received

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > settings.DATASET_MAX_UPLOAD_BYTES:
            self.too_large = self.file_name or ""
            raise StopUpload(connection_reset=False)
        if self._watch_total and self._done + start + len(raw_data) > max_total_bytes():
            self.total_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        self._done += file_size
        return None  # the next handler (memory or temporary file) builds the file


def _limit_mb() -> str:
    return megabytes(settings.DATASET_MAX_UPLOAD_BYTES)


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # Django reads no body it cannot size; nothing to refuse here


def declared_refusal(request: HttpRequest, *, files: int = 1) -> FileTooLarge | None:
    """The refusal for a request whose declared length cannot fit ``files`` files under the limit."""
    length = _declared_length(request)
    if length <= files * settings.DATASET_MAX_UPLOAD_BYTES + ENVELOPE_BYTES:
        return None
    return FileTooLarge(
        _("The upload is %(size)s MB, more than the %(limit)s MB allowed for one file; nothing was stored.")
        % {"size": megabytes(length), "limit": _limit_mb()},
        details={"limit_bytes": settings.DATASET_MAX_UPLOAD_BYTES, "declared_bytes": length},
    )


def declared_total_refusal(request: HttpRequest) -> FileTooLarge | None:
    """The refusal for a request of several files whose declared length passes their total limit."""
    length = _declared_length(request)
    if length <= max_total_bytes() + ENVELOPE_BYTES:
        return None
    return FileTooLarge(
        _(
            "The files sent together are %(size)s MB, more than the %(limit)s MB one upload may carry; "
            "nothing was stored. Upload them in several goes."
        )
        % {"size": megabytes(length), "limit": megabytes(max_total_bytes())},
        details={"limit_bytes": max_total_bytes(), "declared_bytes": length},
    )


def streamed_refusal(handler: UploadLimitHandler) -> FileTooLarge | None:
    """The refusal for a file (or files together) that passed the limit while it was read."""
    if handler.total_too_large:
        return FileTooLarge(
            _(
                "The files sent together are larger than the %(limit)s MB one upload may carry; "
                "nothing was stored. Upload them in several goes."
            )
            % {"limit": megabytes(max_total_bytes())},
            details={"limit_bytes": max_total_bytes()},
        )
    if not handler.too_large:
        return None
    return FileTooLarge(
        _("%(file)s is larger than the %(limit)s MB allowed for one file; nothing was stored.")
        % {"file": handler.too_large, "limit": _limit_mb()},
        details={"limit_bytes": settings.DATASET_MAX_UPLOAD_BYTES, "file": handler.too_large},
    )


def _watch(request: HttpRequest, *, total: bool = False) -> UploadLimitHandler:
    handler = UploadLimitHandler(request, total=total)
    request.upload_handlers.insert(0, handler)
    return handler


def api_limited(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For ``ninja.decorators.decorate_view``: 413 in the API's error shape, before authentication
    reads anything, when the declared length is too large; and when a file passes the limit while
    streaming (the endpoint then finds no file, so its answer is replaced by the 413)."""
    operation = run.__self__  # the ninja Operation whose run() this wraps

    @wraps(run)
    def wrapped(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        refused = declared_refusal(request)
        if refused is not None:
            return operation.api.on_exception(request, refused)
        handler = _watch(request)
        response = run(request, **kwargs)
        refused = streamed_refusal(handler)
        return response if refused is None else operation.api.on_exception(request, refused)

    return wrapped


def page_limited(view: Callable[..., HttpResponse], *, files: int | None = 1) -> Callable[..., HttpResponse]:
    """Pages: a too-large declared length is refused before CSRF checking reads the body (nothing
    is changed by a refusal); otherwise the limit watches the body, and CSRF is checked as usual.
    ``files``: how many files the page takes (None: any number, which together must fit the total
    limit, declared and while streaming)."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST":
            if files is None:
                refused = declared_total_refusal(request)
            else:
                refused = declared_refusal(request, files=files)
            if refused is not None:
                html = render_to_string(
                    "core/error.html", {"status": 413, "message": refused.message}, request=request
                )
                return HttpResponse(html, status=413)
        request.upload_limit = _watch(request, total=files is None)
        return csrf_protect(view)(request, *args, **kwargs)

    return wrapped


def page_refusal(request: HttpRequest) -> str:
    """The message to show when a file passed the limit (reading ``request.FILES`` parses the body)."""
    request.FILES  # noqa: B018 - the upload handlers run while the body is parsed
    handler = getattr(request, "upload_limit", None)
    refused = streamed_refusal(handler) if handler is not None else None
    return refused.message if refused is not None else ""
