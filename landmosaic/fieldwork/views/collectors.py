"""Pages of collector access: create (token shown once, as a URL and a QR code), revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from landmosaic.core.errors import DomainError
from landmosaic.landscapes.selectors import landscape_get

from .. import qr, selectors, services
from ..forms import CollectorForm
from ..models import CollectorAccess
from ._common import form_error


def collect_url(request: HttpRequest, key: str) -> str:
    return request.build_absolute_uri(reverse("fieldwork:openrosa_root", kwargs={"key": key}))


@login_required
def collectors(request: HttpRequest, slug: str) -> HttpResponse:
    """Collector access: create (the token is shown once, as a URL and a QR code) and revoke."""
    landscape = landscape_get(actor=request.user, slug=slug)
    accesses = selectors.collector_access_list(actor=request.user, landscape=landscape)
    form = CollectorForm(request.POST or None)
    created = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                access, secret = services.collector_create(
                    actor=request.user, landscape=landscape, name=form.cleaned_data["name"]
                )
            except DomainError as exc:
                if exc.status in (403, 404):
                    raise
                form_error(form, exc)
                status = 400
            else:
                url = collect_url(request, secret)
                payload = qr.encode_settings(qr.collect_settings(server_url=url, project_name=landscape.name))
                created = {
                    "access": access,
                    "url": url,
                    "qr_svg": qr.qr_svg(
                        payload, title=_("QR code for ODK Collect: %(name)s") % {"name": access.name}
                    ),
                }
                form = CollectorForm()
        else:
            status = 400
    return render(
        request,
        "fieldwork/collectors.html",
        {
            "landscape": landscape,
            "accesses": accesses,
            "form": form,
            "created": created,
            "account_url": collect_url(request, landscape.slug),
        },
        status=status,
    )


@login_required
@require_POST
def collector_revoke(request: HttpRequest, slug: str, access_pk: int) -> HttpResponse:
    landscape = landscape_get(actor=request.user, slug=slug)
    access: CollectorAccess = selectors.collector_access_get(
        actor=request.user, landscape=landscape, access_pk=access_pk
    )
    services.collector_revoke(actor=request.user, access=access)
    messages.success(
        request, _("Access revoked: phones using it can no longer download forms or send records.")
    )
    return redirect("fieldwork:collectors", slug=slug)
