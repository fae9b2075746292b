"""The one permission model of Landmosaic (DESIGN.md §4.1).

Every landscape-owned object has a visibility (private / shared / public) and may be restricted.
A person's power over it comes from their role in the owning landscape. One declarative table,
``RULES``, says which role each (object type, action) needs. Selectors, views, API endpoints and
downloads all ask ``can()`` / ``check()`` / ``visible_q()``; nothing else decides access.

Platform superusers get nothing here: ``is_superuser`` is deliberately never consulted.
Core knows nothing of landscapes; the landscapes app registers how to read a person's roles
(``register_role_source``) so that the dependency points downwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .errors import Forbidden, NotFound


class Role(IntEnum):
    """Landscape roles, ordered: each includes the powers of those below it."""

    NONE = 0
    VIEWER = 10
    MEMBER = 20
    EDITOR = 30
    MANAGER = 40

    @property
    def slug(self) -> str:
        return self.name.lower()

    @classmethod
    def from_slug(cls, slug: str) -> Role:
        try:
            role = cls[slug.upper()]
        except KeyError as exc:
            raise ValueError(slug) from exc
        if role is cls.NONE:
            raise ValueError(slug)
        return role


ROLE_CHOICES = [
    (Role.MANAGER.slug, _("Manager")),
    (Role.EDITOR.slug, _("Editor")),
    (Role.MEMBER.slug, _("Member")),
    (Role.VIEWER.slug, _("Viewer")),
]


class Visibility(models.TextChoices):
    PRIVATE = "private", _("Private: members of the landscape")
    SHARED = "shared", _("Shared: also named landscapes and organisations")
    PUBLIC = "public", _("Public: anyone")


@dataclass(frozen=True)
class Rule:
    """What an action needs, on top of being able to see the object.

    ``role``: minimum role in the owning landscape (``Role.NONE``: none needed).
    ``authenticated``: the caller must be signed in.
    ``outsider_only``: only people who are not yet members (e.g. asking to join).
    ``owner``: the object's owner may do it whatever the role (personal objects: tokens, jobs).
    """

    role: Role = Role.NONE
    authenticated: bool = False
    outsider_only: bool = False
    owner: bool = False


#: The declarative table: (object type, action) -> rule. Later apps add their rows here.
RULES: dict[tuple[str, str], Rule] = {
    # Landscapes: profile, boundary, partnership.
    ("landscape", "view"): Rule(),
    ("landscape", "view_members"): Rule(role=Role.VIEWER),
    ("landscape", "change"): Rule(role=Role.EDITOR),
    ("landscape", "change_settings"): Rule(role=Role.MANAGER),
    ("landscape", "delete"): Rule(role=Role.MANAGER),
    ("landscape", "manage_members"): Rule(role=Role.MANAGER),
    ("landscape", "view_audit"): Rule(role=Role.MANAGER),
    ("landscape", "add_content"): Rule(role=Role.EDITOR),
    ("landscape", "contribute"): Rule(role=Role.MEMBER),
    ("landscape", "request_join"): Rule(authenticated=True, outsider_only=True),
    ("landscape", "leave"): Rule(role=Role.VIEWER),
    # Organisations are public records; their creator looks after them.
    ("organisation", "view"): Rule(),
    ("organisation", "change"): Rule(authenticated=True, owner=True, role=Role.MANAGER),
    ("organisation", "delete"): Rule(authenticated=True, owner=True, role=Role.MANAGER),
    # Datasets of the data commons; "download" is checked against the dataset's download access.
    ("dataset", "view"): Rule(),
    ("dataset", "download"): Rule(),
    ("dataset", "change"): Rule(role=Role.EDITOR),
    ("dataset", "add_version"): Rule(role=Role.EDITOR),
    ("dataset", "share"): Rule(role=Role.MANAGER),
    ("dataset", "delete"): Rule(role=Role.MANAGER),
    # Point maps ("data maps") of a dataset: seen only by those who may also see the dataset (see
    # ``Subject.within``), so a map never shows more than its data allows; editors make and share them.
    ("point_map", "view"): Rule(),
    ("point_map", "change"): Rule(role=Role.EDITOR),
    ("point_map", "delete"): Rule(role=Role.EDITOR),
    # ILM dashboard (planning): it follows the landscape's visibility. Editors add notes and evidence
    # and confirm what the platform suggests; a different status (an override) is a manager's call.
    ("ilm_plan", "view"): Rule(),
    ("ilm_output", "view"): Rule(),
    ("ilm_output", "change"): Rule(role=Role.EDITOR),
    ("ilm_output", "confirm"): Rule(role=Role.EDITOR),
    ("ilm_output", "override"): Rule(role=Role.MANAGER),
    # Stakeholder register: members only whatever the landscape's visibility; contacts from member up.
    ("stakeholder_register", "view"): Rule(role=Role.VIEWER),
    ("stakeholder_register", "change"): Rule(role=Role.EDITOR),
    ("stakeholder_register", "export"): Rule(role=Role.MEMBER),
    ("stakeholder", "view"): Rule(role=Role.VIEWER),
    ("stakeholder", "view_contact"): Rule(role=Role.MEMBER),
    ("stakeholder", "change"): Rule(role=Role.EDITOR),
    ("stakeholder", "delete"): Rule(role=Role.EDITOR),
    # Field data: forms and their records are members-only; collecting needs member, setting up editor.
    ("form", "view"): Rule(role=Role.VIEWER),
    ("form", "change"): Rule(role=Role.EDITOR),
    ("form", "collect"): Rule(role=Role.MEMBER),
    ("form", "export"): Rule(role=Role.MEMBER),
    ("submission", "view"): Rule(role=Role.VIEWER),
    ("submission", "review"): Rule(role=Role.EDITOR),
    ("collector_access", "view"): Rule(role=Role.EDITOR),
    ("collector_access", "revoke"): Rule(role=Role.EDITOR),
    # ILM plan (planning): agreement, vision and strategy, action plan and monitoring follow the landscape's
    # visibility. Agreement drafts and budgets are for members; members sign for their own organisation,
    # report on actions and record measurements; editors plan; managers agree (publish, mark agreed).
    ("agreement", "view"): Rule(),
    ("agreement", "view_drafts"): Rule(role=Role.VIEWER),
    ("agreement", "change"): Rule(role=Role.EDITOR),
    ("agreement", "publish"): Rule(role=Role.MANAGER),
    ("agreement", "sign"): Rule(role=Role.MEMBER),
    ("agreement", "record_sign_off"): Rule(role=Role.MANAGER),
    ("strategy", "view"): Rule(),
    ("strategy", "change"): Rule(role=Role.EDITOR),
    ("strategy", "agree"): Rule(role=Role.MANAGER),
    ("action_plan", "view"): Rule(),
    ("action_plan", "view_budget"): Rule(role=Role.VIEWER),
    ("action_plan", "report"): Rule(role=Role.MEMBER),
    ("action_plan", "change"): Rule(role=Role.EDITOR),
    ("monitoring", "view"): Rule(),
    ("monitoring", "measure"): Rule(role=Role.MEMBER),
    ("monitoring", "change"): Rule(role=Role.EDITOR),
    # Land-use scenarios follow the landscape; results follow the visibility of the run's land-cover
    # dataset (private until shared). Editors build and run scenarios; deleting is a manager's call.
    ("scenario_set", "view"): Rule(),
    ("scenario_set", "change"): Rule(role=Role.EDITOR),
    ("scenario_set", "delete"): Rule(role=Role.MANAGER),
    ("scenario", "view"): Rule(),
    ("scenario", "change"): Rule(role=Role.EDITOR),
    ("scenario", "run"): Rule(role=Role.EDITOR),
    ("scenario", "delete"): Rule(role=Role.MANAGER),
    ("scenario_run", "view"): Rule(),
    ("scenario_run", "cancel"): Rule(role=Role.EDITOR),
    # Personal objects.
    ("job", "view"): Rule(authenticated=True, owner=True, role=Role.MANAGER),
    ("job", "cancel"): Rule(authenticated=True, owner=True, role=Role.MANAGER),
}

#: Actions listed in API responses, per object type, in a stable order.
ACTIONS: dict[str, list[str]] = {}
for _type, _action in RULES:
    ACTIONS.setdefault(_type, []).append(_action)


@dataclass(frozen=True)
class Subject:
    """What the permission model needs to know about an object."""

    type: str
    landscape_id: int | None
    visibility: str = Visibility.PRIVATE
    restricted: bool = False
    owner_id: int | None = None
    shared_with: frozenset[tuple[str, int]] = field(default_factory=frozenset)
    granted_user_ids: frozenset[int] = field(default_factory=frozenset)
    #: An object shown through another one (a map of a dataset) is visible only to those who may
    #: also see that other one, whatever its own visibility says.
    within: Subject | None = None


class Protected:
    """Mixin for models under the permission model; they describe themselves as a ``Subject``."""

    permission_type: str = ""
    #: Field path from the model to the owning landscape's id, used to filter querysets.
    permission_landscape_field: str = "landscape_id"

    def permission_subject(self) -> Subject:  # pragma: no cover - every model overrides
        raise NotImplementedError


# --- Where roles come from -------------------------------------------------------------------

RoleSource = Callable[[Any], Mapping[int, Role]]
PrincipalSource = Callable[[Any, Mapping[int, Role]], frozenset[tuple[str, int]]]
_role_source: RoleSource = lambda user: {}  # noqa: E731 - replaced at start-up by landscapes
_principal_source: PrincipalSource = lambda user, roles: frozenset()  # noqa: E731


def register_role_source(*, roles: RoleSource, principals: PrincipalSource) -> None:
    """Called once by the landscapes app: how to read a person's roles and memberships."""
    global _role_source, _principal_source
    _role_source = roles
    _principal_source = principals


