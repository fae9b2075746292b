"""The one NinjaAPI: mounts each app's router, sets authentication and the error shape."""

from __future__ import annotations

from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from landmosaic.accounts.api import router as accounts_router
from landmosaic.accounts.api_auth import SIGNED_IN
from landmosaic.core.api import router as jobs_router
from landmosaic.core.errors import DomainError
from landmosaic.datasets.api import router as datasets_router
from landmosaic.fieldwork.api import router as fieldwork_router
from landmosaic.landscapes.api import router as landscapes_router
from landmosaic.maps.api import router as maps_router
from landmosaic.planning.api import router as planning_router
from landmosaic.scenarios.api import router as scenarios_router

api = NinjaAPI(
    title="Landmosaic API",
    version="1",
    description="Landscapes, partnerships, members and jobs. "
    "Authenticate with `Authorization: Bearer <token>` "
    "(create tokens in your profile) or the browser session.",
    urls_namespace="api",
    auth=SIGNED_IN,
    docs_url="/docs",
)
api.add_router("/", accounts_router)
api.add_router("/", landscapes_router)
api.add_router("/", jobs_router)
api.add_router("/", datasets_router)
api.add_router("/", maps_router)
api.add_router("/", fieldwork_router)
api.add_router("/", planning_router)
api.add_router("/", scenarios_router)


def error_body(code: str, message: str, details: dict | None = None) -> dict:
    """The one JSON shape of every API error."""
    return {"error": {"code": code, "message": message, "details": details or {}}}


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError):
    return api.create_response(request, error_body(exc.code, exc.message, exc.details), status=exc.status)


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError):
    details: dict[str, list[str]] = {}
    for error in exc.errors:
        location = ".".join(str(p) for p in error.get("loc", [])[1:]) or "body"
        details.setdefault(location, []).append(error.get("msg", ""))
    return api.create_response(
        request, error_body("invalid", _("The request is not valid."), details), status=422
    )


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError):
    message = str(exc.args[1]) if len(exc.args) > 1 else _("Sign in or send a valid API token.")
    return api.create_response(request, error_body("unauthenticated", message), status=401)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError):
    return api.create_response(request, error_body("http_error", str(exc)), status=exc.status_code)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404):
    return api.create_response(request, error_body("not_found", _("Not found.")), status=404)


def api_not_found(request: HttpRequest) -> JsonResponse:
    """Unknown paths under /api/ answer in the API's error shape, not with an HTML page."""
    return JsonResponse(error_body("not_found", _("No API endpoint at this address.")), status=404)
