"""Every page of the plan, for every person, on private and public landscapes; the dashboard's links."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from landmosaic.planning import selectors, services
from tests.factories import OrganisationFactory

from .conftest import (
    INSIDE,
    POINT,
    client_for,
    make_action,
    make_goal,
    make_indicator,
    make_objective,
    make_strategy,
)

TODAY = timezone.localdate()


def _fill(cast):
    """A plan with something in every part."""
    landscape = cast.landscape
    services.agreement_version_create(
        actor=cast.editor,
        landscape=landscape,
        based_on=None,
        values="Trust",
        governance="Committee",
        roles="Everyone helps",
        decision_making="Consensus",
        start_date=datetime.date(2025, 1, 1),
    )
    services.agreement_publish(actor=cast.manager, landscape=landscape, number=1)
    org = OrganisationFactory(name="Hill farmers")
    services.signatory_add(actor=cast.editor, landscape=landscape, organisation_id=org.pk)
    services.vision_save(actor=cast.editor, landscape=landscape, statement="Green hills", horizon_year=2050)
    zone = services.zone_save(
        actor=cast.editor, landscape=landscape, name="Forest", kind="natural", geometry=INSIDE
    )
    goal = make_goal(cast, zone_ids=[zone.pk])
    objective = make_objective(cast, goal, zone_id=zone.pk)
    strategy = make_strategy(cast, objective)
    action = make_action(
        cast,
        strategy,
        lead_organisation_id=org.pk,
        budget=900,
        currency="USD",
        start_date=TODAY - datetime.timedelta(days=400),
        end_date=TODAY - datetime.timedelta(days=1),
        location=POINT,
        zone_id=zone.pk,
    )
    services.action_report(actor=cast.member, action=action, text="Going well")
    indicator = make_indicator(
        cast, objective=objective, baseline_value=0, target_value=10, method="Map", measured_by="Us"
    )
    services.measurement_add(actor=cast.member, indicator=indicator, value=4, date=TODAY)
    return {
        "zone": zone,
        "goal": goal,
        "objective": objective,
        "strategy": strategy,
        "action": action,
        "indicator": indicator,
    }


READ_PAGES = [
    "agreement/",
    "agreement/versions/1/",
    "agreement/versions/1/print/",
    "vision/",
    "actions/",
    "actions/map/",
    "tracker/",
    "actions/{action}/",
    "indicators/",
    "indicators/{indicator}/",
    "results/",
    "print/",
]
EDIT_PAGES = [
    "agreement/edit/",
    "vision/edit/",
    "zones/new/",
    "zones/{zone}/edit/",
    "goals/new/",
    "goals/{goal}/edit/",
    "objectives/new/",
    "objectives/{objective}/edit/",
    "strategies/new/",
    "strategies/{strategy}/edit/",
    "actions/new/",
    "actions/{action}/edit/",
    "indicators/new/",
    "indicators/{indicator}/edit/",
]


def _url(cast, page, objects):
    return f"/landscapes/{cast.landscape.slug}/plan/" + page.format(**{k: v.pk for k, v in objects.items()})


@pytest.mark.parametrize("person", ["anonymous", "outsider", "superuser", "viewer"])
def test_read_pages_of_a_private_landscape(private_cast, person):
    objects = _fill(private_cast)
    client = client_for(private_cast[person])
    for page in READ_PAGES:
        response = client.get(_url(private_cast, page, objects))
        expected = 200 if person == "viewer" else 404
        assert response.status_code == expected, (page, response.status_code)
        if expected == 404:
            assert private_cast.landscape.name not in response.content.decode()


def test_read_pages_of_a_public_landscape_are_public_but_hide_budgets_and_drafts(public_cast):
    objects = _fill(public_cast)
    services.agreement_version_create(
        actor=public_cast.editor, landscape=public_cast.landscape, based_on=1, funding="Secret draft"
    )
    client = client_for(public_cast.anonymous)
    for page in READ_PAGES:
        response = client.get(_url(public_cast, page, objects))
        assert response.status_code == 200, page
        html = response.content.decode()
        assert "Secret draft" not in html and "900" not in html, page
    assert client.get(_url(public_cast, "agreement/versions/2/", objects)).status_code == 404


@pytest.mark.parametrize(
    ("person", "status"), [("viewer", 403), ("member", 403), ("editor", 200), ("manager", 200)]
)
def test_edit_pages_are_for_editors(private_cast, person, status):
    objects = _fill(private_cast)
    client = client_for(private_cast[person])
    for page in EDIT_PAGES:
        assert client.get(_url(private_cast, page, objects)).status_code == status, page


def test_edit_pages_send_anonymous_people_to_sign_in(public_cast):
    objects = _fill(public_cast)
    response = client_for(public_cast.anonymous).get(_url(public_cast, "goals/new/", objects))
    assert response.status_code == 302 and "login" in response["Location"]


def test_pages_in_french(private_cast):
    objects = _fill(private_cast)
    client = client_for(private_cast.manager)
    for page in READ_PAGES + EDIT_PAGES:
        response = client.get(_url(private_cast, page, objects), HTTP_ACCEPT_LANGUAGE="fr")
        assert response.status_code == 200, page


def test_the_dashboard_reflects_the_plan_and_links_to_it(private_cast):
    _fill(private_cast)
    plan = selectors.plan_get(actor=private_cast.manager, landscape=private_cast.landscape)
    statuses = {code: plan.output(code).status for code in ("1.2", "3.1", "3.2", "3.4", "4.2", "5.1", "5.2")}
    assert statuses == {
        "1.2": "in_progress",  # agreed, but no signature yet
        "3.1": "in_progress",  # written, not agreed
        "3.2": "in_progress",  # one return of four
        "3.4": "complete",
        "4.2": "in_progress",  # the action is overdue
        "5.1": "in_progress",
        "5.2": "complete",
    }
    html = (
        client_for(private_cast.viewer)
        .get(f"/landscapes/{private_cast.landscape.slug}/plan/")
        .content.decode()
    )
    for page in ("agreement", "vision", "actions", "indicators"):
        assert f"/plan/{page}/" in html


def test_dashboard_queries_stay_constant_as_the_plan_grows(private_cast, django_assert_max_num_queries):
    client = client_for(private_cast.manager)
    url = f"/landscapes/{private_cast.landscape.slug}/plan/"
    objects = _fill(private_cast)
    client.get(url)
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    for i in range(5):
        make_action(private_cast, objects["strategy"], title=f"More {i}")
        make_indicator(private_cast, objective=objects["objective"], name=f"Indicator {i}")
    with django_assert_max_num_queries(40) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_action_plan_page_queries_stay_constant(private_cast, django_assert_max_num_queries):
    objects = _fill(private_cast)
    client = client_for(private_cast.viewer)
    url = f"/landscapes/{private_cast.landscape.slug}/plan/actions/"
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    for i in range(10):
        make_action(
            private_cast,
            objects["strategy"],
            title=f"More {i}",
            lead_organisation_id=OrganisationFactory().pk,
        )
    with django_assert_max_num_queries(40) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)
