"""The JSON documents of the OGC API: landing page, conformance, collections, features, OpenAPI.

Link relations follow OGC API - Features Part 1 exactly (``self``, ``alternate``, ``service-desc``,
``service-doc``, ``conformance``, ``data``, ``items``, ``collection``, ``next``, ``prev``): GDAL and
QGIS navigate by them. Every link is absolute and names its media type.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ..models import Dataset
from . import params
from .gpkg import Feature
from .selectors import collection_id, temporal_field

JSON = "application/json"
GEOJSON = "application/geo+json"
HTML = "text/html"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
GREGORIAN = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
]
#: Collections per page of /collections (GDAL follows the next links).
COLLECTIONS_LIMIT = 1000
COLLECTIONS_MAX_LIMIT = 10_000


class Urls:
    """Absolute URLs of the API's resources, as the request reached the server."""

    def __init__(self, request: HttpRequest):
        self.request = request

    def __call__(self, name: str, *args: str, query: list[tuple[str, Any]] | None = None) -> str:
        url = self.request.build_absolute_uri(reverse(f"ogc:{name}", args=args))
        pairs = [(k, v) for k, v in (query or []) if v is not None]
        return f"{url}?{urlencode(pairs)}" if pairs else url


def link(href: str, rel: str, media_type: str, title: str) -> dict[str, str]:
    return {"href": href, "rel": rel, "type": media_type, "title": title}


def _pair(urls: Urls, name: str, *args: str, media_type: str = JSON, query=None) -> list[dict[str, str]]:
    """``self`` in JSON and its ``alternate`` in HTML."""
    query = list(query or [])
    return [
        link(urls(name, *args, query=[*query, ("f", "json")]), "self", media_type, _("This document")),
        link(urls(name, *args, query=[*query, ("f", "html")]), "alternate", HTML, _("This document as HTML")),
    ]


def timestamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def landing(urls: Urls) -> dict[str, Any]:
    return {
        "title": _("Landmosaic data commons"),
        "description": _(
            "Map layers shared by landscape partnerships, served with OGC API - Features. "
            "Open this address in QGIS or GDAL (OAPIF) to read them."
        ),
        "links": [
            *_pair(urls, "landing"),
            link(
                urls("api", query=[("f", "json")]),
                "service-desc",
                OPENAPI,
                _("The API definition (OpenAPI 3.0)"),
            ),
            link(urls("api", query=[("f", "html")]), "service-doc", HTML, _("The API documentation")),
            link(urls("conformance", query=[("f", "json")]), "conformance", JSON, _("Conformance classes")),
            link(urls("collections", query=[("f", "json")]), "data", JSON, _("Collections")),
        ],
    }


def conformance(urls: Urls) -> dict[str, Any]:
    return {"links": _pair(urls, "conformance"), "conformsTo": CONFORMANCE}


def _temporal_extent(dataset: Dataset) -> dict[str, Any] | None:
    field = temporal_field(dataset.current_version)
    if field is None:
        return None

    def instant(value: str | None, *, end: bool) -> str | None:
        if not value:
            return None
        if field["type"] == "date":
            return f"{value}T23:59:59Z" if end else f"{value}T00:00:00Z"
        return value if value.endswith("Z") or "+" in value[10:] else f"{value}Z"

    interval = [instant(field["start"], end=False), instant(field["end"], end=True)]
    return {"interval": [interval], "trs": GREGORIAN}


