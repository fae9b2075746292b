"""The printable landscape plan and the plan exports (JSON, Miradi XMPZ2)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from landmosaic.core.models import Job

from .. import selectors, services
from ..downloads import attachment


def plan_print(request: HttpRequest, slug: str) -> HttpResponse:
    """One page with the vision, the zones map, goals, objectives, actions and indicators, to print."""
    landscape = selectors.strategy_landscape_get(actor=request.user, slug=slug)
    doc = selectors.plan_document_get(actor=request.user, landscape=landscape)
    response = render(request, "planning/plan_print.html", {"landscape": landscape, "doc": doc})
    response["Cache-Control"] = "private, no-store"
    return response


def plan_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The file; for a large plan not exported since it changed, the job's page (progress, then the link
    back here, which then serves the kept file)."""
    landscape = selectors.strategy_landscape_get(actor=request.user, slug=slug)
    export = services.plan_export(actor=request.user, landscape=landscape, fmt=fmt)
    if isinstance(export, Job):
        return redirect("web:job", job_id=export.pk)
    return attachment(export.content, export.content_type, export.filename)
