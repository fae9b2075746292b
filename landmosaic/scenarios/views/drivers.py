"""Drivers the platform derives for a set: distance to a map layer, slope from an elevation map."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from landmosaic.core.errors import DomainError

from .. import selectors
from ..forms import DerivedDriverForm
from ..services.drivers import scenario_set_add_derived_driver
from ._common import form_error


def derived_driver_form(request: HttpRequest, scenario_set, data=None) -> DerivedDriverForm:
    """The form with the landscape's map layers and rasters of measured values the caller may see."""
    landscape = scenario_set.landscape
    return DerivedDriverForm(
        data,
        prefix="derived",  # its weight and effect must not share ids with the raster driver's form
        layers=selectors.vector_choices(actor=request.user, landscape=landscape),
        # Maps of classes (the land-cover maps) have no slope; the service refuses them too.
        rasters=selectors.raster_choices(actor=request.user, landscape=landscape, kind="continuous"),
    )


@login_required
@require_POST
def derived_driver(request: HttpRequest, slug: str, set_id: int) -> HttpResponse:
    from .sets import _editable_set, _set_context  # the set page's own context, shared with its views

    scenario_set = _editable_set(request, slug, set_id)
    form = derived_driver_form(request, scenario_set, request.POST)
    if form.is_valid():
        try:
            scenario_set_add_derived_driver(
                actor=request.user, scenario_set=scenario_set, **form.cleaned_data
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Driver computed and saved. The next runs use it."))
            return redirect(f"{scenario_set.get_absolute_url()}#drivers")
    scenario_set.refresh_from_db()
    context = _set_context(request, scenario_set, derived_driver_form=form)
    return render(request, "scenarios/set.html", context, status=400)
