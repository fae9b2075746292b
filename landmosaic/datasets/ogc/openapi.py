"""The OpenAPI 3.0 document of the OGC API (``/ogc/api``, the landing page's ``service-desc``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from ..models import Dataset
from . import params
from .documents import GEOJSON, HTML, JSON, OPENAPI, Urls
from .selectors import collection_id

#: Collections described one by one (with their filterable fields), at most.
API_COLLECTIONS_MAX = 500
_SCHEMA_TYPES = {
    "integer": {"type": "integer"},
    "number": {"type": "number"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
    "string": {"type": "string"},
}


def _parameter(name: str, description: str, schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
        "style": "form",
        "explode": False,
        **extra,
    }


def _ok(description: str, *media_types: str) -> dict[str, Any]:
    return {
        "200": {
            "description": description,
            "content": {m: {"schema": {"type": "object"}} for m in media_types},
        },
        "400": {"$ref": "#/components/responses/InvalidParameter"},
        "404": {"$ref": "#/components/responses/NotFound"},
    }


def _items_operation(extra_parameters: list[dict[str, Any]], summary: str) -> dict[str, Any]:
    parameters = [
        {"$ref": f"#/components/parameters/{n}"} for n in ("bbox", "limit", "offset", "datetime", "f")
    ]
    return {
        "get": {
            "summary": summary,
            "operationId": "getFeatures",
            "tags": ["Data"],
            "parameters": [*parameters, *extra_parameters],
            "responses": _ok(_("The features: a GeoJSON FeatureCollection"), GEOJSON, HTML),
        }
    }


def openapi(urls: Urls, datasets: list[Dataset]) -> dict[str, Any]:
    """A small OpenAPI 3.0 document of this API; the caller's own collections are listed with the
    fields they can be filtered on (GDAL reads them to send ``field=value`` to the server)."""
    cid_parameter = {
        "name": "collectionId",
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
        "description": _("landscape-slug.dataset-slug"),
    }
    paths: dict[str, Any] = {
        "/": {
            "get": {
                "summary": _("Landing page"),
                "operationId": "getLandingPage",
                "tags": ["Capabilities"],
                "parameters": [{"$ref": "#/components/parameters/f"}],
                "responses": _ok(_("Links to the API's resources"), JSON, HTML),
            }
        },
        "/conformance": {
            "get": {
                "summary": _("Conformance classes"),
                "operationId": "getConformance",
                "tags": ["Capabilities"],
                "parameters": [{"$ref": "#/components/parameters/f"}],
                "responses": _ok(_("The conformance classes this API implements"), JSON, HTML),
            }
        },
        "/api": {
            "get": {
                "summary": _("This API definition"),
                "operationId": "getAPI",
                "tags": ["Capabilities"],
                "parameters": [{"$ref": "#/components/parameters/f"}],
                "responses": _ok(_("The OpenAPI 3.0 document"), OPENAPI, HTML),
            }
        },
        "/collections": {
            "get": {
                "summary": _("The collections: vector datasets the caller may see"),
                "operationId": "getCollections",
                "tags": ["Capabilities"],
                "parameters": [{"$ref": "#/components/parameters/f"}],
                "responses": _ok(_("The collections"), JSON, HTML),
            }
        },
        "/collections/{collectionId}": {
            "get": {
                "summary": _("One collection"),
                "operationId": "describeCollection",
                "tags": ["Capabilities"],
                "parameters": [cid_parameter, {"$ref": "#/components/parameters/f"}],
                "responses": _ok(_("The collection: extent, CRS, links"), JSON, HTML),
            }
        },
        "/collections/{collectionId}/items": _items_operation(
            [cid_parameter], _("The features of a collection; filter with field=value on its fields")
        ),
        "/collections/{collectionId}/items/{featureId}": {
            "get": {
                "summary": _("One feature"),
                "operationId": "getFeature",
                "tags": ["Data"],
                "parameters": [
                    cid_parameter,
                    {"name": "featureId", "in": "path", "required": True, "schema": {"type": "integer"}},
                    {"$ref": "#/components/parameters/f"},
                ],
                "responses": _ok(_("The feature: a GeoJSON Feature"), GEOJSON, HTML),
            }
        },
    }
    for dataset in datasets[:API_COLLECTIONS_MAX]:
        fields = [
            _parameter(
                f["name"],
                _("Features whose “%(field)s” equals this value") % {"field": f["name"]},
                _SCHEMA_TYPES[f["type"]],
            )
            for f in dataset.current_version.fields
            if f["type"] in params.FILTERABLE and f["name"] not in params.STANDARD
        ]
        paths[f"/collections/{collection_id(dataset)}/items"] = _items_operation(fields, dataset.title)
    limit_schema = {
        "type": "integer",
        "minimum": 1,
        "maximum": params.MAX_LIMIT,
        "default": params.DEFAULT_LIMIT,
    }
    exception_schema = {
        "type": "object",
        "required": ["code"],
        "properties": {"code": {"type": "string"}, "description": {"type": "string"}},
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": _("Landmosaic OGC API - Features"),
            "version": "1.0.0",
            "description": _(
                "Vector datasets of the data commons. Anonymous callers see public datasets; send "
                "“Authorization: Bearer <token>” with a personal API token to see the others you may read."
            ),
            "license": {"name": "AGPL-3.0-or-later", "url": "https://www.gnu.org/licenses/agpl-3.0.html"},
        },
        "servers": [{"url": urls("landing").rstrip("/")}],
        "tags": [{"name": "Capabilities"}, {"name": "Data"}],
        "paths": paths,
        "components": {
            "parameters": {
                "f": _parameter("f", _("Output format"), {"type": "string", "enum": ["json", "html"]}),
                "bbox": _parameter(
                    "bbox",
                    _("west,south,east,north in longitude/latitude (CRS84)"),
                    {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
                ),
                "limit": _parameter("limit", _("Number of features per page"), limit_schema),
                "offset": _parameter(
                    "offset",
                    _("Features to skip (the next links use it)"),
                    {"type": "integer", "minimum": 0, "default": 0},
                ),
                "datetime": _parameter(
                    "datetime",
                    _(
                        "An instant or an interval (start/end, “..” for open) "
                        "on the collection's first date field"
                    ),
                    {"type": "string"},
                ),
            },
            "responses": {
                "InvalidParameter": {
                    "description": _("A parameter is wrong"),
                    "content": {JSON: {"schema": exception_schema}},
                },
                "NotFound": {
                    "description": _("No such resource, or the caller may not see it"),
                    "content": {JSON: {"schema": exception_schema}},
                },
            },
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{}, {"bearer": []}],
    }
