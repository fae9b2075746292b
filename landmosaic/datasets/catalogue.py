"""Catalogue metadata of PUBLIC datasets in standard shapes, built from the fields stored once on the
dataset (see ``metadata``): DCAT-AP in JSON-LD for the ``/catalog.jsonld`` feed, and schema.org
``Dataset`` JSON-LD embedded in each public dataset's page.

"Public" is asked of core.permissions as an anonymous visitor: private, shared and restricted
datasets never appear. Download links are listed only when anonymous visitors may download.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from landmosaic.core import permissions

from . import selectors
from .exports import formats_for
from .models import Dataset
from .vocabularies import ILM_OUTPUTS

Absolute = Callable[[str], str]

CATALOG_PAGE_SIZE = 100
CATALOG_MAX_PAGE_SIZE = 500
DCAT_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "hydra": "http://www.w3.org/ns/hydra/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "gsp": "http://www.opengis.net/ont/geosparql#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
}
OGC_FEATURES = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
SPDX = "https://spdx.org/licenses/"
# Update frequencies as the EU frequency vocabulary names them (DCAT-AP dct:accrualPeriodicity).
FREQUENCIES = {
    "never": "NEVER",
    "continual": "CONT",
    "daily": "DAILY",
    "weekly": "WEEKLY",
    "monthly": "MONTHLY",
    "quarterly": "QUARTERLY",
    "annually": "ANNUAL",
    "irregular": "IRREG",
    "unknown": "UNKNOWN",
}
FREQUENCY_BASE = "http://publications.europa.eu/resource/authority/frequency/"
# What JSON inside an HTML <script> must not contain as such (as Django's json_script escapes it).
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def is_public(dataset: Dataset) -> bool:
    """Whether an anonymous visitor may see the dataset: the only datasets catalogued."""
    return permissions.can(AnonymousUser(), "view", dataset)


def public_datasets() -> QuerySet[Dataset]:
    """Every dataset an anonymous visitor may see, in a stable order for paging."""
    return (
        selectors.dataset_visible(actor=AnonymousUser()).filter(current_version__isnull=False).order_by("id")
    )


def _downloads(dataset: Dataset, absolute: Absolute) -> list[dict[str, str]]:
    """Files anyone may download: format code, label, media type and URL (current version)."""
    version = dataset.current_version
    if version is None or not selectors.can_download(actor=AnonymousUser(), dataset=dataset):
        return []

    def url(code: str) -> str:
        return absolute(
            reverse(
                "datasets:download",
                kwargs={
                    "slug": dataset.landscape.slug,
                    "dataset": dataset.slug,
                    "number": version.number,
                    "fmt": code,
                },
            )
        )

    files = [
        {
            "code": "original",
            "label": version.original_filename,
            "media_type": version.media_type,
            "url": url("original"),
        }
    ]
    if version.normalised_path:
        files += [
            {"code": f.code, "label": f.label, "media_type": f.media_type, "url": url(f.code)}
            for f in formats_for(dataset.kind)
        ]
    return files


def _ogc_collection_url(dataset: Dataset, absolute: Absolute) -> str | None:
    version = dataset.current_version
    if dataset.kind != Dataset.Kind.VECTOR or version is None or version.normalised_format != "gpkg":
        return None
    return absolute(reverse("ogc:collection", args=[f"{dataset.landscape.slug}.{dataset.slug}"]))


def _bbox_wkt(bbox: list[float]) -> str:
    west, south, east, north = bbox
    ring = [(west, south), (east, south), (east, north), (west, north), (west, south)]
    return "POLYGON((" + ", ".join(f"{x:.7g} {y:.7g}" for x, y in ring) + "))"


def _landscape_urls(dataset: Dataset, absolute: Absolute) -> tuple[str, str]:
    """The landscape's identifier (its page) and its data page (open whenever it shares public data)."""
    slug = dataset.landscape.slug
    return (
        absolute(reverse("landscapes:detail", kwargs={"slug": slug})),
        absolute(reverse("datasets:list", kwargs={"slug": slug})),
    )


# --- DCAT --------------------------------------------------------------------------------------


