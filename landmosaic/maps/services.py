"""Writes of point maps: create, change (sharing included) and delete, by the landscape's editors."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from landmosaic.core import permissions
from landmosaic.core.audit import audit_record
from landmosaic.core.errors import ValidationFailed
from landmosaic.core.models import AuditEvent
from landmosaic.core.permissions import Visibility
from landmosaic.datasets import services as dataset_services
from landmosaic.datasets.models import Dataset

from . import selectors
from .models import PointMap, PointMapShare

MIN_SIZE, MAX_SIZE = 2, 20
MAX_POPUP_FIELDS = 20
CONFIG_FIELDS = (
    "title",
    "description",
    "latitude_field",
    "longitude_field",
    "colour_field",
    "colour_mode",
    "point_size",
    "popup_fields",
    "visibility",
)


def _slug(landscape_id: int, title: str) -> str:
    """The title as a slug not yet used by another map of the landscape."""
    base = slugify(title)[:70].strip("-") or "map"
    taken = set(PointMap.objects.filter(landscape_id=landscape_id).values_list("slug", flat=True))
    number = 1
    slug = base
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _clean(source: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """Check a map's configuration against the columns of its dataset; refuse with every reason."""
    types = {f["name"]: f["type"] for f in source["fields"]}
    errors: dict[str, list[str]] = {}
    out = dict(values)
    out["title"] = (values.get("title") or "").strip()[:200]
    out["description"] = (values.get("description") or "").strip()[:5000]
    if not out["title"]:
        errors["title"] = [_("Give the map a title.")]
    lat, lon = values.get("latitude_field") or "", values.get("longitude_field") or ""
    for name, value in (("latitude_field", lat), ("longitude_field", lon)):
        if value and value not in types:
            errors[name] = [_("%(name)s is not a column of this dataset.") % {"name": value}]
    if bool(lat) != bool(lon) or (not lat and not source["has_points"]):
        errors.setdefault("latitude_field", []).append(
            _("Choose both the latitude and the longitude columns.")
        )
    elif lat and lat == lon:
        errors["longitude_field"] = [_("Latitude and longitude must be two different columns.")]
    colour, mode = values.get("colour_field") or "", values.get("colour_mode") or ""
    if colour and colour not in types:
        errors["colour_field"] = [_("%(name)s is not a column of this dataset.") % {"name": colour}]
    elif not colour:
        mode = PointMap.ColourMode.SINGLE
    elif mode in ("", PointMap.ColourMode.SINGLE):
        # Colouring by a field without saying how: numbers are graduated, anything else by value.
        numeric = types[colour] in selectors.NUMERIC
        mode = PointMap.ColourMode.GRADUATED if numeric else PointMap.ColourMode.CATEGORIES
    elif mode == PointMap.ColourMode.GRADUATED and types[colour] not in selectors.NUMERIC:
        errors["colour_mode"] = [_("Graduated colours need a column of numbers.")]
    elif mode not in PointMap.ColourMode.values:
        errors["colour_mode"] = [_("Choose how to colour the points.")]
    out["colour_mode"] = mode
    size = values.get("point_size")
    if not isinstance(size, int) or not MIN_SIZE <= size <= MAX_SIZE:
        errors["point_size"] = [
            _("The point size is a whole number from %(low)s to %(high)s.")
            % {"low": MIN_SIZE, "high": MAX_SIZE}
        ]
    popup = list(dict.fromkeys(values.get("popup_fields") or []))
    unknown = [name for name in popup if name not in types]
    if unknown:
        errors["popup_fields"] = [
            _("Not columns of this dataset: %(names)s.") % {"names": ", ".join(unknown)}
        ]
    elif len(popup) > MAX_POPUP_FIELDS:
        errors["popup_fields"] = [
            _("Choose at most %(count)s columns to show.") % {"count": MAX_POPUP_FIELDS}
        ]
    out["popup_fields"] = popup
    if values.get("visibility") not in Visibility.values:
        errors["visibility"] = [_("Choose private, shared or public.")]
    if errors:
        raise ValidationFailed(_("Check the map's settings."), details=errors)
    return out


