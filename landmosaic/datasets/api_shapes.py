"""The JSON shapes of the data commons' API: datasets, versions with their downloads, sharing, links
and grants, as the endpoints in ``api.py`` return them."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from . import selectors
from .exports import formats_for
from .models import Dataset, DatasetGrant, DatasetLink, DatasetVersion
from .vocabularies import ILM_OUTPUTS

API = "/api/v1"


def download_url(dataset: Dataset, version: DatasetVersion, fmt: str) -> str:
    return f"{API}/datasets/{dataset.pk}/versions/{version.number}/download?format={fmt}"


def downloads_out(dataset: Dataset, version: DatasetVersion) -> list[dict[str, str]]:
    links = [
        {
            "format": "original",
            "label": version.original_filename,
            "url": download_url(dataset, version, "original"),
        }
    ]
    if version.normalised_path:
        links += [
            {"format": f.code, "label": f.label, "url": download_url(dataset, version, f.code)}
            for f in formats_for(dataset.kind)
        ]
    return links


def version_out(dataset: Dataset, version: DatasetVersion, *, with_downloads: bool) -> dict[str, Any]:
    return {
        "number": version.number,
        "note": version.note,
        "created_at": version.created_at,
        "created_by": version.created_by.display_name if version.created_by else None,
        "original": {
            "filename": version.original_filename,
            "sha256": version.original_sha256,
            "size": version.original_size,
            "format": version.original_format,
            "media_type": version.media_type,
        },
        "crs": version.crs,
        "geometry_type": version.geometry_type,
        "fields": version.fields,
        "row_count": version.row_count,
        "bbox_4326": version.bbox_4326,
        "temporal": version.temporal,
        "table_schema": version.table_schema,
        "details": version.details,
        "warnings": version.warning_texts(),
        "change_summary": version.change_summary,
        "downloads": downloads_out(dataset, version) if with_downloads else [],
    }


def list_item_out(dataset: Dataset) -> dict[str, Any]:
    version = dataset.current_version
    return {
        "id": dataset.pk,
        "slug": dataset.slug,
        "title": dataset.title,
        "kind": dataset.kind,
        "visibility": dataset.visibility,
        "keywords": dataset.keywords,
        "themes": dataset.themes,
        "geometry_type": version.geometry_type if version else "",
        "row_count": version.row_count if version else None,
        "version": version.number if version else None,
        "bbox": dataset.bbox,
        "updated_at": dataset.updated_at,
        "url": dataset.get_absolute_url(),
        "api_url": f"{API}/datasets/{dataset.pk}",
    }


def dataset_out(dataset: Dataset, actor: Any) -> dict[str, Any]:
    actions = selectors.dataset_actions(actor=actor, dataset=dataset)
    version = dataset.current_version
    return {
        "id": dataset.pk,
        "slug": dataset.slug,
        "landscape": {"slug": dataset.landscape.slug, "name": dataset.landscape.name},
        "title": dataset.title,
        "description": dataset.description,
        "keywords": dataset.keywords,
        "themes": [{"code": c, "label": str(ILM_OUTPUTS[c])} for c in dataset.themes if c in ILM_OUTPUTS],
        "license": {"id": dataset.license, "name": dataset.license_name, "url": dataset.license_url},
        "attribution": dataset.attribution,
        "provenance": dataset.provenance,
        "language": dataset.language,
        "contact": dataset.contact,
        "update_frequency": dataset.update_frequency,
        "kind": dataset.kind,
        "visibility": dataset.visibility,
        "restricted": dataset.restricted,
        "download_access": dataset.download_access,
        "temporal_coverage": {"start": dataset.temporal_start, "end": dataset.temporal_end},
        "bbox": dataset.bbox,
        "current_version": version_out(dataset, version, with_downloads="download" in actions)
        if version
        else None,
        "version_count": dataset.versions.count(),
        "created_at": dataset.created_at,
        "updated_at": dataset.updated_at,
        "allowed_actions": actions,
        "url": dataset.get_absolute_url(),
    }


def sharing_out(actor: Any, dataset: Dataset) -> dict[str, Any]:
    targets = selectors.dataset_share_targets(actor=actor, dataset=dataset)
    return {
        "visibility": dataset.visibility,
        "restricted": dataset.restricted,
        "download_access": dataset.download_access,
        "landscapes": [{"slug": x.slug, "name": x.name} for x in targets["landscapes"]],
        "organisations": [{"slug": x.slug, "name": x.name} for x in targets["organisations"]],
    }


def link_out(link: DatasetLink) -> dict[str, Any]:
    return {
        "id": link.pk,
        "allow_download": link.allow_download,
        "expires_on": link.expires_on,
        "created_at": link.created_at,
        "created_by": link.created_by.display_name if link.created_by else None,
        "last_used_at": link.last_used_at,
        "revoked_at": link.revoked_at,
        "active": link.is_active(timezone.localdate()),
    }


def grant_out(grant: DatasetGrant) -> dict[str, Any]:
    return {
        "id": grant.pk,
        "person": {"name": grant.user.display_name, "email": grant.user.email},
        "allow_download": grant.allow_download,
        "created_at": grant.created_at,
        "created_by": grant.created_by.display_name if grant.created_by else None,
    }