def dcat_dataset(dataset: Dataset, absolute: Absolute) -> dict[str, Any]:
    """One dcat:Dataset (DCAT-AP style) with a distribution per download format."""
    page = absolute(dataset.get_absolute_url())
    landscape_id, landscape_data = _landscape_urls(dataset, absolute)
    entry: dict[str, Any] = {
        "@id": page,
        "@type": "dcat:Dataset",
        "dct:identifier": page,
        "dct:title": dataset.title,
        "dct:description": dataset.description,
        "dcat:keyword": list(dataset.keywords),
        "dcat:theme": [
            {
                "@type": "skos:Concept",
                "skos:notation": code,
                "skos:prefLabel": label,
                "skos:inScheme": {"@type": "skos:ConceptScheme", "dct:title": _("ILM framework outputs")},
            }
            for code, label in dataset.theme_labels
        ],
        "dct:publisher": {
            "@id": landscape_id,
            "@type": "foaf:Organization",
            "foaf:name": dataset.landscape.name,
            "foaf:homepage": {"@id": landscape_data},
        },
        "dct:issued": {"@value": dataset.created_at.isoformat(), "@type": "xsd:dateTime"},
        "dct:modified": {"@value": dataset.updated_at.isoformat(), "@type": "xsd:dateTime"},
        "dcat:landingPage": {"@id": page},
        "dct:accrualPeriodicity": {
            "@id": FREQUENCY_BASE + FREQUENCIES.get(dataset.update_frequency, "UNKNOWN")
        },
    }
    if dataset.license_url:
        entry["dct:license"] = {"@id": SPDX + dataset.license, "rdfs:seeAlso": {"@id": dataset.license_url}}
    else:
        entry["dct:rights"] = {"@type": "dct:RightsStatement", "rdfs:label": dataset.license_name}
    if dataset.bbox:
        entry["dct:spatial"] = {
            "@type": "dct:Location",
            "dcat:bbox": {"@value": _bbox_wkt(dataset.bbox), "@type": "gsp:wktLiteral"},
        }
    if dataset.temporal_start or dataset.temporal_end:
        period: dict[str, Any] = {"@type": "dct:PeriodOfTime"}
        if dataset.temporal_start:
            period["dcat:startDate"] = {"@value": dataset.temporal_start.isoformat(), "@type": "xsd:date"}
        if dataset.temporal_end:
            period["dcat:endDate"] = {"@value": dataset.temporal_end.isoformat(), "@type": "xsd:date"}
        entry["dct:temporal"] = period
    if dataset.language:
        entry["dct:language"] = dataset.language
    if dataset.contact:
        entry["dcat:contactPoint"] = {"@type": "vcard:Kind", "vcard:fn": dataset.contact}
    if dataset.provenance:
        entry["dct:provenance"] = {"@type": "dct:ProvenanceStatement", "rdfs:label": dataset.provenance}
    if dataset.attribution:
        entry["dct:rightsHolder"] = {"@type": "foaf:Agent", "foaf:name": dataset.attribution}
    license_ref = entry.get("dct:license")
    distributions = []
    for item in _downloads(dataset, absolute):
        distribution = {
            "@id": item["url"],
            "@type": "dcat:Distribution",
            "dct:title": item["label"],
            "dct:format": item["code"],
            "dcat:mediaType": {"@id": IANA_MEDIA_TYPES + item["media_type"]},
            "dcat:accessURL": {"@id": page},
            "dcat:downloadURL": {"@id": item["url"]},
        }
        if license_ref:
            distribution["dct:license"] = license_ref
        distributions.append(distribution)
    ogc = _ogc_collection_url(dataset, absolute)
    if ogc:
        distributions.append(
            {
                "@id": ogc,
                "@type": "dcat:Distribution",
                "dct:title": _("OGC API - Features collection"),
                "dcat:mediaType": {"@id": IANA_MEDIA_TYPES + "application/geo+json"},
                "dcat:accessURL": {"@id": ogc},
                "dct:conformsTo": {"@id": OGC_FEATURES},
            }
        )
    entry["dcat:distribution"] = distributions
    return entry


