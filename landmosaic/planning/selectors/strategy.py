"""Reads for the vision and strategy: vision, zones, goals with their objectives."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from landmosaic.core import permissions
from landmosaic.landscapes.models import Landscape

from ..models import Goal, Objective, Vision, Zone, ZoneKind, strategy_subject
from ..zonemap import DEFAULT_COLOUR, ZONE_COLOURS
from ._common import get_in, section_landscape_get


def strategy_landscape_get(*, actor: Any, slug: str, action: str = "view") -> Landscape:
    return section_landscape_get(actor=actor, slug=slug, subject=strategy_subject, action=action)


def vision_get(*, actor: Any, landscape: Landscape) -> Vision | None:
    permissions.check(actor, "view", strategy_subject(landscape))
    vision = Vision.objects.filter(landscape=landscape).select_related("agreed_by", "updated_by").first()
    if vision is not None:
        vision.landscape = landscape
    return vision


def zone_list(*, actor: Any, landscape: Landscape) -> list[Zone]:
    permissions.check(actor, "view", strategy_subject(landscape))
    zones = list(Zone.objects.filter(landscape=landscape).order_by("kind", "name", "pk"))
    for zone in zones:
        zone.landscape = landscape
    return zones


def zone_get(*, actor: Any, landscape: Landscape, zone_id: int, action: str = "view") -> Zone:
    return get_in(
        Zone.objects.all(), landscape, zone_id, actor=actor, action=action, message=_("Zone not found.")
    )


def zones_geojson(zones: list[Zone], *, slug: str) -> dict[str, Any]:
    """The zones as a FeatureCollection for the map (name, kind and link in the properties)."""
    kinds = dict(ZoneKind.choices)
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": z.geometry,
                "properties": {
                    "id": z.pk,
                    "name": z.name,
                    "kind": z.kind,
                    "country": str(kinds.get(z.kind, "")),  # shown under the name by map.js
                    "fill": ZONE_COLOURS.get(z.kind, DEFAULT_COLOUR),  # one colour per kind (map.js)
                    "url": reverse("planning:zone_edit", kwargs={"slug": slug, "zone_id": z.pk}),
                },
            }
            for z in zones
        ],
    }


def goal_list(*, actor: Any, landscape: Landscape) -> list[Goal]:
    """Goals in order, with their zones and their objectives (and each objective's zone)."""
    permissions.check(actor, "view", strategy_subject(landscape))
    goals = list(
        Goal.objects.filter(landscape=landscape).prefetch_related(
            "zones",
            Prefetch("objectives", queryset=Objective.objects.select_related("zone").order_by("sort", "pk")),
        )
    )
    for goal in goals:
        goal.landscape = landscape
    return goals


def goal_get(*, actor: Any, landscape: Landscape, goal_id: int, action: str = "view") -> Goal:
    return get_in(
        Goal.objects.prefetch_related("zones"),
        landscape,
        goal_id,
        actor=actor,
        action=action,
        message=_("Goal not found."),
    )


def objective_list(*, actor: Any, landscape: Landscape) -> list[Objective]:
    permissions.check(actor, "view", strategy_subject(landscape))
    return list(Objective.objects.filter(landscape=landscape).select_related("goal", "zone"))


def objective_get(*, actor: Any, landscape: Landscape, objective_id: int, action: str = "view") -> Objective:
    return get_in(
        Objective.objects.select_related("goal", "zone"),
        landscape,
        objective_id,
        actor=actor,
        action=action,
        message=_("Objective not found."),
    )
