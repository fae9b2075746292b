"""The demo that `make run` loads: only into an empty database, with a member in every role."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from landmosaic.accounts.models import User
from landmosaic.core import permissions
from landmosaic.landscapes.models import Landscape
from tests.factories import UserFactory


def run() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_loads_once_with_every_role_and_lists_the_sign_ins():
    first = run()
    assert "Demo landscapes loaded" in first and "manager@demo.landmosaic.org" in first
    valley = Landscape.objects.get(slug="kilombero-valley")
    assert valley.boundary_kind == "polygon" and valley.area_ha > 100_000
    assert valley.partnership.organisations.count() == 4
    roles = sorted(valley.memberships.values_list("role", flat=True))
    assert roles == ["editor", "manager", "member", "viewer"]
    assert Landscape.objects.filter(visibility="private").exists()
    second = run()
    assert "loaded" not in second and "manager@demo.landmosaic.org" in second
    assert Landscape.objects.count() == 3


@pytest.mark.django_db
def test_demo_is_not_loaded_into_a_database_with_content():
    UserFactory()
    assert "not loaded" in run()
    assert not Landscape.objects.exists()


@pytest.mark.django_db
def test_demo_outsider_cannot_see_the_private_landscape():
    run()
    outsider = User.objects.get(email="outsider@demo.landmosaic.org")
    private = Landscape.objects.get(visibility="private")
    assert not permissions.can(outsider, "view", private)
