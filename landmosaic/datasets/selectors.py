"""Reads of the data commons, all permission-checked through core.permissions."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from landmosaic.accounts.models import Organisation
from landmosaic.accounts.selectors import organisation_list
from landmosaic.core import permissions
from landmosaic.core.errors import NotFound
from landmosaic.landscapes.models import Landscape
from landmosaic.landscapes.selectors import landscape_visible

from . import storage
from .exports import points, preview, tables, vector
from .ingest.columns import Columns
from .ingest.quicklook import QUICKLOOK_NAME
from .models import Dataset, DatasetGrant, DatasetLink, DatasetShare, DatasetVersion

ORDERINGS = {"recent": ["-updated_at", "-id"], "title": ["title", "id"], "oldest": ["created_at", "id"]}


def dataset_visible(*, actor: Any) -> QuerySet[Dataset]:
    """Every dataset the caller may see, on any landscape."""
    return (
        Dataset.objects.filter(permissions.visible_q(actor, shared_lookup="shares", granted_lookup="grants"))
        .distinct()
        .select_related("landscape", "current_version")
        .prefetch_related("shares", "grants")
    )


def landscape_data_get(*, actor: Any, slug: str) -> Landscape:
    """The landscape whose data page is asked for: one the caller may see, or one that shares
    datasets with the caller (a shared dataset may belong to a private landscape)."""
    landscape = Landscape.objects.filter(slug=slug).first()
    if landscape is None:
        raise NotFound(_("Landscape not found."))
    shares_data = dataset_visible(actor=actor).filter(landscape=landscape).exists
    if not permissions.can(actor, "view", landscape) and not shares_data():
        raise NotFound(_("Landscape not found."))
    return landscape


def dataset_list(
    *,
    actor: Any,
    landscape: Landscape,
    search: str = "",
    kind: str = "",
    theme: str = "",
    order: str = "recent",
) -> QuerySet[Dataset]:
    """A landscape's datasets the caller may see, searched by title, description or keyword."""
    qs = dataset_visible(actor=actor).filter(landscape=landscape)
    if search:
        qs = qs.filter(
            Q(title__icontains=search)
            | Q(description__icontains=search)
            | Q(keywords__icontains=search)
            # SQLite keeps JSON with non-ASCII letters escaped ("\u00e1gua"): match that spelling too.
            | Q(keywords__icontains=json.dumps(search)[1:-1])
        )
    if kind:
        qs = qs.filter(kind=kind)
    if theme:
        # Themes are a JSON list of codes; matching the quoted code works on SQLite and PostgreSQL.
        qs = qs.filter(themes__icontains=f'"{theme}"')
    return qs.order_by(*ORDERINGS.get(order, ORDERINGS["recent"]))


def dataset_get(
    *,
    actor: Any,
    pk: int | None = None,
    landscape_slug: str | None = None,
    slug: str | None = None,
    action: str = "view",
) -> Dataset:
    """One dataset by id or by landscape and dataset slugs; 404 if the caller may not see it."""
    lookup = {"pk": pk} if pk is not None else {"landscape__slug": landscape_slug, "slug": slug}
    dataset = (
        Dataset.objects.filter(**lookup)
        .select_related("landscape", "current_version", "created_by")
        .prefetch_related("shares", "grants")
        .first()
    )
    if dataset is None:
        raise NotFound(_("Dataset not found."))
    permissions.check(actor, action, dataset)
    return dataset


def dataset_find(*, actor: Any, pk: int | None) -> Dataset | None:
    """A dataset by id if it exists and the caller may see it, else None (for links from other apps)."""
    if pk is None:
        return None
    return dataset_visible(actor=actor).filter(pk=pk).first()


def dataset_of_landscape(*, landscape_id: int, pk: int | None) -> Dataset | None:
    """A dataset by id within a landscape, for the platform's own jobs (no permission check):
    the dataset a form publishes its records to, or None once it has been deleted."""
    if pk is None:
        return None
    return Dataset.objects.select_related("current_version").filter(pk=pk, landscape_id=landscape_id).first()


