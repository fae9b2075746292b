"""API of the whole plan as a file: JSON (format ``landmosaic-plan``) and Miradi XMPZ2."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse

from landmosaic.accounts.api_auth import ANYONE
from landmosaic.core.models import Job

from .. import selectors, services
from ..downloads import attachment
from ._router import router

BASE = "/landscapes/{slug}/plan"
_LARGE = (
    "Plans with more actions than the server's PLAN_EXPORT_SYNC_MAX_ACTIONS (1,000 by default) are exported "
    "by a job for signed-in callers: the answer is 202 with the job; ask again once it has succeeded (the "
    "file is kept until the plan changes)."
)
_JOB = {
    "description": "A job is writing the file: {job: {id, status, url}}",
    "content": {"application/json": {}},
}


def _export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    landscape = selectors.strategy_landscape_get(actor=request.auth, slug=slug)
    export = services.plan_export(actor=request.auth, landscape=landscape, fmt=fmt)
    if isinstance(export, Job):
        # A large plan not exported since it changed: follow the job, then ask again for the file.
        job = {"id": str(export.pk), "status": export.status, "url": f"/api/v1/jobs/{export.pk}"}
        return JsonResponse({"job": job}, status=202)
    return attachment(export.content, export.content_type, export.filename)


@router.get(
    f"{BASE}/export.json",
    auth=ANYONE,
    summary="The whole plan as JSON (format landmosaic-plan, version 1; budgets for members only)",
    description=_LARGE,
    openapi_extra={
        "responses": {200: {"description": "JSON", "content": {"application/json": {}}}, 202: _JOB}
    },
)
def plan_export_json(request: HttpRequest, slug: str):
    return _export(request, slug, "json")


@router.get(
    f"{BASE}/export.xmpz2",
    auth=ANYONE,
    summary="The whole plan for Miradi: a zip holding project.xml (XMPZ2)",
    description=_LARGE,
    openapi_extra={
        "responses": {200: {"description": "XMPZ2 (zip)", "content": {"application/zip": {}}}, 202: _JOB}
    },
)
def plan_export_xmpz2(request: HttpRequest, slug: str):
    return _export(request, slug, "xmpz2")
