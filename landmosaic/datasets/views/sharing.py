"""Who may see a dataset: sharing settings, share links and people given access by name."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from landmosaic.core.errors import DomainError
from landmosaic.core.forms import form_error

from .. import selectors, services
from ..forms import GrantForm, LinkForm, SharingForm


def _sharing_form(request: HttpRequest, item, data=None) -> SharingForm:
    targets = selectors.dataset_share_targets(actor=request.user, dataset=item)
    landscapes, organisations = selectors.share_target_choices(
        actor=request.user, landscape_id=item.landscape_id
    )
    initial = {
        "visibility": item.visibility,
        "restricted": item.restricted,
        "download_access": item.download_access,
        "landscapes": [x.slug for x in targets["landscapes"]],
        "organisations": [o.slug for o in targets["organisations"]],
    }
    return SharingForm(data, initial=initial, landscapes=landscapes, organisations=organisations)


def _sharing_page(
    request: HttpRequest, item, *, form=None, link_form=None, grant_form=None, new_link="", status=200
):
    context = {
        "dataset": item,
        "landscape": item.landscape,
        "form": form or _sharing_form(request, item),
        "link_form": link_form or LinkForm(prefix="link"),
        "links": selectors.dataset_link_list(actor=request.user, dataset=item),
        "new_link": new_link,
        "grant_form": grant_form or GrantForm(prefix="grant"),
        "grants": selectors.dataset_grant_list(actor=request.user, dataset=item),
    }
    response = render(request, "datasets/sharing.html", context, status=status)
    if new_link:
        response["Cache-Control"] = "no-store"  # the link is shown once; keep it out of caches
    return response


@login_required
def sharing(request: HttpRequest, slug: str, dataset: str) -> HttpResponse:
    item = selectors.dataset_get(actor=request.user, landscape_slug=slug, slug=dataset, action="share")
    form = _sharing_form(request, item, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.dataset_set_sharing(actor=request.user, dataset=item, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Sharing settings saved."))
            return redirect(item.get_absolute_url())
    return _sharing_page(request, item, form=form, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def link_create(request: HttpRequest, slug: str, dataset: str) -> HttpResponse:
    item = selectors.dataset_get(actor=request.user, landscape_slug=slug, slug=dataset, action="share")
    link_form = LinkForm(request.POST, prefix="link")
    if link_form.is_valid():
        try:
            _link, token = services.dataset_link_create(
                actor=request.user, dataset=item, **link_form.cleaned_data
            )
        except DomainError as exc:
            form_error(link_form, exc)
        else:
            url = request.build_absolute_uri(services.link_path(token))
            return _sharing_page(request, item, new_link=url)
    return _sharing_page(request, item, link_form=link_form, status=400)


@login_required
@require_POST
def link_revoke(request: HttpRequest, slug: str, dataset: str, link_id: int) -> HttpResponse:
    item = selectors.dataset_get(actor=request.user, landscape_slug=slug, slug=dataset, action="share")
    link = selectors.dataset_link_get(actor=request.user, dataset=item, pk=link_id)
    services.dataset_link_revoke(actor=request.user, dataset=item, link=link)
    messages.success(request, _("The link is revoked: it no longer opens the dataset."))
    return redirect("datasets:sharing", slug=slug, dataset=dataset)


@login_required
@require_POST
def grant_create(request: HttpRequest, slug: str, dataset: str) -> HttpResponse:
    item = selectors.dataset_get(actor=request.user, landscape_slug=slug, slug=dataset, action="share")
    grant_form = GrantForm(request.POST, prefix="grant")
    if grant_form.is_valid():
        try:
            services.dataset_grant(actor=request.user, dataset=item, **grant_form.cleaned_data)
        except DomainError as exc:
            form_error(grant_form, exc)
        else:
            messages.success(request, _("Access given: the person can now see this dataset."))
            return redirect("datasets:sharing", slug=slug, dataset=dataset)
    return _sharing_page(request, item, grant_form=grant_form, status=400)


@login_required
@require_POST
def grant_revoke(request: HttpRequest, slug: str, dataset: str, grant_id: int) -> HttpResponse:
    item = selectors.dataset_get(actor=request.user, landscape_slug=slug, slug=dataset, action="share")
    grant = selectors.dataset_grant_get(actor=request.user, dataset=item, pk=grant_id)
    services.dataset_grant_revoke(actor=request.user, dataset=item, grant=grant)
    messages.success(request, _("Access taken back: the person can no longer see this dataset."))
    return redirect("datasets:sharing", slug=slug, dataset=dataset)
