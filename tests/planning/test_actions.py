"""Action plan (3.4) and tracker (4.2): actions, currency, locations, overdue, tracker views, statuses."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from landmosaic.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from landmosaic.planning import selectors, services
from landmosaic.planning.models import Action, validate_currency
from tests.factories import OrganisationFactory

from .conftest import API, INSIDE, POINT, client_for, make_action, make_goal, make_objective, make_strategy

TODAY = timezone.localdate()
PAST = TODAY - datetime.timedelta(days=30)
FUTURE = TODAY + datetime.timedelta(days=30)


@pytest.fixture
def strategy(private_cast):
    return make_strategy(private_cast, make_objective(private_cast, make_goal(private_cast)))


def _status(cast, code):
    return selectors.plan_get(actor=cast.manager, landscape=cast.landscape).output(code).suggestion


@pytest.mark.parametrize("code", ["USD", "EUR", "KES", "XOF", "TZS", "BRL"])
def test_currencies_in_use_are_accepted(code):
    validate_currency(code)


@pytest.mark.parametrize("code", ["usd", "US", "DOLLAR", "ABC", "DEM", "XXX", "", "12A"])
def test_other_currency_codes_are_refused(code):
    with pytest.raises(Exception, match="not a currency code"):
        validate_currency(code)


def test_budget_and_currency(private_cast, strategy):
    action = make_action(private_cast, strategy, budget="12500.50", currency="kes")
    assert action.budget == Decimal("12500.50") and action.currency == "KES"  # upper-cased
    with pytest.raises(ValidationFailed) as info:
        make_action(private_cast, strategy, budget=100, currency="DOLLARS")
    assert "currency" in info.value.details
    with pytest.raises(ValidationFailed, match="currency of the budget"):
        make_action(private_cast, strategy, budget=100)
    with pytest.raises(ValidationFailed, match="zero or more"):
        make_action(private_cast, strategy, budget=-5, currency="USD")
    with pytest.raises(ValidationFailed, match="end must be on or after"):
        make_action(private_cast, strategy, start_date=FUTURE, end_date=PAST)
    assert Action.objects.count() == 1


def test_locations_are_points_or_valid_areas_in_the_landscape(private_cast, strategy):
    assert make_action(private_cast, strategy, location=POINT).location == POINT
    assert make_action(private_cast, strategy, location=INSIDE).location["type"] == "Polygon"
    with pytest.raises(ValidationFailed, match="outside the landscape"):
        make_action(private_cast, strategy, location={"type": "Point", "coordinates": [10, 10]})
    with pytest.raises(ValidationFailed):
        make_action(private_cast, strategy, location={"type": "Point", "coordinates": [500, 10]})
    with pytest.raises(ValidationFailed, match="point or an area"):
        make_action(
            private_cast,
            strategy,
            location={"type": "LineString", "coordinates": [[36.1, -8.1], [36.11, -8.1]]},
        )


def test_lead_is_not_also_a_partner_and_ids_stay_in_the_landscape(private_cast, public_cast, strategy):
    lead, partner = OrganisationFactory(), OrganisationFactory()
    action = make_action(
        private_cast, strategy, lead_organisation_id=lead.pk, partner_ids=[lead.pk, partner.pk]
    )
    assert list(action.partners.all()) == [partner]
    foreign = make_strategy(public_cast, make_objective(public_cast, make_goal(public_cast)))
    with pytest.raises(ValidationFailed, match="strategy of this landscape"):
        make_action(private_cast, foreign)
    with pytest.raises(ValidationFailed, match="organisations that are on the platform"):
        make_action(private_cast, strategy, partner_ids=[999_999])


def test_members_report_progress_editors_plan(private_cast, strategy):
    action = make_action(private_cast, strategy)
    with pytest.raises(Forbidden):
        services.action_save(
            actor=private_cast.member, landscape=private_cast.landscape, strategy_id=strategy.pk, title="x"
        )
    with pytest.raises(Forbidden):
        services.action_report(actor=private_cast.viewer, action=action, text="Fences are up")
    note = services.action_report(
        actor=private_cast.member, action=action, text="Fences are up", status="in_progress"
    )
    action.refresh_from_db()
    assert (
        action.status == "in_progress" and note.status == "in_progress" and note.author == private_cast.member
    )
    with pytest.raises(ValidationFailed):
        services.action_report(actor=private_cast.member, action=action, status="in_progress")  # nothing new
    with pytest.raises(ValidationFailed):
        services.action_report(actor=private_cast.member, action=action, status="finished")


def test_overdue_means_end_passed_and_not_done(private_cast, strategy):
    late = make_action(private_cast, strategy, title="Late", start_date=PAST, end_date=PAST)
    done = make_action(private_cast, strategy, title="Done", start_date=PAST, end_date=PAST, status="done")
    cancelled = make_action(private_cast, strategy, title="Off", end_date=PAST, status="cancelled")
    today_ends = make_action(private_cast, strategy, title="Today", end_date=TODAY)
    undated = make_action(private_cast, strategy, title="Undated")
    assert late.is_overdue(TODAY)
    assert not any(a.is_overdue(TODAY) for a in (done, cancelled, today_ends, undated))
    tracker = selectors.tracker_get(actor=private_cast.viewer, landscape=private_cast.landscape, today=TODAY)
    assert [a.title for a in tracker.overdue] == ["Late"] and tracker.overdue_count == 1
    listed = selectors.action_list(
        actor=private_cast.viewer, landscape=private_cast.landscape, today=TODAY, overdue=True
    )
    assert [a.title for a in listed] == ["Late"]


def test_tracker_by_goal_organisation_and_zone(private_cast):
    landscape = private_cast.landscape
    zone = services.zone_save(
        actor=private_cast.editor, landscape=landscape, name="Forest", kind="natural", geometry=INSIDE
    )
    forests = make_strategy(private_cast, make_objective(private_cast, make_goal(private_cast, "Forests")))
    farms = make_strategy(
        private_cast,
        make_objective(private_cast, make_goal(private_cast, "Farms", "financial", "production")),
    )
    lead, partner = OrganisationFactory(name="Alpha"), OrganisationFactory(name="Beta")
    make_action(
        private_cast,
        forests,
        lead_organisation_id=lead.pk,
        partner_ids=[partner.pk],
        zone_id=zone.pk,
        status="done",
    )
    make_action(private_cast, forests, lead_organisation_id=lead.pk, end_date=PAST)
    make_action(private_cast, farms, status="delayed")
    tracker = selectors.tracker_get(actor=private_cast.viewer, landscape=landscape, today=TODAY)
    assert tracker.total == 3 and tracker.totals["done"] == 1 and tracker.totals["delayed"] == 1
    by_goal = {g.label: g for g in tracker.by_goal}
    assert by_goal["Forests"].total == 2 and by_goal["Forests"].done == 1 and by_goal["Forests"].overdue == 1
    by_org = {g.label: g for g in tracker.by_organisation}
    assert (
        by_org["Alpha"].total == 2 and by_org["Beta"].total == 1 and by_org["No lead organisation"].total == 1
    )
    by_zone = {g.label: g for g in tracker.by_zone}
    assert by_zone["Forest"].total == 1 and by_zone["No zone"].total == 2


def test_automatic_statuses_of_3_4_and_4_2(private_cast):
    landscape = private_cast.landscape
    objective = make_objective(private_cast, make_goal(private_cast))
    strategy = make_strategy(private_cast, objective)
    assert _status(private_cast, "3.4").status == "not_started"
    action = make_action(private_cast, strategy)
    assert _status(private_cast, "3.4").status == "in_progress"
    assert _status(private_cast, "4.2").status == "not_started"
    lead = OrganisationFactory()
    services.action_save(
        actor=private_cast.editor,
        landscape=landscape,
        action=action,
        lead_organisation_id=lead.pk,
        start_date=PAST,
        end_date=FUTURE,
    )
    assert _status(private_cast, "3.4").status == "complete"
    make_objective(private_cast, objective.goal, what="Another objective")
    assert _status(private_cast, "3.4").status == "in_progress"  # an objective without actions
    services.action_report(actor=private_cast.member, action=action, text="Started")
    assert _status(private_cast, "4.2").status == "in_progress"  # not on the map yet
    services.action_save(actor=private_cast.editor, landscape=landscape, action=action, location=POINT)
    assert _status(private_cast, "4.2").status == "complete"
    services.action_save(
        actor=private_cast.editor, landscape=landscape, action=action, start_date=PAST, end_date=PAST
    )
    suggestion = _status(private_cast, "4.2")
    assert suggestion.status == "in_progress" and "overdue" in " ".join(suggestion.reasons)


def test_strategy_with_actions_cannot_be_deleted(private_cast, strategy):
    make_action(private_cast, strategy)
    with pytest.raises(Conflict):
        services.strategy_delete(actor=private_cast.editor, strategy=strategy)


# --- API and pages -----------------------------------------------------------------------------


def test_budgets_are_for_members_on_a_public_landscape(public_cast):
    strategy = make_strategy(public_cast, make_objective(public_cast, make_goal(public_cast)))
    make_action(public_cast, strategy, budget=1000, currency="USD", location=POINT)
    url = f"{API}/landscapes/{public_cast.landscape.slug}/plan/actions"
    public = client_for(public_cast.anonymous).get(url).json()
    assert public["items"][0]["budget"] is None and public["items"][0]["currency"] == ""
    member = client_for(public_cast.viewer).get(url).json()
    assert member["items"][0]["budget"] == "1000.00" and member["items"][0]["currency"] == "USD"
    html = (
        client_for(public_cast.anonymous)
        .get(f"/landscapes/{public_cast.landscape.slug}/plan/actions/")
        .content.decode()
    )
    assert "1,000" not in html and "1000" not in html


def test_actions_api(private_cast, strategy):
    base = f"{API}/landscapes/{private_cast.landscape.slug}/plan"
    editor = client_for(private_cast.editor)
    created = editor.post(
        f"{base}/actions",
        data={
            "strategy_id": strategy.pk,
            "title": "Plant 10,000 trees",
            "budget": "5000",
            "currency": "TZS",
            "start_date": str(PAST),
            "end_date": str(PAST),
            "location": POINT,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    action_id = created.json()["id"]
    assert created.json()["overdue"] is True
    bad = editor.post(
        f"{base}/actions",
        data={"strategy_id": strategy.pk, "title": "x", "budget": "5", "currency": "ZZZ"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "currency" in bad.json()["error"]["details"]
    member = client_for(private_cast.member)
    assert (
        member.patch(
            f"{base}/actions/{action_id}", data={"title": "y"}, content_type="application/json"
        ).status_code
        == 403
    )
    reported = member.post(
        f"{base}/actions/{action_id}/notes",
        data={"text": "Half planted", "status": "done"},
        content_type="application/json",
    )
    assert reported.status_code == 201
    assert client_for(private_cast.viewer).get(f"{base}/actions/{action_id}").json()["status"] == "done"
    tracker = client_for(private_cast.viewer).get(f"{base}/tracker").json()
    assert tracker["totals"]["done"] == 1 and tracker["overdue_count"] == 0
    geo = client_for(private_cast.viewer).get(f"{base}/actions.geojson").json()
    assert geo["features"][0]["geometry"] == POINT
    assert client_for(private_cast.outsider).get(f"{base}/actions").status_code == 404
    assert client_for(private_cast.superuser).get(f"{base}/tracker").status_code == 404


def test_action_plan_pages(private_cast, strategy):
    slug = private_cast.landscape.slug
    make_action(private_cast, strategy, title="Late fencing", start_date=PAST, end_date=PAST)
    viewer = client_for(private_cast.viewer)
    plan = viewer.get(f"/landscapes/{slug}/plan/actions/").content.decode()
    assert "Late fencing" in plan and "overdue" in plan.lower() and "<svg" in plan
    tracker = viewer.get(f"/landscapes/{slug}/plan/tracker/").content.decode()
    assert "Late fencing" in tracker
    assert viewer.get(f"/landscapes/{slug}/plan/actions/map/").status_code == 200
    for person in ("anonymous", "outsider", "superuser"):
        assert client_for(private_cast[person]).get(f"/landscapes/{slug}/plan/actions/").status_code == 404
        assert client_for(private_cast[person]).get(f"/landscapes/{slug}/plan/tracker/").status_code == 404
    editor = client_for(private_cast.editor)
    created = editor.post(
        f"/landscapes/{slug}/plan/actions/new/",
        {
            "strategy": strategy.pk,
            "title": "Nursery",
            "status": "planned",
            "currency": "EUX",
            "budget": "10",
        },
    )
    assert created.status_code == 400 and "currency code" in created.content.decode()


def test_action_not_found_in_another_landscape(private_cast, public_cast):
    strategy = make_strategy(public_cast, make_objective(public_cast, make_goal(public_cast)))
    action = make_action(public_cast, strategy)
    with pytest.raises(NotFound):
        selectors.action_get(
            actor=private_cast.manager, landscape=private_cast.landscape, action_id=action.pk
        )
