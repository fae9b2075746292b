from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from landmosaic.core.permissions import Role, Visibility
from tests.factories import LandscapeFactory, UserFactory, member

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.exists():
        pytest.skip(f"shared test data not found at {SHARED_DATA}")
    return SHARED_DATA


@dataclass
class Cast:
    """One landscape and a person in every position towards it."""

    landscape: object
    anonymous: object
    outsider: object
    viewer: object
    member: object
    editor: object
    manager: object
    superuser: object

    def __getitem__(self, name: str):
        return getattr(self, name)


def _cast(visibility: str) -> Cast:
    landscape = LandscapeFactory(visibility=visibility)
    return Cast(
        landscape=landscape,
        anonymous=AnonymousUser(),
        outsider=UserFactory(),
        viewer=member(landscape, Role.VIEWER),
        member=member(landscape, Role.MEMBER),
        editor=member(landscape, Role.EDITOR),
        manager=member(landscape, Role.MANAGER),
        superuser=UserFactory(is_superuser=True, is_staff=True),
    )


@pytest.fixture
def private_cast(db) -> Cast:
    return _cast(Visibility.PRIVATE)


@pytest.fixture
def public_cast(db) -> Cast:
    return _cast(Visibility.PUBLIC)
