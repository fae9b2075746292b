"""Reads of point maps, all permission-checked: a map is seen only by whoever may see its dataset."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from landmosaic.core import permissions
from landmosaic.core.errors import Forbidden, NotFound, ValidationFailed
from landmosaic.datasets import selectors as dataset_selectors
from landmosaic.datasets.ingest.coordinates import find_coordinate_columns
from landmosaic.datasets.models import Dataset
from landmosaic.landscapes.models import Landscape

from . import styling
from .models import PointMap

NUMERIC = ("integer", "number")
MAX_TEXT = 200


def point_map_visible(*, actor: Any) -> QuerySet[PointMap]:
    """Every point map the caller may see: its own visibility and its dataset's."""
    return (
        PointMap.objects.filter(permissions.visible_q(actor, has_restricted=False, shared_lookup="shares"))
        .filter(dataset__in=dataset_selectors.dataset_visible(actor=actor).values("pk"))
        .distinct()
        .select_related("landscape", "dataset__landscape", "dataset__current_version")
        .prefetch_related("shares", "dataset__shares", "dataset__grants")
    )


def point_map_list(
    *, actor: Any, dataset: Dataset | None = None, landscape: Landscape | None = None
) -> QuerySet[PointMap]:
    """The point maps of a dataset, or of a landscape, that the caller may see."""
    qs = point_map_visible(actor=actor)
    if dataset is not None:
        qs = qs.filter(dataset=dataset)
    if landscape is not None:
        qs = qs.filter(landscape=landscape)
    return qs.order_by("title", "id")


def point_map_get(
    *,
    actor: Any,
    pk: int | None = None,
    landscape_slug: str | None = None,
    slug: str | None = None,
    action: str = "view",
) -> PointMap:
    """One point map by id or by landscape and map slugs; 404 if the caller may not see it."""
    lookup = {"pk": pk} if pk is not None else {"landscape__slug": landscape_slug, "slug": slug}
    point_map = (
        PointMap.objects.filter(**lookup)
        .select_related("landscape", "dataset__landscape", "dataset__current_version", "created_by")
        .prefetch_related("shares", "dataset__shares", "dataset__grants")
        .first()
    )
    if point_map is None:
        raise NotFound(_("Map not found."))
    permissions.check(actor, action, point_map)
    return point_map


def point_map_actions(*, actor: Any, point_map: PointMap) -> list[str]:
    return permissions.allowed_actions(actor, point_map)


def point_map_share_targets(*, actor: Any, point_map: PointMap) -> dict[str, list[Any]]:
    """The landscapes and organisations a "shared" map is shared with (its editors' view)."""
    permissions.check(actor, "change", point_map)
    return dataset_selectors.share_targets_named(
        [(s.target_type, s.target_id) for s in point_map.shares.all()]
    )


def mappable(dataset: Dataset) -> bool:
    """Tables and point layers with a readable current version can be put on a point map."""
    version = dataset.current_version
    if version is None:
        return False
    if dataset.kind == Dataset.Kind.TABLE:
        return version.normalised_format == "csv"
    return dataset.kind == Dataset.Kind.VECTOR and version.geometry_family == "points"


def point_source(*, actor: Any, dataset: Dataset) -> dict[str, Any]:
    """What a map of this dataset can use: its fields, whether it has point geometries, and the
    latitude/longitude columns detected in it (to pre-fill the form)."""
    permissions.check(actor, "view", dataset)
    if not mappable(dataset):
        raise ValidationFailed(_("Only tables and point layers can be shown as a point map."))
    version = dataset.current_version
    fields = list(version.fields)
    found = find_coordinate_columns([f["name"] for f in fields])
    return {
        "fields": fields,
        "has_points": dataset.kind == Dataset.Kind.VECTOR,
        "latitude": found.latitude if found else "",
        "longitude": found.longitude if found else "",
    }


def point_source_for_new_map(*, actor: Any, dataset: Dataset) -> dict[str, Any]:
    """As ``point_source``, for someone about to make a map: an editor of the dataset's landscape."""
    source = point_source(actor=actor, dataset=dataset)
    if not permissions.can(actor, "add_content", dataset.landscape):
        raise Forbidden(_("Only editors of the dataset's landscape may make maps of it."))
    return source


def _short(value: Any) -> Any:
    return value[:MAX_TEXT] + "…" if isinstance(value, str) and len(value) > MAX_TEXT else value


def _styled(point_map: PointMap, values: dict[str, list[Any]], count: int) -> styling.Styled:
    if point_map.colour_mode == PointMap.ColourMode.CATEGORIES:
        return styling.categories(values[point_map.colour_field])
    if point_map.colour_mode == PointMap.ColourMode.GRADUATED:
        return styling.graduated(values[point_map.colour_field])
    return styling.single(count)


def _legend_label(entry: styling.Entry) -> str:
    fixed = {"all": _("All points"), "other": _("Other values"), "missing": _("No value")}
    return fixed.get(entry.kind, entry.label)


def point_map_data(*, actor: Any, point_map: PointMap) -> dict[str, Any]:
    """The map's points as GeoJSON in longitude/latitude, each with its popup fields and its class
    in the legend; ``skipped`` counts rows without a usable position, ``truncated`` says more exist."""
    permissions.check(actor, "view", point_map)
    dataset = point_map.dataset
    version = dataset.current_version
    if version is None or not mappable(dataset):
        raise NotFound(_("This map's dataset has no rows to show."))
    names = {f["name"] for f in version.fields}
    wanted = [point_map.latitude_field, point_map.longitude_field, point_map.colour_field]
    if any(name and name not in names for name in wanted):
        raise ValidationFailed(
            _("A column this map uses is no longer in the dataset's current version; edit the map.")
        )
    popup = [name for name in point_map.popup_fields if name in names]
    colour = [point_map.colour_field] if point_map.colour_field else []
    points = dataset_selectors.version_points(
        actor=actor,
        dataset=dataset,
        version=version,
        columns=list(dict.fromkeys([*popup, *colour])),
        latitude=point_map.latitude_field,
        longitude=point_map.longitude_field,
    )
    styled = _styled(point_map, points.values, len(points.lon))
    features = [
        {
            "type": "Feature",
            "id": index,
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {name: _short(points.values[name][index]) for name in popup},
            "class": styled.classes[index],
        }
        for index, (lon, lat) in enumerate(zip(points.lon, points.lat, strict=True))
    ]
    return {
        "type": "FeatureCollection",
        "name": point_map.title,
        "features": features,
        "legend": [{"label": _legend_label(e), "colour": e.colour, "count": e.count} for e in styled.legend],
        "style": {
            "radius": point_map.point_size,
            "colour_field": point_map.colour_field,
            "colour_mode": point_map.colour_mode,
        },
        "numberReturned": len(features),
        "skipped": points.skipped,
        "truncated": points.truncated,
    }
