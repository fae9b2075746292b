"""The permission model, action by action, for everyone who can stand in front of a landscape."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from landmosaic.core import permissions
from landmosaic.core.errors import Forbidden, NotFound
from landmosaic.core.permissions import Role, Subject, Visibility
from landmosaic.landscapes.models import Landscape
from tests.factories import OrganisationFactory, UserFactory

PEOPLE = ["anonymous", "outsider", "viewer", "member", "editor", "manager", "superuser"]

# What each person may do on a landscape. The superuser is an outsider: no special access (DESIGN §4.1).
MEMBER_ACTIONS = {"view", "view_members", "leave"}
EXPECTED = {
    "private": {
        "anonymous": set(),
        "outsider": set(),
        "superuser": set(),
        "viewer": MEMBER_ACTIONS,
        "member": MEMBER_ACTIONS | {"contribute"},
        "editor": MEMBER_ACTIONS | {"contribute", "change", "add_content"},
        "manager": MEMBER_ACTIONS
        | {
            "contribute",
            "change",
            "add_content",
            "change_settings",
            "delete",
            "manage_members",
            "view_audit",
        },
    },
}
EXPECTED["public"] = {
    **EXPECTED["private"],
    "anonymous": {"view"},
    "outsider": {"view", "request_join"},
    "superuser": {"view", "request_join"},
}


@pytest.mark.parametrize("visibility", ["private", "public"])
@pytest.mark.parametrize("person", PEOPLE)
def test_allowed_actions_on_a_landscape(request, visibility, person):
    cast = request.getfixturevalue(f"{visibility}_cast")
    assert set(permissions.allowed_actions(cast[person], cast.landscape)) == EXPECTED[visibility][person]


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("action", permissions.ACTIONS["landscape"])
def test_check_answers_404_when_invisible_and_403_when_not_allowed(private_cast, person, action):
    user = private_cast[person]
    allowed = action in EXPECTED["private"][person]
    if allowed:
        permissions.check(user, action, private_cast.landscape)
    elif person in ("anonymous", "outsider", "superuser"):
        with pytest.raises(NotFound):
            permissions.check(user, action, private_cast.landscape)
    else:
        with pytest.raises(Forbidden):
            permissions.check(user, action, private_cast.landscape)


def test_unknown_action_is_an_error_not_a_permission(private_cast):
    with pytest.raises(LookupError):
        permissions.can(private_cast.manager, "chnage", private_cast.landscape)


def test_restricted_objects_need_a_manager_or_an_explicit_grant(private_cast):
    granted = private_cast.member
    subject = Subject(
        type="landscape",
        landscape_id=private_cast.landscape.pk,
        visibility=Visibility.PUBLIC,
        restricted=True,
        granted_user_ids=frozenset({granted.pk}),
    )
    assert permissions.can_see(private_cast.manager, subject)
    assert permissions.can_see(granted, subject)
    assert not permissions.can_see(private_cast.editor, subject)
    assert not permissions.can_see(AnonymousUser(), subject)  # restricted beats public


def test_shared_objects_are_visible_to_named_landscapes_and_organisations(private_cast):
    org = OrganisationFactory()
    colleague = UserFactory(organisation=org)
    subject = Subject(
        type="landscape",
        landscape_id=999_999,
        visibility=Visibility.SHARED,
        shared_with=frozenset({("landscape", private_cast.landscape.pk), ("organisation", org.pk)}),
    )
    assert permissions.can_see(private_cast.viewer, subject)
    assert permissions.can_see(colleague, subject)
    assert not permissions.can_see(private_cast.outsider, subject)
    assert not permissions.can_see(private_cast.superuser, subject)


def test_organisations_are_public_and_only_their_creator_edits_them(db):
    creator, other, admin = UserFactory(), UserFactory(), UserFactory(is_superuser=True)
    org = OrganisationFactory(created_by=creator)
    assert permissions.can(AnonymousUser(), "view", org)
    assert permissions.can(creator, "change", org)
    assert not permissions.can(other, "change", org)
    assert not permissions.can(admin, "change", org)


def test_roles_are_read_once_per_user_object(private_cast, django_assert_num_queries):
    user = private_cast.editor
    with django_assert_num_queries(1):
        for _ in range(5):
            permissions.role_in(user, private_cast.landscape.pk)
    assert permissions.role_in(user, private_cast.landscape.pk) is Role.EDITOR


def test_visible_q_matches_can_see(private_cast, public_cast):
    for person in PEOPLE:
        for cast in (private_cast, public_cast):
            user = cast[person]
            visible = set(
                Landscape.objects.filter(
                    permissions.visible_q(user, landscape_field="id", has_restricted=False)
                ).values_list("pk", flat=True)
            )
            for landscape in (private_cast.landscape, public_cast.landscape):
                assert (landscape.pk in visible) == permissions.can_see(
                    user, landscape.permission_subject()
                ), person


def test_an_object_shown_within_another_is_never_seen_by_more_people_than_that_one(private_cast):
    hidden = Subject(type="dataset", landscape_id=private_cast.landscape.pk, visibility=Visibility.PRIVATE)
    public_map = Subject(
        type="point_map", landscape_id=private_cast.landscape.pk, visibility=Visibility.PUBLIC, within=hidden
    )
    for person in ("anonymous", "outsider", "superuser"):
        assert not permissions.can_see(private_cast[person], public_map)
        assert permissions.allowed_actions(private_cast[person], public_map) == []
    assert permissions.can(private_cast.viewer, "view", public_map)
    assert not permissions.can(private_cast.member, "change", public_map)
    assert permissions.can(private_cast.editor, "change", public_map)
