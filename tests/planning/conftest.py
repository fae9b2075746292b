"""Helpers for the planning tests: clients per person, stakeholders in a few keystrokes."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from landmosaic.planning import services
from landmosaic.planning.models import Stakeholder


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The planning journey in a real browser runs after every other test, as tests/browser's do: once
    Playwright started, DJANGO_ALLOW_ASYNC_UNSAFE stays set, which subprocess tests must not inherit.
    (Same stable sort as tests/browser/conftest.py, so either or both give the same order.)"""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


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


# --- The plan in a few keystrokes (services, so every rule applies) -----------------------------

INSIDE = {"type": "Polygon", "coordinates": [[[36.05, -8.05], [36.1, -8.05], [36.1, -8.1], [36.05, -8.05]]]}
POINT = {"type": "Point", "coordinates": [36.1, -8.1]}


def make_goal(cast, title="Healthy forests", return_kind="natural", pillar="ecosystems", **extra):
    return services.goal_save(
        actor=cast.editor,
        landscape=cast.landscape,
        title=title,
        return_kind=return_kind,
        pillar=pillar,
        **extra,
    )


def make_objective(cast, goal, what="Restore degraded hillsides", **extra):
    values = {"how_much": 500, "unit": "ha", "by_when": datetime.date(2030, 12, 31)}
    values.update(extra)
    return services.objective_save(
        actor=cast.editor, landscape=cast.landscape, goal_id=goal.pk, what=what, **values
    )


def make_strategy(cast, objective, title="Assisted natural regeneration"):
    return services.strategy_save(
        actor=cast.editor, landscape=cast.landscape, objective_id=objective.pk, title=title
    )


def make_action(cast, strategy, title="Fence the springs", **extra):
    return services.action_save(
        actor=cast.editor, landscape=cast.landscape, strategy_id=strategy.pk, title=title, **extra
    )


def make_indicator(cast, *, objective=None, goal=None, name="Forest cover", **extra):
    values = {"unit": "ha", "direction": "increase", "frequency": "yearly"}
    values.update(extra)
    return services.indicator_save(
        actor=cast.editor,
        landscape=cast.landscape,
        objective_id=objective.pk if objective else None,
        goal_id=goal.pk if goal else None,
        name=name,
        **values,
    )
