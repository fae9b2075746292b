"""Writes for the shared vision (3.1) and the strategy (3.2): vision, zones, goals, SMART objectives."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from landmosaic.accounts.models import User
from landmosaic.core import permissions
from landmosaic.core.errors import Conflict, ValidationFailed
from landmosaic.core.models import AuditEvent
from landmosaic.landscapes.models import Landscape

from .. import geometry
from ..models import Goal, Objective, Vision, Zone, strategy_subject
from ._common import UNSET, audit, clean, field_error, finite, in_landscape

IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
GOAL_FIELDS = ("title", "description", "return_kind", "pillar", "zone_ids", "sort")
OBJECTIVE_FIELDS = ("goal_id", "what", "how_much", "unit", "by_when", "where", "zone_id", "sort")
ZONE_FIELDS = ("name", "kind", "description", "geometry")


def _unknown(changes: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})


def _check_image(image: UploadedFile) -> None:
    """A real JPEG, PNG, WebP or GIF within the size limit; stored under a name of our making."""
    if image.size > settings.PROFILE_IMAGE_MAX_BYTES:
        raise field_error(
            "image",
            _("The image is too large; the limit is %(mb)d MB.")
            % {"mb": settings.PROFILE_IMAGE_MAX_BYTES // 2**20},
        )
    try:
        with Image.open(image) as picture:
            kind = picture.format
            picture.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise field_error("image", _("This file is not an image the platform can show.")) from exc
    if kind not in IMAGE_FORMATS:
        raise field_error("image", _("Use a JPEG, PNG, WebP or GIF image."))
    image.seek(0)
    # The name decides the Content-Type when the image is served: it follows the content, not the upload.
    image.name = "vision." + ("jpg" if kind == "JPEG" else kind.lower())


# --- Vision ----------------------------------------------------------------------------------


@transaction.atomic
def vision_save(
    *,
    actor: User,
    landscape: Landscape,
    statement: str = UNSET,
    horizon_year: int = UNSET,
    image: UploadedFile | None = UNSET,
    image_alt: str = UNSET,
) -> Vision:
    """Write or edit the vision (editors). Changing the text or the horizon of an agreed vision makes it
    a draft again: the partners agreed the old words. ``image=None`` removes the image."""
    permissions.check(actor, "change", strategy_subject(landscape))
    vision = Vision.objects.filter(landscape=landscape).first() or Vision(landscape=landscape)
    vision.landscape = landscape
    changed = []
    for field, value in (("statement", statement), ("horizon_year", horizon_year), ("image_alt", image_alt)):
        if value is not UNSET:
            value = (value or "").strip() if field != "horizon_year" else value
            if getattr(vision, field) != value:
                setattr(vision, field, value)
                changed.append(field)
    old_image = vision.image.name if vision.image else ""
    if image is not UNSET:
        if image is not None:
            _check_image(image)
        vision.image = image or ""
        changed.append("image")
    if not vision.statement:
        raise field_error("statement", _("Write the vision statement."))
    if vision.image and not vision.image_alt:
        raise field_error("image_alt", _("Describe the image for people who cannot see it."))
    reopened = vision.agreed and {"statement", "horizon_year"} & set(changed)
    if reopened:
        vision.agreed_at, vision.agreed_by = None, None
    vision.updated_by = actor
    clean(
        vision,
        exclude=["landscape", "agreed_by", "updated_by", "image"],
        message=_("Check the vision: the horizon year is between 2000 and 2200."),
    )
    created = vision.pk is None
    vision.save()
    if old_image and old_image != vision.image.name:
        # The old file goes only once the new state is committed: a refusal keeps everything as it was.
        storage = vision.image.storage
        transaction.on_commit(lambda: storage.delete(old_image))
    audit(
        actor,
        AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        vision,
        "vision",
        "Shared vision written"
        if created
        else "Shared vision edited" + (" (agreement withdrawn)" if reopened else ""),
        fields=changed,
    )
    return vision


@transaction.atomic
def vision_agree(*, actor: User, landscape: Landscape, agreed: bool = True) -> Vision:
    """Mark the vision as agreed by the partners, or withdraw that mark (managers)."""
    permissions.check(actor, "agree", strategy_subject(landscape))
    vision = Vision.objects.select_for_update().filter(landscape=landscape).first()
    if vision is None:
        raise Conflict(_("Write the vision before it is agreed."))
    vision.landscape = landscape
    vision.agreed_at, vision.agreed_by = (timezone.now(), actor) if agreed else (None, None)
    vision.save(update_fields=["agreed_at", "agreed_by", "updated_at"])
    audit(
        actor,
        AuditEvent.Action.UPDATE,
        vision,
        "vision",
        "Shared vision agreed" if agreed else "Shared vision: agreement withdrawn",
    )
    return vision


# --- Zones -----------------------------------------------------------------------------------


def _zone_name_free(landscape: Landscape, name: str, exclude: int | None = None) -> None:
    same = Zone.objects.annotate(lname=Lower("name")).filter(landscape=landscape, lname=name.lower())
    if exclude:
        same = same.exclude(pk=exclude)
    if same.exists():
        raise field_error("name", _("This landscape already has a zone with this name."))


@transaction.atomic
def zone_save(*, actor: User, landscape: Landscape, zone: Zone | None = None, **changes: Any) -> Zone:
    """Create a zone (``zone`` None) or change one (editors). Self-intersecting areas are refused."""
    _unknown(changes, ZONE_FIELDS)
    permissions.check(actor, "change", zone or strategy_subject(landscape))
    created = zone is None
    zone = zone or Zone(landscape=landscape, created_by=actor)
    zone.landscape = landscape
    if created and not {"name", "kind", "geometry"} <= set(changes):
        raise ValidationFailed(_("A zone needs a name, a kind and an area on the map."))
    for field in ("name", "kind", "description"):
        if field in changes:
            setattr(zone, field, (changes[field] or "").strip())
    if "geometry" in changes:
        boundary = geometry.polygon(landscape=landscape, geometry=changes["geometry"])
        zone.geometry, zone.area_ha = boundary.geometry, boundary.area_ha
    clean(zone, exclude=["landscape", "created_by"], message=_("Check the zone."))
    _zone_name_free(landscape, zone.name, exclude=zone.pk)
    zone.save()
    audit(
        actor,
        AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        zone,
        "zone",
        f"Zone “{zone.name}” {'drawn' if created else 'changed'}",
        fields=sorted(changes),
    )
    return zone


@transaction.atomic
def zone_delete(*, actor: User, zone: Zone) -> None:
    """Remove a zone (editors); goals, objectives and actions keep everything but the link."""
    permissions.check(actor, "change", zone)
    audit(actor, AuditEvent.Action.DELETE, zone, "zone", f"Zone “{zone.name}” removed")
    zone.delete()


# --- Goals -----------------------------------------------------------------------------------


def _zones(landscape: Landscape, ids: Any) -> list[Zone]:
    ids = list(dict.fromkeys(ids or []))
    zones = list(Zone.objects.filter(landscape=landscape, pk__in=[i for i in ids if isinstance(i, int)]))
    if len(zones) != len(ids):
        raise field_error("zone_ids", _("Choose zones of this landscape."))
    return zones


@transaction.atomic
def goal_save(*, actor: User, landscape: Landscape, goal: Goal | None = None, **changes: Any) -> Goal:
    """Create a goal (``goal`` None) or change one (editors): a return and a LandScale pillar each."""
    _unknown(changes, GOAL_FIELDS)
    permissions.check(actor, "change", goal or strategy_subject(landscape))
    created = goal is None
    goal = goal or Goal(landscape=landscape, created_by=actor)
    goal.landscape = landscape
    for field in ("title", "description", "return_kind", "pillar"):
        if field in changes:
            setattr(goal, field, (changes[field] or "").strip())
    if "sort" in changes:
        goal.sort = changes["sort"] or 0
    zones = _zones(landscape, changes["zone_ids"]) if "zone_ids" in changes else None
    clean(
        goal,
        exclude=["landscape", "created_by"],
        message=_("Check the goal: a title, a return and a pillar."),
    )
    goal.save()
    if zones is not None:
        goal.zones.set(zones)
    audit(
        actor,
        AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        goal,
        "goal",
        f"Goal “{goal.title[:100]}” {'added' if created else 'changed'}",
        fields=sorted(changes),
    )
    return goal


@transaction.atomic
def goal_delete(*, actor: User, goal: Goal) -> None:
    """Remove a goal without objectives or indicators (editors): nothing disappears by surprise."""
    permissions.check(actor, "change", goal)
    if goal.objectives.exists() or goal.indicators.exists():
        raise Conflict(_("Remove this goal's objectives and indicators first."))
    audit(actor, AuditEvent.Action.DELETE, goal, "goal", f"Goal “{goal.title[:100]}” removed")
    goal.delete()


# --- Objectives ------------------------------------------------------------------------------


@transaction.atomic
def objective_save(
    *, actor: User, landscape: Landscape, objective: Objective | None = None, **changes: Any
) -> Objective:
    """Create a SMART objective under a goal (``objective`` None) or change one (editors)."""
    _unknown(changes, OBJECTIVE_FIELDS)
    permissions.check(actor, "change", objective or strategy_subject(landscape))
    created = objective is None
    objective = objective or Objective(landscape=landscape, created_by=actor)
    objective.landscape = landscape
    if "goal_id" in changes or created:
        objective.goal = in_landscape(
            Goal,
            changes.get("goal_id"),
            landscape,
            field="goal",
            message=_("Choose a goal of this landscape."),
        )
    if "zone_id" in changes:
        zone_id = changes["zone_id"]
        objective.zone = (
            None
            if zone_id is None
            else in_landscape(
                Zone, zone_id, landscape, field="zone", message=_("Choose a zone of this landscape.")
            )
        )
    for field in ("what", "unit", "where"):
        if field in changes:
            setattr(objective, field, (changes[field] or "").strip())
    if "how_much" in changes:
        finite("how_much", changes["how_much"])
    for field in ("how_much", "by_when", "sort"):
        if field in changes:
            setattr(objective, field, changes[field] if field != "sort" else changes[field] or 0)
    clean(
        objective,
        exclude=["landscape", "goal", "zone", "created_by"],
        message=_("Check the objective: what, how much, in which unit and by when."),
    )
    objective.save()
    audit(
        actor,
        AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        objective,
        "objective",
        f"Objective “{objective.what[:100]}” {'added' if created else 'changed'}",
        fields=sorted(changes),
    )
    return objective


@transaction.atomic
def objective_delete(*, actor: User, objective: Objective) -> None:
    """Remove an objective without strategies or indicators (editors)."""
    permissions.check(actor, "change", objective)
    if objective.strategies.exists() or objective.indicators.exists():
        raise Conflict(_("Remove this objective's strategies and indicators first."))
    audit(
        actor, AuditEvent.Action.DELETE, objective, "objective", f"Objective “{objective.what[:100]}” removed"
    )
    objective.delete()
