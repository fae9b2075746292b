"""Reads behind the OGC API, each one permission-checked through core.permissions ("view")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from landmosaic.core import permissions
from landmosaic.core.errors import Forbidden, NotFound

from .. import selectors, storage
from ..models import Dataset, DatasetVersion
from . import gpkg
from .params import ItemQuery, ParameterError

_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


def collection_id(dataset: Dataset) -> str:
    """``<landscape-slug>.<dataset-slug>``: stable across versions, URL-safe, readable in a GIS."""
    return f"{dataset.landscape.slug}.{dataset.slug}"


def collection_list(*, actor: Any) -> QuerySet[Dataset]:
    """Every vector dataset the caller may see that has a readable GeoPackage, in id order."""
    return (
        selectors.dataset_visible(actor=actor)
        .filter(kind=Dataset.Kind.VECTOR, current_version__normalised_format="gpkg")
        .order_by("landscape__slug", "slug")
    )


def collection_get(*, actor: Any, collection: str) -> Dataset:
    """One collection by id; 404 for anything the caller may not see (never 403: no existence leak)."""
    landscape_slug, _dot, dataset_slug = collection.partition(".")
    if not (_SLUG.match(landscape_slug) and _SLUG.match(dataset_slug)):
        raise NotFound(_("Collection not found."))
    try:
        dataset = selectors.dataset_get(actor=actor, landscape_slug=landscape_slug, slug=dataset_slug)
    except NotFound as exc:
        raise NotFound(_("Collection not found.")) from exc
    version = dataset.current_version
    if dataset.kind != Dataset.Kind.VECTOR or version is None or version.normalised_format != "gpkg":
        raise NotFound(_("Collection not found."))
    return dataset


def temporal_field(version: DatasetVersion) -> dict[str, str] | None:
    """The first date or date-time field found at ingest (with its range), if any."""
    types = {f["name"]: f["type"] for f in version.fields}
    for entry in version.temporal or []:
        kind = types.get(entry.get("field"))
        if kind in ("date", "datetime"):
            return {
                "name": entry["field"],
                "type": kind,
                "start": entry.get("start"),
                "end": entry.get("end"),
            }
    return None


@dataclass(frozen=True)
class FeaturePage:
    features: list[gpkg.Feature]
    number_matched: int | None


def _check_bulk_read(actor: Any, dataset: Dataset) -> None:
    """Reading features page by page is a download: a dataset whose downloads are for members stays so."""
    permissions.check(actor, "view", dataset)
    if not permissions.can(actor, "download", dataset.download_subject()):
        raise Forbidden(_("Only members of the landscape may read this dataset's features."))


def feature_page(*, actor: Any, dataset: Dataset, query: ItemQuery) -> FeaturePage:
    """One page of the current version's features in CRS84, chosen through the spatial index."""
    _check_bulk_read(actor, dataset)
    version = dataset.current_version
    boxes = None
    if query.bbox is not None:
        boxes = gpkg.boxes_for(query.bbox, extent=version.bbox_4326, crs=version.crs)
        if boxes == []:
            return FeaturePage([], 0)
    with storage.version_file(version.normalised_path) as path, gpkg.connect(path) as conn:
        layer = gpkg.describe(conn)
        try:
            conditions = [gpkg.property_condition(layer, f.name, f.kind, f.value) for f in query.filters]
        except KeyError as exc:  # a field recorded at ingest that the file lacks: refuse, never guess
            raise ParameterError(
                _("The field “%(field)s” cannot be used as a filter.") % {"field": exc.args[0]}
            ) from exc
        if query.interval is not None:
            field = temporal_field(version)
            conditions.append(
                gpkg.interval_condition(
                    layer, field["name"], field["type"], query.interval.start, query.interval.end
                )
            )
        unfiltered = boxes is None and not conditions
        rows, matched = gpkg.select(
            conn,
            layer,
            boxes=boxes,
            conditions=conditions,
            limit=query.limit,
            offset=query.offset,
            count=not unfiltered,
        )
        if unfiltered:
            matched = version.row_count
        features = _features(path, layer, rows, version)
    return FeaturePage(features, matched)


def feature_get(*, actor: Any, dataset: Dataset, feature_id: str) -> gpkg.Feature:
    """One feature of the current version by its fid; 404 if there is none."""
    _check_bulk_read(actor, dataset)
    version = dataset.current_version
    if not feature_id.isdigit() or len(feature_id) > 18:
        raise NotFound(_("Feature not found."))
    with storage.version_file(version.normalised_path) as path, gpkg.connect(path) as conn:
        layer = gpkg.describe(conn)
        row = gpkg.row(conn, layer, int(feature_id))
        if row is None:
            raise NotFound(_("Feature not found."))
        [feature] = _features(path, layer, [row], version)
    return feature


def _features(path: Any, layer: gpkg.Layer, rows: list[tuple], version: DatasetVersion) -> list[gpkg.Feature]:
    kinds = {f["name"]: f["type"] for f in version.fields}
    try:
        return gpkg.features(rows, layer, kinds=kinds, crs=version.crs)
    except gpkg.NeedsGdal:
        return gpkg.read(path, layer, [r[0] for r in rows], crs=version.crs)
