"""API of the whole plan as a file: JSON (format ``landmosaic-plan``) and Miradi XMPZ2."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from landmosaic.accounts.api_auth import ANYONE

from .. import selectors, services
from ..downloads import attachment
from ._router import router

BASE = "/landscapes/{slug}/plan"


def _export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    landscape = selectors.strategy_landscape_get(actor=request.auth, slug=slug)
    export = services.plan_export(actor=request.auth, landscape=landscape, fmt=fmt)
    return attachment(export.content, export.content_type, export.filename)


@router.get(
    f"{BASE}/export.json",
    auth=ANYONE,
    summary="The whole plan as JSON (format landmosaic-plan, version 1; budgets for members only)",
    openapi_extra={"responses": {200: {"description": "JSON", "content": {"application/json": {}}}}},
)
def plan_export_json(request: HttpRequest, slug: str):
    return _export(request, slug, "json")


@router.get(
    f"{BASE}/export.xmpz2",
    auth=ANYONE,
    summary="The whole plan for Miradi: a zip holding project.xml (XMPZ2)",
    openapi_extra={"responses": {200: {"description": "XMPZ2 (zip)", "content": {"application/zip": {}}}}},
)
def plan_export_xmpz2(request: HttpRequest, slug: str):
    return _export(request, slug, "xmpz2")
