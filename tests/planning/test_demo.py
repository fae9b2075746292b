"""The demo valley's ILM dashboard is partly filled: what a newcomer should see is really there."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from shapely.geometry import shape

from landmosaic.landscapes.models import Landscape
from landmosaic.planning import selectors
from landmosaic.planning.models import AgreementVersion, Measurement, Zone


@pytest.fixture
def valley(settings, tmp_path) -> Landscape:
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=StringIO())
    return Landscape.objects.get(slug="kilombero-valley")


@pytest.mark.django_db
def test_demo_dashboard_is_partly_filled(valley):
    editor = valley.memberships.get(role="editor").user
    gaps = [c.code for c in selectors.stakeholder_checks(actor=editor, landscape=valley) if not c.ok]
    # The visible inclusion gaps a facilitator should act on.
    assert "youth" in gaps and "private_engaged" in gaps
    assert selectors.relation_list(actor=editor, landscape=valley).count() >= 4

    versions = AgreementVersion.objects.filter(landscape=valley)
    assert [v.state for v in versions] == [AgreementVersion.State.DRAFT]
    assert valley.agreement_signatories.count() == 3

    boundary = shape(valley.boundary_geojson)
    zones = Zone.objects.filter(landscape=valley)
    assert sorted(z.kind for z in zones) == ["combined", "economic", "natural"]
    assert all(boundary.contains(shape(z.geometry)) and z.area_ha > 1000 for z in zones)
    goals = selectors.goal_list(actor=AnonymousUser(), landscape=valley)
    assert {g.return_kind for g in goals} >= {"natural", "financial", "social"}
    assert any(g.zones.exists() for g in goals)

    tracker = selectors.tracker_get(actor=AnonymousUser(), landscape=valley, today=timezone.localdate())
    assert tracker.total == 4 and tracker.overdue_count == 1

    results = selectors.results_get(actor=AnonymousUser(), landscape=valley)
    measured = [r for r in results.returns if r.indicators]
    assert {r.code for r in measured} >= {"natural", "financial"}
    computed = Measurement.objects.get(indicator__landscape=valley, computed=True)
    assert computed.value == 36 and "Tree planting survey" in computed.source  # the form's records
    plan = selectors.plan_get(actor=AnonymousUser(), landscape=valley)
    statuses = {o.code: o.status for e in plan.elements for o in e.outputs}
    assert statuses["1.1"] == "in_progress" and statuses["1.2"] == "in_progress"
    assert statuses["3.1"] == "complete" and statuses["5.1"] == "in_progress"
    assert statuses["2.2"] == "not_started"  # partly filled: much is left to do


@pytest.mark.django_db
def test_demo_plan_pages_answer_to_the_public(valley):
    client = Client()
    for part in ("", "vision/", "actions/", "tracker/", "indicators/", "results/"):
        response = client.get(f"/landscapes/{valley.slug}/plan/{part}")
        assert response.status_code == 200, part
    assert b"Kilombero wetland core" in client.get(f"/landscapes/{valley.slug}/plan/vision/").content
