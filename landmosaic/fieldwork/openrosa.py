"""OpenRosa 1.0 endpoints for ODK Collect and KoboCollect: formList, forms, manifests, media, submission.

The server URL given to a phone is ``/collect/<key>/``, where ``key`` is either a collector token
(as ODK Central puts app-user tokens in the path) or a landscape slug for members who sign in with
HTTP Basic. Every response carries ``X-OpenRosa-Version: 1.0`` and ``Date``; errors are
OpenRosaResponse messages that Collect shows to the collector. Phones send no cookies and no CSRF
token, so these views are CSRF-exempt and never look at the browser session.
"""

from __future__ import annotations

import base64
import binascii
import functools
import logging
import tempfile
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element, SubElement, tostring

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.core.handlers.wsgi import LimitedStream
from django.db import OperationalError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from landmosaic.accounts.models import User
from landmosaic.accounts.selectors import digest_credential_for
from landmosaic.accounts.services import (
    DIGEST_REALM,
    digest_credential_store,
    login_check_allowed,
    login_record_failure,
)
from landmosaic.core import permissions
from landmosaic.core.errors import DomainError, NotFound, ValidationFailed

from . import digest, selectors, services
from .files import INLINE_TYPES
from .models import Form
from .selectors import Collector
from .services.submissions import is_transient

logger = logging.getLogger(__name__)

OPENROSA_VERSION = "1.0"
XFORMS_LIST_NS = "http://openrosa.org/xforms/xformsList"
MANIFEST_NS = "http://openrosa.org/xforms/xformsManifest"
RESPONSE_NS = "http://openrosa.org/http/response"
XML_TYPE = "text/xml; charset=utf-8"
REALM = DIGEST_REALM
#: Room for the multipart framing on top of the advertised content length.
MULTIPART_SLACK_BYTES = 256 * 1024
SPOOL_BYTES = 2 * 1024 * 1024


class Unauthenticated(Exception):
    """401: ``challenge`` is the WWW-Authenticate value."""

    def __init__(self, message: str, challenge: str):
        super().__init__(message)
        self.message = message
        self.challenge = challenge


class TooLarge(Exception):
    pass


# --- Responses ---------------------------------------------------------------------------------


#: Servers that always write their own Date header; a second one would make two.
SERVERS_WITH_DATE = ("gunicorn",)


def _headers(response: HttpResponse, request: HttpRequest | None = None) -> HttpResponse:
    response["X-OpenRosa-Version"] = OPENROSA_VERSION
    server = request.META.get("SERVER_SOFTWARE", "") if request is not None else ""
    if not server.lower().startswith(SERVERS_WITH_DATE):
        response["Date"] = http_date()
    response["Content-Language"] = (get_language() or "en")[:2]
    response["X-OpenRosa-Accept-Content-Length"] = str(settings.FIELDWORK_SUBMISSION_MAX_BYTES)
    response["Cache-Control"] = "private, no-store"
    return response


def _xml(element: Element) -> bytes:
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(element, encoding="unicode").encode("utf-8")


def message_response(message: str, *, status: int, nature: str = "error") -> HttpResponse:
    """An OpenRosaResponse envelope: Collect shows its message to the collector."""
    root = Element("OpenRosaResponse", xmlns=RESPONSE_NS)
    SubElement(root, "message", nature=nature).text = message
    return HttpResponse(_xml(root), status=status, content_type=XML_TYPE)


def openrosa_view(methods: list[str]) -> Callable:
    """CSRF-exempt view with OpenRosa headers on every answer and errors as OpenRosa messages."""

    def decorate(view: Callable) -> Callable:
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                if request.method not in methods:
                    response = message_response(_("This address does not accept this method."), status=405)
                    response["Allow"] = ", ".join(methods)
                else:
                    response = _with_retries(view, request, *args, **kwargs)
            except OperationalError as exc:
                if not is_transient(exc):
                    raise
                response = message_response(
                    _("The server is busy receiving other records. Send this one again in a moment."),
                    status=503,
                )
                response["Retry-After"] = "5"
            except Unauthenticated as exc:
                response = message_response(exc.message, status=401)
                response["WWW-Authenticate"] = exc.challenge
            except TooLarge:
                limit_mb = round(settings.FIELDWORK_SUBMISSION_MAX_BYTES / 1e6, 1)
                response = message_response(
                    _(
                        "The submission is larger than the %(limit)s MB this server accepts in one request. "
                        "Reduce the photo size in the form (max-pixels) or send fewer files at once."
                    )
                    % {"limit": limit_mb},
                    status=413,
                )
            except DomainError as exc:
                response = message_response(exc.message, status=exc.status)
            if response.status_code >= 400:
                # Django would log the path, and the path holds the collector's token: log it redacted,
                # and mark the response as logged (Django's own flag) so that Django does not.
                key = kwargs.get("key", "")
                logger.warning(
                    "OpenRosa %s %s: %s",
                    request.method,
                    request.path.replace(key, key[:8] + "…") if key else request.path,
                    response.status_code,
                )
                response._has_been_logged = True
            return _headers(response, request)

        return wrapper

    return decorate


