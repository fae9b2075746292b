"""Pages of monitoring and results: indicators, one indicator with its measurements, the four returns."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from landmosaic.core import permissions
from landmosaic.core.errors import DomainError, ValidationFailed

from .. import progress, selectors, services
from ..forms import ComputedSourceForm, ComputeForm, IndicatorForm, MeasurementForm
from ._common import form_error, form_page, page_context


def indicators(request: HttpRequest, slug: str) -> HttpResponse:
    landscape = selectors.monitoring_landscape_get(actor=request.user, slug=slug)
    views = selectors.indicator_list(actor=request.user, landscape=landscape)
    context = page_context(request.user, landscape, "indicators", indicators=views, view="indicators")
    return render(request, "planning/indicators.html", context)


def indicator(request: HttpRequest, slug: str, indicator_id: int) -> HttpResponse:
    """One indicator: progress, a chart over time, measurements; members record measurements here."""
    landscape = selectors.monitoring_landscape_get(actor=request.user, slug=slug)
    found = selectors.indicator_get(actor=request.user, landscape=landscape, indicator_id=indicator_id)
    context = page_context(request.user, landscape, "indicators", view="indicators")
    form = None
    status = 200
    if "measure" in context["can"]["monitoring"]:
        form = MeasurementForm(request.POST or None)
        if request.method == "POST":
            if form.is_valid():
                data = form.cleaned_data
                try:
                    services.measurement_add(actor=request.user, indicator=found, **data)
                except DomainError as exc:
                    if exc.status in (403, 404):
                        raise
                    form_error(form, exc)
                else:
                    messages.success(request, _("The measurement is recorded."))
                    return redirect("planning:indicator", slug=slug, indicator_id=indicator_id)
            status = 400
    measurements = selectors.measurement_list(actor=request.user, indicator=found)
    context.update(
        indicator=selectors.indicator_view(indicator=found),
        measurements=measurements,
        chart=progress.chart_layout(
            [(m.date.isoformat(), m.value) for m in measurements],
            baseline=found.baseline_value,
            target=found.target_value,
        ),
        form=form,
        source=selectors.computed_source_get(actor=request.user, indicator=found),
        place=None
        if found.geometry is None
        else {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "geometry": found.geometry, "properties": {"name": found.name}}],
        },
        show_people=permissions.can(request.user, "view_members", landscape),
        user_id=request.user.pk,
    )
    return render(request, "planning/indicator.html", context, status=status)


@login_required
def indicator_form(request: HttpRequest, slug: str, indicator_id: int | None = None) -> HttpResponse:
    landscape = selectors.monitoring_landscape_get(actor=request.user, slug=slug, action="change")
    found = (
        selectors.indicator_get(
            actor=request.user, landscape=landscape, indicator_id=indicator_id, action="change"
        )
        if indicator_id
        else None
    )
    if found is not None:
        initial = IndicatorForm.initial_for(found)
    else:
        target = request.GET.get("objective") or ""
        initial = {"attached_to": f"objective:{target}"} if target.isdigit() else {}
    form = IndicatorForm(
        request.POST or None,
        initial=initial,
        landscape=landscape,
        editing=found is not None,
        location=found.geometry if found else None,
    )
    return form_page(
        request,
        landscape,
        "indicators",
        form=form,
        title=_("Edit the indicator") if found else _("Add an indicator"),
        save=lambda data: services.indicator_save(
            actor=request.user,
            landscape=landscape,
            indicator=found,
            **form.service_kwargs(editing=found is not None),
        ),
        success=lambda i: reverse("planning:indicator", kwargs={"slug": slug, "indicator_id": i.pk}),
        message=_("The indicator is saved."),
        cancel=reverse("planning:indicators", kwargs={"slug": slug}),
        draw={
            "input": "id_area",
            "label": _("Or draw the area where it is measured"),
            "hint": _(
                "Optional: a place (longitude and latitude) or an area where the indicator is measured."
            ),
        },
    )


@login_required
@require_POST
def indicator_delete(request: HttpRequest, slug: str, indicator_id: int) -> HttpResponse:
    landscape = selectors.monitoring_landscape_get(actor=request.user, slug=slug)
    found = selectors.indicator_get(
        actor=request.user, landscape=landscape, indicator_id=indicator_id, action="change"
    )
    services.indicator_delete(actor=request.user, indicator=found)
    messages.success(request, _("The indicator is removed."))
    return redirect("planning:indicators", slug=slug)


@login_required
@require_POST
def measurement_delete(request: HttpRequest, slug: str, measurement_id: int) -> HttpResponse:
    landscape = selectors.monitoring_landscape_get(actor=request.user, slug=slug)
    found = selectors.measurement_get(actor=request.user, landscape=landscape, measurement_id=measurement_id)
    services.measurement_delete(actor=request.user, measurement=found)
    messages.success(request, _("The measurement is removed."))
    return redirect("planning:indicator", slug=slug, indicator_id=found.indicator_id)


@login_required
def indicator_source(request: HttpRequest, slug: str, indicator_id: int) -> HttpResponse:
    """Choose the dataset and the figure an indicator's measurements are computed from (editors)."""
    landscape = selectors.monitoring_landscape_get(actor=request.user, slug=slug, action="change")
    found = selectors.indicator_get(
        actor=request.user, landscape=landscape, indicator_id=indicator_id, action="change"
    )
    form = ComputedSourceForm(
        request.POST or None,
        initial=ComputedSourceForm.initial_for(
            selectors.computed_source_get(actor=request.user, indicator=found)
        ),
        datasets=selectors.computable_datasets(actor=request.user, landscape=landscape),
    )
    back = reverse("planning:indicator", kwargs={"slug": slug, "indicator_id": found.pk})
    return form_page(
        request,
        landscape,
        "indicators",
        form=form,
        title=_("Compute “%(name)s” from a dataset") % {"name": found.name},
        save=lambda data: services.computed_source_save(
            actor=request.user, indicator=found, **form.service_kwargs()
        ),
        success=lambda _source: back,
        message=_("The indicator will be computed from this dataset."),
        cancel=back,
    )


