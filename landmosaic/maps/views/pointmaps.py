"""Pages of point maps ("data maps"): make one from a dataset, see it, change it, delete it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from landmosaic.core import permissions
from landmosaic.core.errors import DomainError, ValidationFailed
from landmosaic.core.forms import form_error
from landmosaic.datasets import selectors as dataset_selectors

from .. import selectors, services
from ..forms import PointMapForm


def _form(request: HttpRequest, source: dict, landscape_id: int, **kwargs) -> PointMapForm:
    landscapes, organisations = dataset_selectors.share_target_choices(
        actor=request.user, landscape_id=landscape_id
    )
    return PointMapForm(
        request.POST or None, source=source, landscapes=landscapes, organisations=organisations, **kwargs
    )


@login_required
def point_map_new(request: HttpRequest, slug: str, dataset: str) -> HttpResponse:
    item = dataset_selectors.dataset_get(actor=request.user, landscape_slug=slug, slug=dataset)
    source = selectors.point_source_for_new_map(actor=request.user, dataset=item)
    initial = {**PointMapForm.initial_for_new(source), "title": item.title}
    form = _form(request, source, item.landscape_id, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            point_map = services.point_map_create(actor=request.user, dataset=item, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The map is saved."))
            return redirect(point_map.get_absolute_url())
    context = {"dataset": item, "landscape": item.landscape, "form": form, "point_map": None}
    return render(
        request, "maps/point_map_form.html", context, status=400 if request.method == "POST" else 200
    )


def point_map(request: HttpRequest, slug: str, point_map: str) -> HttpResponse:
    item = selectors.point_map_get(actor=request.user, landscape_slug=slug, slug=point_map)
    context = {
        "point_map": item,
        "dataset": item.dataset,
        "landscape": item.landscape,
        "actions": set(selectors.point_map_actions(actor=request.user, point_map=item)),
    }
    return render(request, "maps/point_map.html", context)


def point_map_data(request: HttpRequest, slug: str, point_map: str) -> JsonResponse:
    item = selectors.point_map_get(actor=request.user, landscape_slug=slug, slug=point_map)
    try:
        data = selectors.point_map_data(actor=request.user, point_map=item)
    except ValidationFailed as exc:  # the page's script shows the reason under the map
        return JsonResponse({"error": {"code": exc.code, "message": exc.message}}, status=exc.status)
    return JsonResponse(data, content_type="application/geo+json")


@login_required
def point_map_edit(request: HttpRequest, slug: str, point_map: str) -> HttpResponse:
    item = selectors.point_map_get(actor=request.user, landscape_slug=slug, slug=point_map, action="change")
    source = selectors.point_source(actor=request.user, dataset=item.dataset)
    targets = selectors.point_map_share_targets(actor=request.user, point_map=item)
    form = _form(request, source, item.landscape_id, initial=PointMapForm.initial_for(item, targets))
    if request.method == "POST" and form.is_valid():
        try:
            services.point_map_update(actor=request.user, point_map=item, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The map is saved."))
            return redirect(item.get_absolute_url())
    context = {
        "dataset": item.dataset,
        "landscape": item.landscape,
        "form": form,
        "point_map": item,
        "can_delete": permissions.can(request.user, "delete", item),
    }
    return render(
        request, "maps/point_map_form.html", context, status=400 if request.method == "POST" else 200
    )


@login_required
@require_POST
def point_map_delete(request: HttpRequest, slug: str, point_map: str) -> HttpResponse:
    item = selectors.point_map_get(actor=request.user, landscape_slug=slug, slug=point_map, action="delete")
    dataset_url = item.dataset.get_absolute_url()
    services.point_map_delete(actor=request.user, point_map=item)
    messages.success(request, _("The map is deleted; its data stays as it was."))
    return redirect(dataset_url)


# --- Sections on the data commons' pages (registered in apps.py) ---------------------------------


def dataset_panel(request: HttpRequest, dataset) -> str:
    """The maps of a dataset on its page, and a button to make one for its landscape's editors."""
    can_make = selectors.mappable(dataset) and permissions.can(request.user, "add_content", dataset.landscape)
    maps = list(selectors.point_map_list(actor=request.user, dataset=dataset))
    if not maps and not can_make:
        return ""
    context = {"maps": maps, "dataset": dataset, "can_make": can_make}
    return render_to_string("maps/_dataset_panel.html", context, request=request)


def landscape_data_panel(request: HttpRequest, landscape) -> str:
    """The point maps of a landscape on its data page."""
    maps = list(selectors.point_map_list(actor=request.user, landscape=landscape))
    if not maps:
        return ""
    return render_to_string(
        "maps/_landscape_panel.html", {"maps": maps, "landscape": landscape}, request=request
    )