#: Tries of one OpenRosa request against a database lock held by a concurrent request.
VIEW_ATTEMPTS = 4


def _with_retries(view: Callable, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Run the view again when a concurrent request held a lock it needed (every OpenRosa call is
    idempotent: a submission is keyed by its instanceID, the rest only read)."""
    for attempt in range(VIEW_ATTEMPTS - 1):
        try:
            return view(request, *args, **kwargs)
        except OperationalError as exc:
            if not is_transient(exc):
                raise
            time.sleep(0.05 * 2**attempt)
    return view(request, *args, **kwargs)


# --- Who is calling ----------------------------------------------------------------------------


def _basic_credentials(request: HttpRequest) -> tuple[str, str] | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        raw = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    email, sep, password = text.partition(":")
    return (email, password) if sep and email else None


# Which challenge a 401 carries. Django sends one value per header name, and ODK Collect answers
# the first challenge it has an authenticator for, so a request without credentials is asked for
# Digest only: the password never travels, also over plain HTTP. Basic stays accepted whenever a
# client sends it (scripts, preemptive clients; Collect itself only uses Basic over HTTPS). When a
# Digest answer fails over HTTPS (typically an account that has not signed in on the website since
# Digest came, so no HA1 is stored), the next 401 offers Basic instead, which Collect then uses;
# a failed Basic answer is asked for Basic again, which makes Collect stop rather than loop.


def _nonce_secret() -> bytes:
    return salted_hmac("landmosaic.fieldwork.openrosa.digest-nonce", "nonce", algorithm="sha256").digest()


def _opaque() -> str:
    opaque = salted_hmac("landmosaic.fieldwork.openrosa.digest-opaque", REALM, algorithm="sha256")
    return opaque.hexdigest()[:32]


def _challenge(*, stale: bool = False) -> Unauthenticated:
    nonce = digest.make_nonce(secret=_nonce_secret(), now=time.time())
    return Unauthenticated(
        _("Sign in with the email address and password of your Landmosaic account."),
        digest.challenge(realm=REALM, nonce=nonce, opaque=_opaque(), stale=stale),
    )


def _basic_challenge() -> Unauthenticated:
    return Unauthenticated(
        _("Sign in with the email address and password of your Landmosaic account."),
        f'Basic realm="{REALM}", charset="UTF-8"',
    )


def _uri_matches(uri: str, request: HttpRequest) -> bool:
    """The digest ``uri`` names this request's path (clients send it with or without scheme and host)."""
    return unquote(urlsplit(uri).path) == request.path


def _digest_user(request: HttpRequest, params: dict[str, str], ip: str) -> User:
    if params["realm"] != REALM:
        raise _challenge()
    # A response computed for another address proves nothing about this request (RFC 7616 §3.4.6).
    if not _uri_matches(params["uri"], request):
        raise ValidationFailed(_("The Digest “uri” does not match the address of the request."))
    email = params["username"]
    login_check_allowed(email=email, ip=ip)
    nonce_state = digest.check_nonce(nonce=params["nonce"], secret=_nonce_secret(), now=time.time())
    if nonce_state == "invalid":
        raise _challenge()
    found = digest_credential_for(email=email)
    if found is None or not digest.response_matches(params=params, ha1=found[1], method=request.method or ""):
        login_record_failure(email=email, ip=ip)
        raise _basic_challenge() if request.is_secure() else _challenge()
    if nonce_state == "stale":
        # The password was right but the nonce is old: the client retries by itself with a new one.
        raise _challenge(stale=True)
    return found[0]


def _account_user(request: HttpRequest) -> User:
    """The account signing in with HTTP Digest or Basic; 401 with a challenge otherwise."""
    ip = request.META.get("REMOTE_ADDR", "")
    params = digest.parse_authorization(request.META.get("HTTP_AUTHORIZATION", ""))
    if params is not None:
        return _digest_user(request, params, ip)
    credentials = _basic_credentials(request)
    if credentials is None:
        raise _challenge()
    email, password = credentials
    login_check_allowed(email=email, ip=ip)
    user = authenticate(request, username=email, password=password)
    if user is None:
        login_record_failure(email=email, ip=ip)
        raise _basic_challenge()
    # The password is at hand: from now on this account can also use Digest.
    digest_credential_store(user=user, password=password)
    return user


def collector_for(request: HttpRequest, key: str) -> Collector:
    """Resolve the key of the URL: a collector token, or a landscape slug plus Digest/Basic credentials."""
    access = selectors.collector_access_by_token(secret=key)
    if access is not None:
        if access.revoked_at is not None:
            raise Unauthenticated(
                _("This collector access has been revoked. Ask the landscape's editors for a new QR code."),
                f'Bearer realm="{REALM}", error="invalid_token"',
            )
        return Collector(landscape=access.landscape, access=access)
    # Not a token: a landscape slug. Ask for credentials before saying whether the landscape exists.
    user = _account_user(request)
    landscape = selectors.landscape_for_collecting(slug=key)
    if landscape is None:
        raise NotFound(_("Not found."))
    # Members and above collect; others get 404 (private) or 403 (public landscape).
    permissions.check(user, "collect", Form(landscape=landscape))
    return Collector(landscape=landscape, user=user)


def _url(request: HttpRequest, name: str, **kwargs: Any) -> str:
    return request.build_absolute_uri(reverse(f"fieldwork:{name}", kwargs=kwargs))


# --- Endpoints ---------------------------------------------------------------------------------


@openrosa_view(["GET", "HEAD"])
def form_list(request: HttpRequest, key: str) -> HttpResponse:
    """OpenRosa Form List API: the published forms, each with its md5 hash and download URLs."""
    collector = collector_for(request, key)
    wanted = request.GET.get("formID", "")
    root = Element("xforms", xmlns=XFORMS_LIST_NS)
    for form in selectors.collector_forms(collector=collector):
        if wanted and form.form_id != wanted:
            continue
        version = form.current_version
        item = SubElement(root, "xform")
        SubElement(item, "formID").text = form.form_id
        SubElement(item, "name").text = form.title
        SubElement(item, "version").text = version.version
        SubElement(item, "hash").text = f"md5:{version.xform_md5}"
        if request.GET.get("verbose") == "true" and form.method:
            SubElement(item, "descriptionText").text = form.method
        SubElement(item, "downloadUrl").text = _url(request, "openrosa_form", key=key, form_id=form.form_id)
        if form.media.all():
            SubElement(item, "manifestUrl").text = _url(
                request, "openrosa_manifest", key=key, form_id=form.form_id
            )
    return HttpResponse(_xml(root), content_type=XML_TYPE)


@openrosa_view(["GET", "HEAD"])
def form_download(request: HttpRequest, key: str, form_id: str) -> HttpResponse:
    """The XForm of the current version, byte for byte what the formList hash describes."""
    form = selectors.collector_form_get(collector=collector_for(request, key), form_id=form_id)
    response = HttpResponse(form.current_version.xform.encode("utf-8"), content_type=XML_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{form.form_id}.xml"'
    return response


@openrosa_view(["GET", "HEAD"])
def manifest(request: HttpRequest, key: str, form_id: str) -> HttpResponse:
    """OpenRosa manifest: the media files of the form with their md5 hashes."""
    form = selectors.collector_form_get(collector=collector_for(request, key), form_id=form_id)
    root = Element("manifest", xmlns=MANIFEST_NS)
    for media in form.media.all():
        item = SubElement(root, "mediaFile")
        SubElement(item, "filename").text = media.filename
        SubElement(item, "hash").text = f"md5:{media.md5}"
        SubElement(item, "downloadUrl").text = _url(
            request, "openrosa_media", key=key, form_id=form.form_id, filename=media.filename
        )
    return HttpResponse(_xml(root), content_type=XML_TYPE)


@openrosa_view(["GET", "HEAD"])
def media_download(request: HttpRequest, key: str, form_id: str, filename: str) -> HttpResponse:
    media = selectors.collector_media_get(
        collector=collector_for(request, key), form_id=form_id, filename=filename
    )
    response = FileResponse(
        media.file.open("rb"), content_type=media.content_type or "application/octet-stream"
    )
    disposition = "inline" if media.content_type in INLINE_TYPES else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{media.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _read_chunked(stream: Any, limit: int) -> tempfile.SpooledTemporaryFile:
    """Decode a chunked request body from the raw WSGI input (servers such as wsgiref pass it as is)."""
    body = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - the request reads it
    total = 0
    while True:
        line = stream.readline(1024)
        if not line:
            raise ValidationFailed(_("The submission was cut off before its end. Send it again."))
        try:
            size = int(line.split(b";", 1)[0].strip(), 16)
        except ValueError as exc:
            raise ValidationFailed(_("The request body is not valid chunked transfer encoding.")) from exc
        if size == 0:
            while stream.readline(8192) not in (b"\r\n", b"\n", b""):
                pass  # trailers carry nothing we use
            break
        total += size
        if total > limit:
            raise TooLarge
        remaining = size
        while remaining:
            chunk = stream.read(min(remaining, 64 * 1024))
            if not chunk:
                raise ValidationFailed(_("The submission was cut off before its end. Send it again."))
            body.write(chunk)
            remaining -= len(chunk)
        stream.readline(8)  # the CRLF after each chunk
    return body


def _read_terminated(stream: Any, limit: int) -> tempfile.SpooledTemporaryFile:
    """Servers that decode chunked bodies themselves (gunicorn) mark wsgi.input as terminated."""
    body = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - the request reads it
    total = 0
    while chunk := stream.read(64 * 1024):
        total += len(chunk)
        if total > limit:
            raise TooLarge
        body.write(chunk)
    return body


def _raw_input(stream: Any) -> Any:
    """The socket stream under Django's development server, which caps wsgi.input at Content-Length.

    runserver (``make run``) wraps the input in a LimitedStream of Content-Length bytes, i.e. none
    for a chunked request; the wrapped stream is reached through its bound ``read`` method.
    """
    if isinstance(stream, LimitedStream) and stream.limit == 0:
        # Django's LimitedStream keeps only the bound read methods of the stream it wraps.
        return getattr(stream._read, "__self__", stream)
    return stream


def accept_body(request: HttpRequest, limit: int) -> None:
    """Refuse oversize bodies before reading them, and make chunked bodies readable by Django.

    Django reads as many bytes as Content-Length says, so a chunked request (no Content-Length)
    would look empty: its body is decoded here into a spooled file that the request then reads.
    """
    length = request.META.get("CONTENT_LENGTH") or ""
    if length:
        try:
            if int(length) > limit:
                raise TooLarge
        except ValueError as exc:
            raise ValidationFailed(_("The Content-Length header is not a number.")) from exc
        return
    if "chunked" not in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
        return
    stream = _raw_input(request.environ["wsgi.input"])
    if request.environ.get("wsgi.input_terminated"):
        body = _read_terminated(stream, limit)
    else:
        body = _read_chunked(stream, limit)
    size = body.tell()
    body.seek(0)
    request.META["CONTENT_LENGTH"] = str(size)
    # WSGIRequest reads its body through _stream; it was built for zero bytes, so it is replaced.
    request._stream = LimitedStream(body, size)
    request._read_started = False


#: Bytes the multipart parser reads at a time. Django's 64 KB made gunicorn copy the rest of each
#: large socket read back into its buffer on every step (a 1 MB photo was copied about 16 times).
UPLOAD_CHUNK_BYTES = 1024 * 1024


class _MemoryUpload(MemoryFileUploadHandler):
    chunk_size = UPLOAD_CHUNK_BYTES


class _DiskUpload(TemporaryFileUploadHandler):
    chunk_size = UPLOAD_CHUNK_BYTES


@openrosa_view(["HEAD", "GET", "POST"])
def submission(request: HttpRequest, key: str) -> HttpResponse:
    """HEAD/GET: 204 with the accepted size. POST: store the record and answer 201."""
    collector = collector_for(request, key)
    if request.method in ("HEAD", "GET"):
        return HttpResponse(status=204)
    limit = settings.FIELDWORK_SUBMISSION_MAX_BYTES + MULTIPART_SLACK_BYTES
    accept_body(request, limit)
    # Same handlers as Django's defaults (memory up to FILE_UPLOAD_MAX_MEMORY_SIZE, then temporary
    # files), reading in larger steps.
    request.upload_handlers = [_MemoryUpload(request), _DiskUpload(request)]
    if not request.content_type.startswith("multipart/"):
        raise ValidationFailed(
            _("Send the submission as multipart/form-data with the XML in the part “xml_submission_file”.")
        )
    xml_file = request.FILES.get("xml_submission_file")
    if xml_file is None:
        raise ValidationFailed(_("The request has no “xml_submission_file” part: there is no record in it."))
    if xml_file.size > settings.FIELDWORK_SUBMISSION_MAX_BYTES:
        raise TooLarge
    xml = xml_file.read()
    files = {}
    for field_name, uploads in request.FILES.lists():
        if field_name == "xml_submission_file":
            continue
        for uploaded in uploads:
            files[uploaded.name or field_name] = uploaded
    received = services.submission_receive(collector=collector, xml=xml, files=files)
    if received.created:
        message = _("Thank you: the record is received.")
    elif received.attachments_added:
        message = _("Thank you: the files of the record are received.")
    else:
        message = _("This record was already received; nothing was changed.")
    if received.missing_attachments:
        message += " " + _("Still expected: %(files)s.") % {"files": ", ".join(received.missing_attachments)}
    response = message_response(message, status=201, nature="submit_success")
    response["Location"] = request.build_absolute_uri(request.path)
    return response


@openrosa_view(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def not_found(request: HttpRequest, key: str, rest: str = "") -> HttpResponse:
    """Unknown addresses under a collector URL: an OpenRosa 404, logged without the token."""
    raise NotFound(_("There is nothing at this address. Check the server address in the collection app."))
