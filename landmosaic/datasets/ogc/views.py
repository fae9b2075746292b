"""HTTP views of the open-data interfaces: OGC API - Features under /ogc/, the DCAT feed.

Each view parses its parameters, calls one selector and shapes the answer as JSON or HTML (the
``f`` parameter, else the Accept header). Callers are identified by a bearer token when they send
one (GIS clients), else by the browser session; a wrong token is refused, never read as anonymous.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from landmosaic.accounts.selectors import user_for_token
from landmosaic.core.errors import Forbidden, NotFound

from .. import catalogue
from . import documents, openapi, params, selectors
from .documents import GEOJSON, JSON, OPENAPI, Urls

JSONLD = "application/ld+json"


class _InvalidToken(Exception):
    pass


def _caller(request: HttpRequest) -> Any:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return request.user
    user = user_for_token(secret=token.strip())
    if user is None:
        raise _InvalidToken
    return user


def _json(document: Any, media_type: str = JSON, status: int = 200) -> HttpResponse:
    text = (
        document
        if isinstance(document, str)
        else json.dumps(document, ensure_ascii=False, cls=DjangoJSONEncoder)
    )
    return HttpResponse(text, content_type=media_type, status=status)


def _error(request: HttpRequest, fmt: str, status: int, code: str, description: str) -> HttpResponse:
    if fmt == "html":
        context = {"status": status, "code": code, "description": description}
        return render(request, "datasets/ogc/error.html", context, status=status)
    return _json(documents.exception(code, description), status=status)


def ogc_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Authentication, content negotiation, OGC error bodies and the headers every answer carries."""

    @require_safe
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        fmt = "json"
        try:
            fmt = params.negotiate(request.GET.get("f"), request.headers.get("Accept", ""))
            actor = _caller(request)
            response = view(request, actor, fmt, *args, **kwargs)
        except _InvalidToken:
            response = _error(request, "json", 401, "InvalidToken", _("Invalid or revoked API token."))
            response["WWW-Authenticate"] = 'Bearer realm="landmosaic", error="invalid_token"'
        except params.ParameterError as exc:
            response = _error(request, fmt, 400, exc.code, exc.message)
        except NotFound as exc:
            response = _error(request, fmt, 404, "NotFound", exc.message)
        except Forbidden as exc:
            response = _error(request, fmt, 403, "Forbidden", exc.message)
        # What is answered depends on who asks and how.
        response["Vary"] = "Accept, Authorization, Cookie"
        # Readable from any web page, without credentials (browsers then send no cookies): public data only.
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapped


def _only(request: HttpRequest, *allowed: str) -> None:
    params.check_known(request.GET, ("f", *allowed))


def _page_params(request: HttpRequest, *, default: int, maximum: int) -> tuple[int, int]:
    limit = default
    if "limit" in request.GET:
        limit = params.parse_limit(request.GET["limit"])
        if limit > maximum:
            raise params.ParameterError(
                _("limit must be a whole number from 1 to %(max)s.") % {"max": maximum}
            )
    offset = params.parse_offset(request.GET["offset"]) if "offset" in request.GET else 0
    return limit, offset


def _html(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, f"datasets/ogc/{template}", context)


def _alternate(request: HttpRequest) -> str:
    """This resource as JSON: the same query with f=json."""
    query = request.GET.copy()
    query["f"] = "json"
    return f"{request.path}?{query.urlencode()}"


@ogc_view
def landing(request: HttpRequest, actor: Any, fmt: str) -> HttpResponse:
    _only(request)
    document = documents.landing(Urls(request))
    if fmt == "json":
        return _json(document)
    return _html(request, "landing.html", {"doc": document, "json_url": _alternate(request)})


@ogc_view
def conformance(request: HttpRequest, actor: Any, fmt: str) -> HttpResponse:
    _only(request)
    document = documents.conformance(Urls(request))
    if fmt == "json":
        return _json(document)
    return _html(request, "conformance.html", {"doc": document, "json_url": _alternate(request)})


@ogc_view
def api(request: HttpRequest, actor: Any, fmt: str) -> HttpResponse:
    _only(request)
    document = openapi.openapi(Urls(request), list(selectors.collection_list(actor=actor)))
    if fmt == "json":
        return _json(document, OPENAPI)
    operations = [
        {"path": path, "summary": item["get"]["summary"]}
        for path, item in document["paths"].items()
        if "{" in path or not path.startswith("/collections/")  # the caller's own collections: on their pages
    ]
    return _html(
        request, "api.html", {"doc": document, "operations": operations, "json_url": _alternate(request)}
    )