@login_required
@require_POST
def indicator_source_delete(request: HttpRequest, slug: str, indicator_id: int) -> HttpResponse:
    landscape = selectors.monitoring_landscape_get(actor=request.user, slug=slug)
    found = selectors.indicator_get(
        actor=request.user, landscape=landscape, indicator_id=indicator_id, action="change"
    )
    services.computed_source_delete(actor=request.user, indicator=found)
    messages.success(request, _("The indicator is no longer computed from a dataset."))
    return redirect("planning:indicator", slug=slug, indicator_id=indicator_id)


@login_required
@require_POST
def indicator_compute(request: HttpRequest, slug: str, indicator_id: int) -> HttpResponse:
    """Compute a measurement now (members): a job, whose page shows the progress."""
    landscape = selectors.monitoring_landscape_get(actor=request.user, slug=slug)
    found = selectors.indicator_get(
        actor=request.user, landscape=landscape, indicator_id=indicator_id, action="measure"
    )
    form = ComputeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(_("Enter a valid date."))
        job = services.measurement_compute(
            actor=request.user, indicator=found, date=form.cleaned_data["date"]
        )
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.message)
        return redirect("planning:indicator", slug=slug, indicator_id=indicator_id)
    return redirect("web:job", job_id=job.pk)


def results(request: HttpRequest, slug: str) -> HttpResponse:
    """Progress by goal and objective, and the four returns side by side (bars and a radar)."""
    landscape = selectors.monitoring_landscape_get(actor=request.user, slug=slug)
    context = page_context(
        request.user,
        landscape,
        "indicators",
        results=selectors.results_get(actor=request.user, landscape=landscape),
        view="results",
    )
    return render(request, "planning/results.html", context)