def collection(urls: Urls, dataset: Dataset) -> dict[str, Any]:
    """A collection's description: its extent, CRS and links to its features."""
    cid = collection_id(dataset)
    version = dataset.current_version
    extent: dict[str, Any] = {}
    if version.bbox_4326:
        extent["spatial"] = {"bbox": [list(version.bbox_4326)], "crs": params.CRS84}
    temporal = _temporal_extent(dataset)
    if temporal:
        extent["temporal"] = temporal
    links = [
        *_pair(urls, "collection", cid),
        link(urls("items", cid, query=[("f", "json")]), "items", GEOJSON, _("The features (GeoJSON)")),
        link(urls("items", cid, query=[("f", "html")]), "items", HTML, _("The features (HTML)")),
        link(
            urls.request.build_absolute_uri(dataset.get_absolute_url()),
            "describedby",
            HTML,
            _("The dataset's page"),
        ),
    ]
    if dataset.license_url:
        links.append(link(dataset.license_url, "license", HTML, dataset.license_name))
    document: dict[str, Any] = {
        "id": cid,
        "title": dataset.title,
        "description": dataset.description,
        "keywords": list(dataset.keywords),
        "itemType": "feature",
        "crs": [params.CRS84],
        "extent": extent,
        "links": links,
    }
    if dataset.attribution:
        document["attribution"] = dataset.attribution
    return document


def collections(
    urls: Urls, datasets: list[Dataset], *, limit: int, offset: int, total: int
) -> dict[str, Any]:
    page = [("limit", limit if limit != COLLECTIONS_LIMIT else None)]
    links = _pair(urls, "collections", query=[*page, ("offset", offset or None)])
    if offset + len(datasets) < total:
        links.append(
            link(
                urls("collections", query=[*page, ("offset", offset + limit), ("f", "json")]),
                "next",
                JSON,
                _("Next page"),
            )
        )
    if offset > 0:
        links.append(
            link(
                urls("collections", query=[*page, ("offset", max(0, offset - limit) or None), ("f", "json")]),
                "prev",
                JSON,
                _("Previous page"),
            )
        )
    return {"links": links, "collections": [collection(urls, d) for d in datasets]}


def items_links(
    urls: Urls, cid: str, query: params.ItemQuery, *, returned: int, matched: int | None, fmt: str
) -> list[dict[str, str]]:
    """self/alternate, collection, and next/prev pages keeping every filter of the request."""
    media_type = GEOJSON if fmt == "json" else HTML
    echo = list(query.echo)
    limit = ("limit", query.limit if query.limit != params.DEFAULT_LIMIT else None)

    def page(offset: int, f: str) -> str:
        return urls("items", cid, query=[*echo, limit, ("offset", offset or None), ("f", f)])

    links = [
        link(
            page(query.offset, "json"),
            "self" if fmt == "json" else "alternate",
            GEOJSON,
            _("This page (GeoJSON)"),
        ),
        link(
            page(query.offset, "html"), "alternate" if fmt == "json" else "self", HTML, _("This page (HTML)")
        ),
        link(urls("collection", cid, query=[("f", "json")]), "collection", JSON, _("The collection")),
    ]
    more = returned == query.limit if matched is None else query.offset + returned < matched
    if more:
        links.append(link(page(query.offset + query.limit, fmt), "next", media_type, _("Next page")))
    if query.offset > 0:
        links.append(
            link(page(max(0, query.offset - query.limit), fmt), "prev", media_type, _("Previous page"))
        )
    return links


def items_json(
    urls: Urls, cid: str, query: params.ItemQuery, features: list[Feature], matched: int | None
) -> str:
    """The FeatureCollection as text: features are written from their GeoJSON text, not re-parsed."""
    head: dict[str, Any] = {"type": "FeatureCollection"}
    if matched is not None:
        head["numberMatched"] = matched
    head["numberReturned"] = len(features)
    head["timeStamp"] = timestamp()
    head["links"] = items_links(urls, cid, query, returned=len(features), matched=matched, fmt="json")
    text = json.dumps(head, ensure_ascii=False)
    return f'{text[:-1]},"features":[{",".join(f.as_json() for f in features)}]}}'


def item_links(urls: Urls, cid: str, fid: int) -> list[dict[str, str]]:
    return [
        *_pair(urls, "item", cid, str(fid), media_type=GEOJSON),
        link(urls("collection", cid, query=[("f", "json")]), "collection", JSON, _("The collection")),
    ]


def item_json(urls: Urls, cid: str, feature: Feature) -> str:
    return feature.as_json(links=item_links(urls, cid, feature.fid))


def exception(code: str, description: str) -> dict[str, str]:
    """The OGC API exception body."""
    return {"code": code, "description": description}