def can_download(*, actor: Any, dataset: Dataset) -> bool:
    return permissions.can(actor, "download", dataset.download_subject())


def dataset_actions(*, actor: Any, dataset: Dataset) -> list[str]:
    """What the caller may do with the dataset, download access included."""
    actions = permissions.allowed_actions(actor, dataset)
    if "download" in actions and not can_download(actor=actor, dataset=dataset):
        actions.remove("download")
    return actions


def version_list(*, actor: Any, dataset: Dataset) -> QuerySet[DatasetVersion]:
    permissions.check(actor, "view", dataset)
    return dataset.versions.select_related("created_by").order_by("-number")


def version_get(*, actor: Any, dataset: Dataset, number: int | None = None) -> DatasetVersion:
    """A version by number, or the current one."""
    permissions.check(actor, "view", dataset)
    version = dataset.current_version if number is None else dataset.versions.filter(number=number).first()
    if version is None:
        raise NotFound(_("Version not found."))
    return version


def version_preview(*, actor: Any, dataset: Dataset, version: DatasetVersion) -> dict[str, Any]:
    """The first rows of a table or layer, with the column types (none for rasters and documents)."""
    permissions.check(actor, "view", dataset)
    if not version.normalised_path or version.normalised_format not in ("gpkg", "csv"):
        return {"fields": [], "rows": [], "row_count": version.row_count}
    with storage.version_file(version.normalised_path) as path:
        rows = preview.preview_rows(path, normalised_format=version.normalised_format, fields=version.fields)
    return {"fields": version.fields, "rows": rows, "row_count": version.row_count}


def version_features(
    *,
    actor: Any,
    dataset: Dataset,
    version: DatasetVersion,
    bbox: tuple[float, float, float, float] | None = None,
    limit: int | None = None,
) -> dict[str, Any]:
    """Features in longitude/latitude for the map, limited in number and simplified when heavy."""
    permissions.check(actor, "view", dataset)
    cap = settings.DATASET_MAP_MAX_FEATURES
    limit = cap if limit is None else max(1, min(limit, cap))
    if version.normalised_format != "gpkg":
        return {"type": "FeatureCollection", "features": [], "numberReturned": 0, "truncated": False}
    with storage.version_file(version.normalised_path) as path:
        collection = preview.features(path, limit=limit, bbox=bbox, crs=version.crs)
    collection["numberMatched"] = version.row_count if bbox is None else None
    return collection


def version_points(
    *,
    actor: Any,
    dataset: Dataset,
    version: DatasetVersion,
    columns: list[str],
    latitude: str = "",
    longitude: str = "",
) -> points.Points:
    """Positions and the named columns of a table or point layer, for a point map. As many rows as
    the map preview draws; more (POINT_MAP_MAX_POINTS) for those who may download the data."""
    permissions.check(actor, "view", dataset)
    if version.normalised_format not in ("gpkg", "csv"):
        raise NotFound(_("This version has no rows to put on a map."))
    allowed = can_download(actor=actor, dataset=dataset)
    limit = settings.POINT_MAP_MAX_POINTS if allowed else settings.DATASET_MAP_MAX_FEATURES
    with storage.version_file(version.normalised_path) as path:
        return points.read_points(
            path,
            normalised_format=version.normalised_format,
            fields=version.fields,
            columns=columns,
            latitude=latitude,
            longitude=longitude,
            limit=limit,
        )


def version_quicklook(*, actor: Any, dataset: Dataset, version: DatasetVersion) -> str:
    """The storage name of a raster version's quicklook PNG (404 when it has none)."""
    permissions.check(actor, "view", dataset)
    if not (version.details or {}).get("quicklook"):
        raise NotFound(_("This version has no preview image."))
    return f"{version.storage_prefix}/{QUICKLOOK_NAME}"


def dataset_share_targets(*, actor: Any, dataset: Dataset) -> dict[str, list[Any]]:
    """The landscapes and organisations a dataset is shared with (its managers' view)."""
    permissions.check(actor, "share", dataset)
    return share_targets_named([(s.target_type, s.target_id) for s in dataset.shares.all()])


