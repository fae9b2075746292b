"""Helpers for the planning tests: clients per person, stakeholders in a few keystrokes."""

from __future__ import annotations

import pytest
from django.test import Client

from landmosaic.planning.models import Stakeholder

API = "/api/v1"
PEOPLE = ["anonymous", "outsider", "viewer", "member", "editor", "manager", "superuser"]
MEMBERS = ["viewer", "member", "editor", "manager"]


def client_for(user) -> Client:
    client = Client()
    if getattr(user, "is_authenticated", False):
        client.force_login(user)
    return client


def add_stakeholder(landscape, name: str, **fields) -> Stakeholder:
    values = {"sector": "civil_society", "influence": 3, "interest": 3, "participation": "consult"}
    values.update(fields)
    return Stakeholder.objects.create(landscape=landscape, name=name, **values)


@pytest.fixture
def inclusive_register(private_cast):
    """A register that passes every inclusion check: five stakeholders in four sectors."""
    landscape = private_cast.landscape
    return [
        add_stakeholder(
            landscape,
            "District council",
            sector="public",
            influence=5,
            interest=4,
            participation="collaborate",
        ),
        add_stakeholder(
            landscape, "Coffee buyers", sector="private", influence=4, interest=3, participation="involve"
        ),
        add_stakeholder(
            landscape, "Women farmers' union", sector="community", represents=["women", "smallholders"]
        ),
        add_stakeholder(landscape, "Youth for the hills", sector="civil_society", represents=["youth"]),
        add_stakeholder(landscape, "Batwa council", sector="community", represents=["indigenous"]),
    ]
