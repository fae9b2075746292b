"""Reads for landscapes, members, invitations and join requests; all permission-checked."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from landmosaic.core import permissions
from landmosaic.core.audit import audit_for_landscape
from landmosaic.core.errors import NotFound
from landmosaic.core.models import AuditEvent
from landmosaic.core.pagination import DEFAULT_PAGE_SIZE, PageOf, paginate
from landmosaic.core.permissions import Role

from .models import Invitation, JoinRequest, Landscape, Membership, Partnership, Term

# --- Role source for core.permissions --------------------------------------------------------


def roles_for_user(user: Any) -> dict[int, Role]:
    return {
        lid: Role.from_slug(role)
        for lid, role in Membership.objects.filter(user=user).values_list("landscape_id", "role")
    }


def principals_for_user(user: Any, roles: Mapping[int, Role]) -> frozenset[tuple[str, int]]:
    principals = {("landscape", lid) for lid in roles}
    if getattr(user, "organisation_id", None):
        principals.add(("organisation", user.organisation_id))
    return frozenset(principals)


# --- Landscapes ------------------------------------------------------------------------------


def landscape_visible(*, actor: Any) -> QuerySet[Landscape]:
    return Landscape.objects.filter(permissions.visible_q(actor, landscape_field="id", has_restricted=False))


def landscape_directory(
    *,
    actor: Any,
    search: str = "",
    country: str = "",
    ecosystem: str = "",
    has_partnership: bool | None = None,
) -> QuerySet[Landscape]:
    """Visible landscapes matching the filters, ordered by name; lean (no per-row annotations)."""
    qs = landscape_visible(actor=actor)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(description__icontains=search))
    if country:
        qs = qs.filter(country=country.upper())
    if ecosystem:
        qs = qs.filter(ecosystems__vocabulary=Term.Vocabulary.ECOSYSTEM, ecosystems__code=ecosystem)
    if has_partnership is True:
        qs = qs.filter(pk__in=_with_partnership())
    elif has_partnership is False:
        qs = qs.exclude(pk__in=_with_partnership())
    return qs.order_by("name", "pk")


def _with_partnership() -> QuerySet[Partnership]:
    # "Has a partnership" means one that exists beyond the exploring stage.
    return Partnership.objects.exclude(status=Partnership.Status.EXPLORING).values("landscape_id")


def landscape_directory_page(
    *, actor: Any, page: Any = 1, page_size: Any = DEFAULT_PAGE_SIZE, **filters: Any
) -> PageOf:
    """One page of the directory with what a card shows, in a constant number of queries.

    Paginates on ids first, then annotates only the page's rows: counting members or checking
    partnerships for every landscape before the LIMIT is what makes directories slow at 10,000.
    """
    ids_page = paginate(
        landscape_directory(actor=actor, **filters).values_list("pk", flat=True),
        page=page,
        page_size=page_size,
    )
    active = Partnership.objects.filter(landscape=OuterRef("pk")).exclude(status=Partnership.Status.EXPLORING)
    members = (
        Membership.objects.filter(landscape=OuterRef("pk"))
        .order_by()
        .values("landscape")
        .annotate(n=Count("*"))
    )
    rows = (
        Landscape.objects.filter(pk__in=ids_page.items)
        .annotate(has_partnership=Exists(active), member_count=Coalesce(Subquery(members.values("n")), 0))
        .defer("boundary_geojson", "boundary_display_geojson", "description")
    )
    by_id = {row.pk: row for row in rows}
    return replace(ids_page, items=[by_id[pk] for pk in ids_page.items])


DIRECTORY_MAP_MAX_POINTS = 1500


def landscape_directory_points(
    *, landscapes: QuerySet[Landscape], max_points: int = DIRECTORY_MAP_MAX_POINTS
) -> list[dict[str, Any]]:
    """Centroids of the filtered directory as compact GeoJSON points for the directory map.

    Beyond ``max_points`` the points are grouped on a grid (properties carry ``count``) so that
    the map stays light on a phone whatever the number of landscapes. Coordinates are rounded to
    3 decimals (~100 m): plenty for a directory.
    """
    located = landscapes.filter(centroid_lon__isnull=False)
    rows = list(located.values_list("name", "slug", "centroid_lon", "centroid_lat"))
    if len(rows) <= max_points:
        return [_point(lon, lat, {"name": name, "slug": slug}) for name, slug, lon, lat in rows]
    cell = 0.5
    while True:
        cells: dict[tuple[int, int], list[tuple[float, float]]] = {}
        for _name, _slug, lon, lat in rows:
            cells.setdefault((math.floor(lon / cell), math.floor(lat / cell)), []).append((lon, lat))
        if len(cells) <= max_points:
            break
        cell *= 2
    return [
        _point(
            sum(p[0] for p in members) / len(members),
            sum(p[1] for p in members) / len(members),
            {"count": len(members)},
        )
        for members in cells.values()
    ]


def _point(lon: float, lat: float, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(lon, 3), round(lat, 3)]},
        "properties": properties,
    }


def landscape_get(*, actor: Any, slug: str, action: str = "view") -> Landscape:
    """A landscape by slug; 404 if the caller may not see it, 403 if ``action`` is not allowed."""
    landscape = (
        Landscape.objects.filter(slug=slug)
        .select_related("partnership__lead_organisation")
        .prefetch_related(
            "area_types",
            "ecosystems",
            "livelihoods",
            "commodities",
            "languages",
            "partnership__organisations",
        )
        .first()
    )
    if landscape is None:
        raise NotFound(_("Landscape not found."))
    permissions.check(actor, action, landscape)
    return landscape


def landscape_members(*, actor: Any, landscape: Landscape) -> QuerySet[Membership]:
    permissions.check(actor, "view_members", landscape)
    return landscape.memberships.select_related("user__organisation").order_by("user__name", "user__email")


def membership_get(*, actor: Any, landscape: Landscape, membership_id: int) -> Membership:
    permissions.check(actor, "view_members", landscape)
    membership = landscape.memberships.select_related("user").filter(pk=membership_id).first()
    if membership is None:
        raise NotFound(_("Member not found."))
    return membership


def landscape_invitations(*, actor: Any, landscape: Landscape) -> QuerySet[Invitation]:
    permissions.check(actor, "manage_members", landscape)
    return landscape.invitations.filter(status=Invitation.Status.PENDING).select_related("invited_by")


def landscape_join_requests(*, actor: Any, landscape: Landscape) -> QuerySet[JoinRequest]:
    permissions.check(actor, "manage_members", landscape)
    return landscape.join_requests.filter(status=JoinRequest.Status.PENDING).select_related("user")


def join_request_get(*, actor: Any, landscape: Landscape, request_id: int) -> JoinRequest:
    request = landscape_join_requests(actor=actor, landscape=landscape).filter(pk=request_id).first()
    if request is None:
        raise NotFound(_("Join request not found."))
    return request


def join_request_pending_for(*, actor: Any, landscape: Landscape) -> JoinRequest | None:
    if not getattr(actor, "is_authenticated", False):
        return None
    return landscape.join_requests.filter(user=actor, status=JoinRequest.Status.PENDING).first()


def invitation_get_by_token(*, token: str) -> Invitation:
    """Invitations are reached by their secret token, so holding it is the permission to see it."""
    invitation = Invitation.objects.select_related("landscape", "invited_by").filter(token=token).first()
    if invitation is None:
        raise NotFound(_("This invitation does not exist."))
    return invitation


def invitations_for_user(*, user: Any) -> QuerySet[Invitation]:
    if not getattr(user, "is_authenticated", False):
        return Invitation.objects.none()
    return Invitation.objects.filter(
        email__iexact=user.email, status=Invitation.Status.PENDING
    ).select_related("landscape")


def landscapes_of_user(*, user: Any) -> QuerySet[Membership]:
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("landscape").order_by("landscape__name")


def landscape_audit(*, actor: Any, landscape: Landscape) -> QuerySet[AuditEvent]:
    permissions.check(actor, "view_audit", landscape)
    return audit_for_landscape(landscape_id=landscape.pk)


def terms_by_vocabulary() -> dict[str, list[Term]]:
    grouped: dict[str, list[Term]] = {v: [] for v in Term.Vocabulary.values}
    for term in Term.objects.all():
        grouped[term.vocabulary].append(term)
    return grouped


def landscape_countries(*, actor: Any) -> list[str]:
    """Countries that have at least one landscape the caller may see (for the directory filter)."""
    return sorted(set(landscape_visible(actor=actor).exclude(country="").values_list("country", flat=True)))


def prefetch_terms(qs: QuerySet[Landscape]) -> QuerySet[Landscape]:
    return qs.prefetch_related(Prefetch("ecosystems", queryset=Term.objects.all()))