Choices = list[tuple[str, str]]


def share_target_choices(*, actor: Any, landscape_id: int) -> tuple[Choices, Choices]:
    """(slug, name) of the landscapes the caller knows but the owning one, and of every organisation:
    what a sharing form offers."""
    known = landscape_visible(actor=actor).exclude(pk=landscape_id).order_by("name")
    return [(x.slug, x.name) for x in known], [(o.slug, o.name) for o in organisation_list()]


def share_targets_named(targets: list[tuple[str, int]]) -> dict[str, list[Any]]:
    """("landscape"|"organisation", id) share targets as the landscapes and organisations they name."""
    ids: dict[str, list[int]] = {t: [] for t in DatasetShare.TargetType.values}
    for target_type, target_id in targets:
        ids[target_type].append(target_id)
    return {
        "landscapes": list(Landscape.objects.filter(pk__in=ids["landscape"]).order_by("name")),
        "organisations": list(Organisation.objects.filter(pk__in=ids["organisation"]).order_by("name")),
    }


def dataset_grant_list(*, actor: Any, dataset: Dataset) -> QuerySet[DatasetGrant]:
    """The people granted a restricted dataset by name (its managers' view)."""
    permissions.check(actor, "share", dataset)
    return dataset.grants.select_related("user", "created_by").order_by("user__email")


def dataset_grant_get(*, actor: Any, dataset: Dataset, pk: int) -> DatasetGrant:
    permissions.check(actor, "share", dataset)
    grant = dataset.grants.select_related("user").filter(pk=pk).first()
    if grant is None:
        raise NotFound(_("Grant not found."))
    return grant


def dataset_by_link(*, token: str) -> tuple[Dataset, DatasetLink]:
    """The dataset a share link opens, carrying the link's grant for ``core.permissions``; 404 when
    the token is unknown, revoked or expired. The grant lives on this instance only: it reaches no
    other dataset, nor the landscape."""
    link = (
        DatasetLink.objects.filter(token_sha256=DatasetLink.hash_token(token))
        .select_related("dataset__landscape", "dataset__current_version", "dataset__created_by")
        .first()
    )
    if link is None or not link.is_active(timezone.localdate()):
        raise NotFound(_("Dataset not found."))
    dataset = link.dataset
    dataset._link_grant = link
    permissions.check(None, "view", dataset)
    return dataset, link


def dataset_link_list(*, actor: Any, dataset: Dataset) -> list[dict[str, Any]]:
    """A dataset's share links with their state (its managers' view)."""
    permissions.check(actor, "share", dataset)
    today = timezone.localdate()
    return [
        {"link": link, "active": link.is_active(today), "expired": link.expires_on is not None
         and link.expires_on < today}
        for link in dataset.links.select_related("created_by")
    ]  # fmt: skip


def dataset_link_get(*, actor: Any, dataset: Dataset, pk: int) -> DatasetLink:
    permissions.check(actor, "share", dataset)
    link = dataset.links.filter(pk=pk).first()
    if link is None:
        raise NotFound(_("Link not found."))
    return link


# --- Columns for figures computed by other apps (planning: indicator measurements) -------------


def version_columns(*, actor: Any, dataset: Dataset, version: DatasetVersion, names: list[str]) -> Columns:
    """The named columns of every row of a table or vector version the actor may view, typed as the
    previews are (numbers as float arrays with NaN for empty cells, dates as datetime64)."""
    permissions.check(actor, "view", dataset)
    known = {f["name"] for f in version.fields}
    if version.normalised_format not in ("gpkg", "csv") or not set(names) <= known:
        raise NotFound(_("This version has no such columns."))
    with storage.local_copy(version.normalised_path) as path:
        if version.normalised_format == "csv":
            return tables.read_columns(path, version.fields, only=list(names))
        columns, _geometries, _crs = vector.read_layer(path)
    index = [columns.names.index(name) for name in names]
    arrays, types = [columns.arrays[i] for i in index], [columns.types[i] for i in index]
    return Columns(list(names), arrays, types, columns.length)
