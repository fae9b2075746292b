"""Dataset metadata, stored once, exported in standard shapes (Frictionless now; DCAT and
schema.org JSON-LD will read the same fields)."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from landmosaic.core.errors import ValidationFailed
from landmosaic.landscapes.licences import license_refusal

from .exports.datapackage import package_name
from .models import Dataset, DatasetVersion
from .vocabularies import ILM_OUTPUTS

METADATA_FIELDS = (
    "title",
    "description",
    "keywords",
    "themes",
    "license",
    "attribution",
    "provenance",
    "language",
    "contact",
    "update_frequency",
)
MAX_KEYWORDS = 30
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def clean_metadata(changes: dict[str, Any]) -> dict[str, Any]:
    """Validated metadata changes; unknown fields and bad values refuse the whole change."""
    unknown = set(changes) - set(METADATA_FIELDS)
    if unknown:
        raise ValidationFailed(
            _("Unknown dataset fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    cleaned = dict(changes)
    errors: dict[str, list[str]] = {}
    if "title" in cleaned:
        cleaned["title"] = (cleaned["title"] or "").strip()
        if not cleaned["title"]:
            errors["title"] = [_("Give the dataset a title.")]
    if "keywords" in cleaned:
        cleaned["keywords"] = _keywords(cleaned["keywords"] or [])
        if len(cleaned["keywords"]) > MAX_KEYWORDS:
            errors["keywords"] = [_("Use at most %(count)s keywords.") % {"count": MAX_KEYWORDS}]
    if "themes" in cleaned:
        themes = list(dict.fromkeys(cleaned["themes"] or []))
        unknown_themes = [t for t in themes if t not in ILM_OUTPUTS]
        if unknown_themes:
            errors["themes"] = [_("Unknown ILM outputs: %(codes)s") % {"codes": ", ".join(unknown_themes)}]
        else:
            cleaned["themes"] = sorted(themes, key=lambda code: tuple(int(p) for p in code.split(".")))
    if "license" in cleaned and (refused := license_refusal(cleaned["license"] or "")):
        errors["license"] = [refused]
    if cleaned.get("language") and not _LANGUAGE.match(cleaned["language"]):
        errors["language"] = [_("Use a language code such as “en”, “es” or “pt-BR”.")]
    if "update_frequency" in cleaned and cleaned["update_frequency"] not in Dataset.UpdateFrequency.values:
        errors["update_frequency"] = [_("Choose an update frequency from the list.")]
    for name in ("description", "attribution", "provenance", "contact", "language"):
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
    if errors:
        raise ValidationFailed(_("Check the dataset's details."), details=errors)
    return cleaned


def _keywords(values: Any) -> list[str]:
    if isinstance(values, str):
        values = values.split(",")
    seen: dict[str, str] = {}
    for value in values:
        word = str(value).strip()[:60]
        if word and word.lower() not in seen:
            seen[word.lower()] = word
    return list(seen.values())


def datapackage_descriptor(
    dataset: Dataset, version: DatasetVersion, resources: list[dict[str, Any]]
) -> dict[str, Any]:
    """A Frictionless Data Package descriptor for one version of a dataset."""
    descriptor: dict[str, Any] = {
        "profile": "tabular-data-package" if all("schema" in r for r in resources) else "data-package",
        "name": package_name(f"{dataset.landscape.slug}-{dataset.slug}"),
        "title": dataset.title,
        "version": str(version.number),
        "created": version.created_at.isoformat(),
        "homepage": settings.SITE_URL.rstrip("/") + dataset.get_absolute_url(),
        "licenses": [{"name": dataset.license, "title": dataset.license_name, "path": dataset.license_url}],
        "resources": resources,
    }
    if dataset.description:
        descriptor["description"] = dataset.description
    if dataset.keywords:
        descriptor["keywords"] = list(dataset.keywords)
    if dataset.attribution:
        descriptor["sources"] = [{"title": dataset.attribution}]
    if dataset.contact:
        descriptor["contributors"] = [{"title": dataset.contact, "role": "contact"}]
    # Landmosaic's own properties (the spec allows extensions): what a re-user needs to trust it.
    descriptor["landmosaic"] = {
        "landscape": dataset.landscape.slug,
        "themes": [{"code": c, "label": str(ILM_OUTPUTS[c])} for c in dataset.themes if c in ILM_OUTPUTS],
        "provenance": dataset.provenance,
        "language": dataset.language,
        "update_frequency": dataset.update_frequency,
        "crs": version.crs,
        "bbox_4326": version.bbox_4326,
        "temporal": version.temporal,
        "original": {"filename": version.original_filename, "sha256": version.original_sha256},
    }
    return descriptor