_CACHE_ATTR = "_landmosaic_roles"


def roles_of(user: Any) -> Mapping[int, Role]:
    """{landscape id: role} for a person, read once per request and kept on the user object."""
    if user is None or not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        roles = dict(_role_source(user))
        cached = (roles, _principal_source(user, roles))
        setattr(user, _CACHE_ATTR, cached)
    return cached[0]


def principals_of(user: Any) -> frozenset[tuple[str, int]]:
    """The landscapes and organisations a person belongs to, as ("landscape"|"organisation", id)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    roles_of(user)
    return getattr(user, _CACHE_ATTR)[1]


def forget_roles(user: Any) -> None:
    """Drop the cached roles after a membership change in the same request."""
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def role_in(user: Any, landscape_id: int | None) -> Role:
    if landscape_id is None:
        return Role.NONE
    return roles_of(user).get(landscape_id, Role.NONE)


# --- Decisions -------------------------------------------------------------------------------


def _user_id(user: Any) -> int | None:
    return user.pk if user is not None and getattr(user, "is_authenticated", False) else None


def can_see(user: Any, subject: Subject) -> bool:
    """Visibility alone: may this person know the object exists and read it?"""
    if subject.within is not None and not can_see(user, subject.within):
        return False
    role = role_in(user, subject.landscape_id)
    if subject.restricted:
        return role >= Role.MANAGER or _user_id(user) in subject.granted_user_ids
    if subject.visibility == Visibility.PUBLIC:
        return True
    if role >= Role.VIEWER or (subject.owner_id is not None and subject.owner_id == _user_id(user)):
        return True
    if subject.visibility == Visibility.SHARED:
        return bool(subject.shared_with & principals_of(user))
    return False


def _allowed(user: Any, subject: Subject, rule: Rule) -> bool:
    uid = _user_id(user)
    if rule.authenticated and uid is None:
        return False
    if rule.owner and subject.owner_id is not None and subject.owner_id == uid:
        return True
    role = role_in(user, subject.landscape_id)
    if rule.outsider_only:
        return role is Role.NONE
    if rule.owner:
        # Owner rules fall back to the landscape role only for landscape-owned objects.
        return subject.landscape_id is not None and role >= rule.role
    return role >= rule.role


def rule_for(object_type: str, action: str) -> Rule:
    try:
        return RULES[(object_type, action)]
    except KeyError as exc:  # a typo must never silently allow anything
        raise LookupError(f"No permission rule for ({object_type!r}, {action!r})") from exc


def can(user: Any, action: str, obj: Protected | Subject) -> bool:
    """May ``user`` perform ``action`` on ``obj``? Seeing the object is always required."""
    subject = obj if isinstance(obj, Subject) else obj.permission_subject()
    rule = rule_for(subject.type, action)
    return can_see(user, subject) and _allowed(user, subject, rule)


def check(user: Any, action: str, obj: Protected | Subject) -> None:
    """Raise NotFound if the caller may not see ``obj``, Forbidden if the action is not allowed."""
    subject = obj if isinstance(obj, Subject) else obj.permission_subject()
    rule = rule_for(subject.type, action)
    if not can_see(user, subject):
        raise NotFound(_("Not found."))
    if not _allowed(user, subject, rule):
        raise Forbidden(_("You do not have permission to do this."))


def allowed_actions(user: Any, obj: Protected | Subject) -> list[str]:
    """Every action the caller may perform on ``obj``: what the API returns so clients never guess."""
    subject = obj if isinstance(obj, Subject) else obj.permission_subject()
    if not can_see(user, subject):
        return []
    return [a for a in ACTIONS.get(subject.type, []) if _allowed(user, subject, RULES[(subject.type, a)])]


def visible_q(
    user: Any,
    *,
    landscape_field: str = "landscape_id",
    has_restricted: bool = True,
    shared_lookup: str | None = None,
    granted_lookup: str | None = None,
) -> Q:
    """A queryset filter equivalent to ``can_see`` for models with ``visibility`` (and ``restricted``).

    ``shared_lookup`` names the relation to share targets (rows with ``target_type``/``target_id``);
    models that cannot be shared pass None. ``granted_lookup`` names the relation to the people
    granted a restricted object by name (rows with ``user_id``).
    """
    roles = roles_of(user)
    member_ids = [lid for lid, r in roles.items() if r >= Role.VIEWER]
    manager_ids = [lid for lid, r in roles.items() if r >= Role.MANAGER]
    open_q = Q(visibility=Visibility.PUBLIC) | Q(**{f"{landscape_field}__in": member_ids})
    if shared_lookup:
        for target_type, ids in _group_principals(principals_of(user)).items():
            open_q |= Q(
                visibility=Visibility.SHARED,
                **{f"{shared_lookup}__target_type": target_type, f"{shared_lookup}__target_id__in": ids},
            )
    if not has_restricted:
        return open_q
    restricted_q = Q(restricted=True, **{f"{landscape_field}__in": manager_ids})
    user_id = _user_id(user)
    if granted_lookup and user_id is not None:
        restricted_q |= Q(restricted=True, **{f"{granted_lookup}__user_id": user_id})
    return (Q(restricted=False) & open_q) | restricted_q


def _group_principals(principals: Iterable[tuple[str, int]]) -> dict[str, list[int]]:
    grouped: dict[str, list[int]] = {}
    for kind, pk in principals:
        grouped.setdefault(kind, []).append(pk)
    return grouped