def _set_shares(
    *, actor: Any, point_map: PointMap, landscapes: list[str] | None, organisations: list[str] | None
):
    if landscapes is None and organisations is None:
        targets = {(s.target_type, s.target_id) for s in point_map.shares.all()}
    else:
        targets = dataset_services.share_targets(
            actor=actor,
            own_landscape_id=point_map.landscape_id,
            landscapes=landscapes or [],
            organisations=organisations or [],
        )
    if point_map.visibility == Visibility.SHARED and not targets:
        raise ValidationFailed(
            _("Name at least one landscape or organisation to share the map with."),
            details={"landscapes": [_("Name at least one landscape or organisation.")]},
        )
    point_map.shares.all().delete()
    PointMapShare.objects.bulk_create(
        [PointMapShare(point_map=point_map, target_type=t, target_id=i) for t, i in sorted(targets)]
    )
    return sorted([list(t) for t in targets])


def _audit(actor: Any, point_map: PointMap, action: str, summary: str, **data: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type="point_map",
        object_id=point_map.pk,
        landscape_id=point_map.landscape_id,
        summary=summary,
        data=data,
    )


@transaction.atomic
def point_map_create(
    *,
    actor: Any,
    dataset: Dataset,
    title: str,
    description: str = "",
    latitude_field: str = "",
    longitude_field: str = "",
    colour_field: str = "",
    colour_mode: str = "",
    point_size: int = 6,
    popup_fields: list[str] | None = None,
    visibility: str = Visibility.PRIVATE,
    landscapes: list[str] | None = None,
    organisations: list[str] | None = None,
) -> PointMap:
    """Save a point map of a table or point layer (editors of the dataset's landscape)."""
    source = selectors.point_source_for_new_map(actor=actor, dataset=dataset)
    values = _clean(source, {
        "title": title, "description": description, "latitude_field": latitude_field,
        "longitude_field": longitude_field, "colour_field": colour_field, "colour_mode": colour_mode,
        "point_size": point_size, "popup_fields": popup_fields or [], "visibility": visibility,
    })  # fmt: skip
    point_map = PointMap.objects.create(
        landscape_id=dataset.landscape_id,
        dataset=dataset,
        slug=_slug(dataset.landscape_id, values["title"]),
        created_by=actor,
        **values,
    )
    shared = _set_shares(actor=actor, point_map=point_map, landscapes=landscapes, organisations=organisations)
    _audit(actor, point_map, AuditEvent.Action.CREATE, f"Point map “{point_map.title}” of “{dataset.title}”",
           visibility=point_map.visibility, shared_with=shared)  # fmt: skip
    return point_map


@transaction.atomic
def point_map_update(
    *,
    actor: Any,
    point_map: PointMap,
    landscapes: list[str] | None = None,
    organisations: list[str] | None = None,
    **changes: Any,
) -> PointMap:
    """Change a map's settings or who sees it (editors); fields not given stay as they are."""
    permissions.check(actor, "change", point_map)
    unknown = sorted(set(changes) - set(CONFIG_FIELDS))
    if unknown:
        raise ValidationFailed(_("Unknown settings: %(names)s.") % {"names": ", ".join(unknown)})
    source = selectors.point_source(actor=actor, dataset=point_map.dataset)
    current = {name: getattr(point_map, name) for name in CONFIG_FIELDS}
    values = _clean(source, {**current, **changes})
    before = point_map.visibility
    for name, value in values.items():
        setattr(point_map, name, value)
    point_map.save()
    shared = _set_shares(actor=actor, point_map=point_map, landscapes=landscapes, organisations=organisations)
    action = AuditEvent.Action.SHARE if before != point_map.visibility else AuditEvent.Action.UPDATE
    _audit(actor, point_map, action, f"Point map “{point_map.title}” changed",
           fields=sorted(changes), visibility=[before, point_map.visibility], shared_with=shared)  # fmt: skip
    return point_map


@transaction.atomic
def point_map_delete(*, actor: Any, point_map: PointMap) -> None:
    """Delete a map (editors); its dataset stays as it is."""
    permissions.check(actor, "delete", point_map)
    _audit(actor, point_map, AuditEvent.Action.DELETE, f"Point map “{point_map.title}” deleted")
    point_map.delete()