@ogc_view
def collections(request: HttpRequest, actor: Any, fmt: str) -> HttpResponse:
    _only(request, "limit", "offset")
    limit, offset = _page_params(
        request, default=documents.COLLECTIONS_LIMIT, maximum=documents.COLLECTIONS_MAX_LIMIT
    )
    queryset = selectors.collection_list(actor=actor)
    datasets = list(queryset[offset : offset + limit])
    total = offset + len(datasets) if len(datasets) < limit else queryset.count()
    document = documents.collections(Urls(request), datasets, limit=limit, offset=offset, total=total)
    if fmt == "json":
        return _json(document)
    context = {
        "doc": document,
        "items": list(zip(datasets, document["collections"], strict=True)),
        "json_url": _alternate(request),
        "next": next((x["href"] for x in document["links"] if x["rel"] == "next"), ""),
        "prev": next((x["href"] for x in document["links"] if x["rel"] == "prev"), ""),
    }
    return _html(request, "collections.html", context)


@ogc_view
def collection(request: HttpRequest, actor: Any, fmt: str, collection: str) -> HttpResponse:
    _only(request)
    dataset = selectors.collection_get(actor=actor, collection=collection)
    document = documents.collection(Urls(request), dataset)
    if fmt == "json":
        return _json(document)
    context = {
        "doc": document,
        "dataset": dataset,
        "version": dataset.current_version,
        "temporal": selectors.temporal_field(dataset.current_version),
        "json_url": _alternate(request),
    }
    return _html(request, "collection.html", context)


@ogc_view
def items(request: HttpRequest, actor: Any, fmt: str, collection: str) -> HttpResponse:
    dataset = selectors.collection_get(actor=actor, collection=collection)
    version = dataset.current_version
    query = params.parse_items_query(
        request.GET, fields=version.fields, temporal_field=selectors.temporal_field(version)
    )
    page = selectors.feature_page(actor=actor, dataset=dataset, query=query)
    urls = Urls(request)
    if fmt == "json":
        return _json(
            documents.items_json(urls, collection, query, page.features, page.number_matched), GEOJSON
        )
    links = documents.items_links(
        urls, collection, query, returned=len(page.features), matched=page.number_matched, fmt="html"
    )
    columns = [f["name"] for f in version.fields]
    context = {
        "dataset": dataset,
        "collection_id": collection,
        "query": query,
        "features": [(f.fid, [f.properties.get(c) for c in columns]) for f in page.features],
        "columns": columns,
        "number_matched": page.number_matched,
        "first": query.offset + 1 if page.features else 0,
        "last": query.offset + len(page.features),
        "json_url": _alternate(request),
        "next": next((x["href"] for x in links if x["rel"] == "next"), ""),
        "prev": next((x["href"] for x in links if x["rel"] == "prev"), ""),
    }
    return _html(request, "items.html", context)


@ogc_view
def item(request: HttpRequest, actor: Any, fmt: str, collection: str, feature: str) -> HttpResponse:
    _only(request, "crs")
    params.check_crs(request.GET)
    dataset = selectors.collection_get(actor=actor, collection=collection)
    found = selectors.feature_get(actor=actor, dataset=dataset, feature_id=feature)
    if fmt == "json":
        return _json(documents.item_json(Urls(request), collection, found), GEOJSON)
    context = {
        "dataset": dataset,
        "collection_id": collection,
        "feature": found,
        "properties": list(found.properties.items()),
        "json_url": _alternate(request),
    }
    return _html(request, "item.html", context)


# --- DCAT ----------------------------------------------------------------------------------------


@require_safe
def catalog_jsonld(request: HttpRequest) -> HttpResponse:
    """/catalog.jsonld: a DCAT catalogue of the public datasets, ``page`` by ``page`` (Hydra links)."""
    try:
        params.check_known(request.GET, ("page", "limit"))
        page = request.GET.get("page", "1")
        if not page.isdigit() or int(page) < 1 or len(page) > 9:
            raise params.ParameterError(_("page must be a whole number, 1 or more."))
        size = catalogue.CATALOG_PAGE_SIZE
        if "limit" in request.GET:
            size = params.parse_limit(request.GET["limit"])
            if size > catalogue.CATALOG_MAX_PAGE_SIZE:
                raise params.ParameterError(
                    _("limit must be a whole number from 1 to %(max)s.")
                    % {"max": catalogue.CATALOG_MAX_PAGE_SIZE}
                )
    except params.ParameterError as exc:
        return _json(documents.exception(exc.code, exc.message), status=400)
    queryset = catalogue.public_datasets()
    total = queryset.count()
    start = (int(page) - 1) * size
    datasets = list(queryset[start : start + size])
    document = catalogue.dcat_catalog(
        datasets, request.build_absolute_uri, page=int(page), page_size=size, total=total
    )
    response = _json(document, JSONLD)
    response["Access-Control-Allow-Origin"] = "*"
    return response
