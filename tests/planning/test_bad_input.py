"""Bad input from the issue not covered elsewhere: circles of regulation between stakeholders, and
plans with thousands of actions (pages, API, map and exports stay usable)."""

from __future__ import annotations

import datetime
import json

import pytest

from landmosaic.core.errors import ValidationFailed
from landmosaic.planning import services
from landmosaic.planning.models import Action, StakeholderRelation
from landmosaic.planning.selectors.actions import MAP_LIMIT

from .conftest import API, POINT, add_stakeholder, client_for, make_goal, make_objective, make_strategy

MANY = 2_500


def _relate(cast, a, b, kind="regulates"):
    return services.relation_create(
        actor=cast.editor, landscape=cast.landscape, source_id=a.pk, target_id=b.pk, kind=kind
    )


def test_a_circle_of_regulation_is_refused_and_named(private_cast):
    landscape = private_cast.landscape
    ministry, basin, council = (
        add_stakeholder(landscape, n) for n in ("Ministry", "Basin office", "Council")
    )
    _relate(private_cast, ministry, basin)
    _relate(private_cast, basin, council)
    with pytest.raises(ValidationFailed) as info:
        _relate(private_cast, council, ministry)
    assert "Council → Ministry → Basin office → Council" in info.value.message
    assert info.value.code == "circular_relation" and "target" in info.value.details
    with pytest.raises(ValidationFailed, match="Basin office → Ministry → Basin office"):
        _relate(private_cast, basin, ministry)
    # Other kinds may close circles: funding and supplying go both ways in real landscapes.
    _relate(private_cast, council, ministry, kind="funds")
    _relate(private_cast, council, ministry, kind="other")
    assert StakeholderRelation.objects.filter(kind="regulates").count() == 2


def test_the_api_explains_a_circle_of_regulation(private_cast):
    landscape = private_cast.landscape
    a, b = add_stakeholder(landscape, "Agency"), add_stakeholder(landscape, "Farmers")
    _relate(private_cast, a, b)
    response = client_for(private_cast.editor).post(
        f"{API}/landscapes/{landscape.slug}/stakeholder-relations",
        {"source": b.pk, "target": a.pk, "kind": "regulates"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "circle of regulation" in response.json()["error"]["message"]


@pytest.fixture
def big_plan(private_cast):
    strategy = make_strategy(private_cast, make_objective(private_cast, make_goal(private_cast)))
    start = datetime.date(2025, 1, 1)
    Action.objects.bulk_create(
        Action(
            landscape=private_cast.landscape,
            strategy=strategy,
            title=f"Action {n:04d}",
            start_date=start,
            end_date=start + datetime.timedelta(days=n % 700),
            location=POINT,
        )
        for n in range(MANY)
    )
    return private_cast


def test_thousands_of_actions_are_paginated_on_the_page_and_in_the_api(big_plan):
    cast = big_plan
    client = client_for(cast.viewer)
    page = f"/landscapes/{cast.landscape.slug}/plan/actions/"
    html = client.get(page).content.decode()
    assert html.count("Action 0") + html.count("Action 1") + html.count("Action 2") < 200  # one page
    assert 'rel="next"' in html
    last = client.get(page, {"page": 9999})  # beyond the end: the last page, not an error
    assert last.status_code == 200 and 'rel="next"' not in last.content.decode()
    api = client.get(f"{API}/landscapes/{cast.landscape.slug}/plan/actions", {"page_size": 5000}).json()
    assert api["count"] == MANY and len(api["items"]) == 100 and api["pages"] == MANY // 100


def test_thousands_of_located_actions_the_map_draws_a_limit_and_says_so(big_plan):
    cast = big_plan
    client = client_for(cast.viewer)
    html = client.get(f"/landscapes/{cast.landscape.slug}/plan/actions/map/").content.decode()
    assert f"The map shows the first {MAP_LIMIT:,} of {MANY:,}" in html or (
        f"The map shows the first {MAP_LIMIT} of {MANY}" in html
    )
    data = client.get(f"{API}/landscapes/{cast.landscape.slug}/plan/actions.geojson").json()
    assert len(data["features"]) == MAP_LIMIT and data["numberMatched"] == MANY


def test_thousands_of_actions_export_and_print(
    big_plan, django_assert_max_num_queries, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    cast = big_plan
    client = client_for(cast.viewer)
    url = f"/landscapes/{cast.landscape.slug}/plan/export.json"
    # More actions than PLAN_EXPORT_SYNC_MAX_ACTIONS: a job writes the file, then it is served as kept.
    with django_capture_on_commit_callbacks(execute=True), django_assert_max_num_queries(20):
        assert client.get(url).status_code == 302
    with django_assert_max_num_queries(40):
        data = json.loads(client.get(url).content)
    assert len(data["actions"]) == MANY
    with django_assert_max_num_queries(40):
        response = client.get(f"/landscapes/{cast.landscape.slug}/plan/print/")
    assert response.status_code == 200 and response.content.decode().count("<tr>") >= MANY
