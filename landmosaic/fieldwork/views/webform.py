"""The offline web form: the fill page, the JSON endpoint its queue sends to, and its service worker."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from landmosaic.core.errors import DomainError
from landmosaic.landscapes.selectors import landscape_get

from .. import selectors
from ..services.webform import collector_of, webform_for, webform_submit

#: Bump when webform.js or sw.js change in a way old caches must not survive.
CACHE_VERSION = "webform-v4"
#: Photos are scaled down in the browser to this longest edge before queueing, unless the form sets
#: its own max-pixels; FIELDWORK_PHOTO_MAX_EDGE_PX in the settings changes it for the whole site.
PHOTO_MAX_EDGE_PX = 1600


def photo_max_edge() -> int:
    return int(getattr(settings, "FIELDWORK_PHOTO_MAX_EDGE_PX", PHOTO_MAX_EDGE_PX))


@login_required
def webform_fill(request: HttpRequest, slug: str, form_pk: int) -> HttpResponse:
    """The published form's current version as an HTML form that works offline once opened.

    With ``?check=version`` the current version and who is signed in, as JSON: a page reopened from
    the offline cache asks it once the network is back, so a form changed since is not filled in
    silently, and before sending its queue, so each record goes out only under the person who saved it.
    """
    landscape = landscape_get(actor=request.user, slug=slug)
    form = selectors.form_get(actor=request.user, landscape=landscape, form_pk=form_pk, action="collect")
    version = form.current_version if form.is_published else None
    if request.GET.get("check") == "version":
        response = JsonResponse(
            {
                "version": version.version if version is not None else "",
                "collector": {"id": collector_of(request.user), "name": request.user.display_name},
            }
        )
        response["Cache-Control"] = "no-store"
        return response
    webform = webform_for(version) if version is not None else None
    return render(
        request,
        "fieldwork/webform.html",
        {
            "landscape": landscape,
            "form": form,
            "version": version,
            "webform": webform,
            "cache_version": CACHE_VERSION,
            "photo_max_edge": photo_max_edge(),
            "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
            "collector": collector_of(request.user),
        },
    )


@require_POST
def webform_submit_view(request: HttpRequest, slug: str, form_pk: int) -> JsonResponse:
    """One queued record: multipart with ``payload`` (JSON answers) and the photos it names.

    201 when stored, 200 when that instanceID was already received (nothing doubled), 4xx with a
    message (and per-question ``errors`` for 400) otherwise. Never a redirect: the queue reads JSON.
    """
    if not request.user.is_authenticated:
        return JsonResponse({"message": _("Sign in again to send the waiting records.")}, status=401)
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > settings.FIELDWORK_SUBMISSION_MAX_BYTES:
        limit = round(settings.FIELDWORK_SUBMISSION_MAX_BYTES / 1e6, 1)
        return JsonResponse(
            {"message": _("The record is too large; the limit is %(limit)s MB.") % {"limit": limit}},
            status=413,
        )
    try:
        payload = json.loads(request.POST.get("payload") or "{}")
        if not isinstance(payload, dict):
            raise ValueError
    except ValueError:
        return JsonResponse({"message": _("The record could not be read.")}, status=400)
    files = {uploaded.name: uploaded for uploaded in request.FILES.getlist("file")}
    try:
        landscape = landscape_get(actor=request.user, slug=slug)
        form = selectors.form_get(actor=request.user, landscape=landscape, form_pk=form_pk, action="collect")
        received = webform_submit(actor=request.user, form=form, payload=payload, files=files)
    except DomainError as exc:
        return JsonResponse(
            {"message": exc.message, "code": exc.code, "errors": exc.details}, status=exc.status
        )
    message = (
        _("Thank you: the record is received.")
        if received.created
        else _("This record was already received; nothing was changed.")
    )
    return JsonResponse(
        {"message": message, "instanceID": received.submission.instance_id, "created": received.created},
        status=201 if received.created else 200,
    )


@require_GET
def webform_service_worker(request: HttpRequest, slug: str) -> HttpResponse:
    """The service worker, served under the landscape's field data path so its scope covers the fill pages.

    It holds no data of its own (the pages put themselves in its cache), so it needs no sign-in.
    """
    script = render_to_string(
        "fieldwork/webform_sw.js", {"cache_version": CACHE_VERSION, "static_url": settings.STATIC_URL}
    )
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = f"/landscapes/{slug}/field-data/"
    return response