def dcat_catalog(
    datasets: list[Dataset], absolute: Absolute, *, page: int, page_size: int, total: int
) -> dict[str, Any]:
    """A dcat:Catalog of one page of public datasets, with Hydra paging links."""
    base = absolute(reverse("catalog"))
    pages = max(1, -(-total // page_size))

    def page_url(number: int) -> str:
        size = f"&limit={page_size}" if page_size != CATALOG_PAGE_SIZE else ""
        return f"{base}?page={number}{size}"

    view: dict[str, Any] = {
        "@id": page_url(page),
        "@type": "hydra:PartialCollectionView",
        "hydra:first": page_url(1),
        "hydra:last": page_url(pages),
    }
    if page < pages:
        view["hydra:next"] = page_url(page + 1)
    if page > 1:
        view["hydra:previous"] = page_url(min(page - 1, pages))
    return {
        "@context": DCAT_CONTEXT,
        "@id": base,
        "@type": ["dcat:Catalog", "hydra:Collection"],
        "dct:title": _("Landmosaic data commons"),
        "dct:description": _("Public datasets shared by landscape partnerships on Landmosaic."),
        "foaf:homepage": {"@id": absolute("/")},
        "hydra:totalItems": total,
        "hydra:view": view,
        "dcat:dataset": [dcat_dataset(d, absolute) for d in datasets],
    }


# --- schema.org ----------------------------------------------------------------------------------


def schema_org_dataset(dataset: Dataset, absolute: Absolute) -> dict[str, Any]:
    """A schema.org Dataset, as search engines' dataset search reads it."""
    page = absolute(dataset.get_absolute_url())
    _landscape_id, landscape_data = _landscape_urls(dataset, absolute)
    publisher = {"@type": "Organization", "name": dataset.landscape.name, "url": landscape_data}
    description = dataset.description or _("%(title)s: data shared by %(landscape)s on Landmosaic.") % {
        "title": dataset.title,
        "landscape": dataset.landscape.name,
    }
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": page,
        "name": dataset.title,
        "description": description,
        "url": page,
        "identifier": page,
        "keywords": [*dataset.keywords, *(str(ILM_OUTPUTS[c]) for c in dataset.themes if c in ILM_OUTPUTS)],
        "creator": publisher,
        "publisher": publisher,
        "isAccessibleForFree": True,
        "dateCreated": dataset.created_at.isoformat(),
        "dateModified": dataset.updated_at.isoformat(),
        "includedInDataCatalog": {
            "@type": "DataCatalog",
            "name": _("Landmosaic data commons"),
            "url": absolute(reverse("catalog")),
        },
    }
    if dataset.license_url:
        data["license"] = dataset.license_url
    if dataset.attribution:
        data["creditText"] = dataset.attribution
    if dataset.language:
        data["inLanguage"] = dataset.language
    if dataset.temporal_start or dataset.temporal_end:
        start = dataset.temporal_start.isoformat() if dataset.temporal_start else ".."
        end = dataset.temporal_end.isoformat() if dataset.temporal_end else ".."
        data["temporalCoverage"] = f"{start}/{end}"
    if dataset.bbox:
        west, south, east, north = dataset.bbox
        data["spatialCoverage"] = {
            "@type": "Place",
            "geo": {"@type": "GeoShape", "box": f"{south:.7g} {west:.7g} {north:.7g} {east:.7g}"},
        }
    version = dataset.current_version
    if version is not None:
        data["version"] = str(version.number)
        if version.fields:
            data["variableMeasured"] = [f["name"] for f in version.fields]
    distribution = [
        {
            "@type": "DataDownload",
            "name": item["label"],
            "encodingFormat": item["media_type"],
            "contentUrl": item["url"],
        }
        for item in _downloads(dataset, absolute)
    ]
    ogc = _ogc_collection_url(dataset, absolute)
    if ogc:
        distribution.append(
            {
                "@type": "DataDownload",
                "name": _("OGC API - Features collection"),
                "encodingFormat": "application/geo+json",
                "contentUrl": f"{ogc}/items",
            }
        )
    if distribution:
        data["distribution"] = distribution
    return data


def jsonld_text(data: dict[str, Any]) -> str:
    """JSON that can sit inside an HTML <script>: ``<``, ``>`` and ``&`` are written as \\u escapes."""
    return json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)


def jsonld_script(data: dict[str, Any]) -> SafeString:
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(jsonld_text(data)))  # noqa: S308 - escaped above
