"""The ILM dashboard: suggested statuses from what exists, confirmations and overrides, progress."""

from __future__ import annotations

import pytest

from landmosaic.core.errors import Forbidden, NotFound, ValidationFailed
from landmosaic.core.models import AuditEvent
from landmosaic.landscapes.models import Landscape
from landmosaic.planning import selectors, services
from landmosaic.planning.models import OutputStatus, StakeholderRelation
from tests.factories import LandscapeFactory, OrganisationFactory

from .conftest import API, PEOPLE, add_stakeholder, client_for


def _plan(cast, person="manager"):
    return selectors.plan_get(actor=cast[person], landscape=cast.landscape)


def test_a_polygon_boundary_suggests_map_in_progress(private_cast):
    plan = _plan(private_cast)
    assert plan.output("2.1").suggestion.status == "in_progress"
    assert plan.output("2.1").status == "in_progress"
    assert plan.output("2.1").record is None  # nobody has confirmed anything


def test_no_boundary_or_a_point_is_not_a_map(private_cast):
    landscape = private_cast.landscape
    Landscape.objects.filter(pk=landscape.pk).update(boundary_kind="point")
    landscape.refresh_from_db()
    assert _plan(private_cast).output("2.1").status == "not_started"
    Landscape.objects.filter(pk=landscape.pk).update(boundary_kind="none", boundary_geojson=None)
    landscape.refresh_from_db()
    view = _plan(private_cast).output("2.1")
    assert view.status == "not_started"
    assert "no boundary" in " ".join(view.suggestion.reasons)


def test_stakeholders_relations_and_lead_organisation_update_the_dashboard(private_cast):
    landscape = private_cast.landscape
    assert _plan(private_cast).output("1.1").status == "not_started"
    a = add_stakeholder(landscape, "Water users' association")
    b = add_stakeholder(landscape, "Irrigation agency", sector="public")
    StakeholderRelation.objects.create(landscape=landscape, source=b, target=a, kind="regulates")
    landscape.partnership.lead_organisation = OrganisationFactory()
    landscape.partnership.save()
    plan = _plan(private_cast)
    assert plan.output("1.1").status == "in_progress"
    assert plan.output("2.4").status == "in_progress"
    assert plan.output("1.3").status == "in_progress"


def test_an_inclusive_register_suggests_1_1_complete(private_cast, inclusive_register):
    view = _plan(private_cast).output("1.1")
    assert view.suggestion.status == "complete"
    assert view.done


def test_element_progress_counts_complete_and_validated_outputs(private_cast):
    landscape = private_cast.landscape
    manager = private_cast.manager
    for code in ("2.1", "2.2"):
        services.output_update(
            actor=manager, landscape=landscape, code=code, status="complete", reason="Done"
        )
    services.output_update(
        actor=manager, landscape=landscape, code="2.3", status="validated", reason="Peer review"
    )
    services.output_update(
        actor=manager, landscape=landscape, code="1.1", status="in_progress", reason="Started"
    )
    plan = _plan(private_cast)
    element2 = plan.elements[1]
    assert (element2.complete, element2.total, element2.progress, element2.percent) == (3, 4, 0.75, 75)
    element1 = plan.elements[0]
    assert (element1.complete, element1.total, element1.progress) == (0, 4, 0.0)
    assert [e.total for e in plan.elements] == [4, 4, 4, 4, 4]


def test_next_steps_put_work_in_progress_first(private_cast):
    plan = _plan(private_cast)
    codes = [o.code for o in plan.next_steps]
    assert codes[0] == "2.1"  # in progress thanks to the boundary
    assert codes[1:] == ["1.1", "1.2"]
    # work in progress gets its second step: the boundary is already drawn
    assert "land use" in plan.next_steps[0].next_step


def test_editor_confirms_the_suggestion_but_cannot_override(private_cast):
    landscape, editor = private_cast.landscape, private_cast.editor
    record = services.output_update(actor=editor, landscape=landscape, code="2.1", status="in_progress")
    assert record.status == "in_progress" and record.confirmed_by == editor and record.confirmed_at
    view = _plan(private_cast).output("2.1")
    assert view.confirmed == "in_progress" and not view.differs
    with pytest.raises(Forbidden):
        services.output_update(actor=editor, landscape=landscape, code="2.1", status="complete", reason="Yes")
    assert OutputStatus.objects.get(landscape=landscape, output__code="2.1").status == "in_progress"


def test_manager_override_needs_a_reason_and_shows_both_statuses(private_cast):
    landscape, manager = private_cast.landscape, private_cast.manager
    with pytest.raises(ValidationFailed) as excinfo:
        services.output_update(actor=manager, landscape=landscape, code="2.1", status="complete")
    assert "reason" in excinfo.value.details
    services.output_update(
        actor=manager,
        landscape=landscape,
        code="2.1",
        status="complete",
        reason="Our land-use map is in QGIS",
    )
    view = _plan(private_cast).output("2.1")
    assert (view.status, view.suggestion.status, view.confirmed, view.differs) == (
        "complete",
        "in_progress",
        "complete",
        True,
    )
    assert view.record.reason == "Our land-use map is in QGIS"
    # Going back to the suggestion undoes an override: a manager's call too.
    with pytest.raises(Forbidden):
        services.output_update(actor=private_cast.editor, landscape=landscape, code="2.1", status=None)
    services.output_update(actor=manager, landscape=landscape, code="2.1", status=None)
    view = _plan(private_cast).output("2.1")
    assert (view.status, view.confirmed, view.record.confirmed_by) == ("in_progress", "", None)
    assert (
        AuditEvent.objects.filter(
            landscape_id=landscape.pk, object_type="ilm_output", object_id="2.1"
        ).count()
        == 2
    )


def test_notes_and_evidence_are_editors_work(private_cast):
    landscape = private_cast.landscape
    with pytest.raises(Forbidden):
        services.output_update(actor=private_cast.member, landscape=landscape, code="1.2", notes="Draft")
    services.output_update(
        actor=private_cast.editor,
        landscape=landscape,
        code="1.2",
        notes="Draft circulated",
        evidence=[
            {"title": "Draft agreement", "url": "https://example.org/agreement.pdf"},
            {"title": "Boundary page", "url": f"/landscapes/{landscape.slug}/boundary/"},
        ],
    )
    view = _plan(private_cast).output("1.2")
    assert view.record.notes == "Draft circulated"
    assert [(e.title, e.is_internal) for e in view.evidence] == [
        ("Draft agreement", False),
        ("Boundary page", True),
    ]
    assert view.status == "not_started"  # notes and evidence do not change the status


@pytest.mark.parametrize("url", ["javascript:alert(1)", "//evil.example/x", "ftp://x.org/f", "/a b", ""])
def test_evidence_links_must_be_web_addresses_or_site_paths(private_cast, url):
    with pytest.raises(ValidationFailed):
        services.output_evidence_add(
            actor=private_cast.editor, landscape=private_cast.landscape, code="2.1", title="Link", url=url
        )
    assert not OutputStatus.objects.filter(landscape=private_cast.landscape).exclude(evidence=None).exists()


def test_unknown_output_or_status(private_cast):
    with pytest.raises(NotFound, match=r"no output 9\.9"):
        services.output_update(
            actor=private_cast.manager, landscape=private_cast.landscape, code="9.9", notes="x"
        )
    with pytest.raises(ValidationFailed):
        services.output_update(
            actor=private_cast.manager,
            landscape=private_cast.landscape,
            code="2.1",
            status="done",
            reason="x",
        )


# --- API ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("person", PEOPLE)
def test_plan_api_of_a_private_landscape_is_for_members(private_cast, person):
    response = client_for(private_cast[person]).get(f"{API}/landscapes/{private_cast.landscape.slug}/plan")
    if person in ("anonymous", "outsider", "superuser"):
        assert response.status_code == 404
        assert private_cast.landscape.name not in response.content.decode()
    else:
        assert response.status_code == 200
        body = response.json()
        assert [e["code"] for e in body["elements"]] == ["1", "2", "3", "4", "5"]
        assert sum(len(e["outputs"]) for e in body["elements"]) == 20


def test_plan_api_of_a_public_landscape_is_for_everyone(public_cast):
    body = client_for(public_cast.anonymous).get(f"{API}/landscapes/{public_cast.landscape.slug}/plan").json()
    output = body["elements"][1]["outputs"][0]
    assert output["code"] == "2.1" and output["status"] == "in_progress" and output["confirmed"] is None
    assert body["allowed_actions"] == ["view"] and body["output_actions"] == ["view"]
    assert body["next_steps"][0]["code"] == "2.1"


def test_plan_api_speaks_the_callers_language(public_cast):
    body = (
        client_for(public_cast.anonymous)
        .get(f"{API}/landscapes/{public_cast.landscape.slug}/plan", HTTP_ACCEPT_LANGUAGE="pt")
        .json()
    )
    assert body["elements"][0]["name"] == "Parceria de paisagem"


@pytest.mark.parametrize(
    "person,payload,status",
    [
        ("anonymous", {"status": "in_progress"}, 401),
        ("outsider", {"status": "in_progress"}, 403),  # the public dashboard is visible, not editable
        ("viewer", {"notes": "x"}, 403),
        ("editor", {"status": "in_progress"}, 200),  # confirms the suggestion
        ("editor", {"status": "complete", "reason": "x"}, 403),  # an override
        ("manager", {"status": "complete"}, 400),  # an override needs a reason
        ("manager", {"status": "complete", "reason": "Map finished"}, 200),
        ("manager", {"status": "finished", "reason": "x"}, 422),
    ],
)
def test_patch_output_per_role(public_cast, person, payload, status):
    response = client_for(public_cast[person]).patch(
        f"{API}/landscapes/{public_cast.landscape.slug}/plan/outputs/2.1",
        payload,
        content_type="application/json",
    )
    assert response.status_code == status, response.content
    if status == 200:
        assert response.json()["status"] == payload["status"]


def test_patch_output_replaces_evidence_and_hides_names_from_the_public(public_cast):
    url = f"{API}/landscapes/{public_cast.landscape.slug}/plan/outputs/2.2"
    manager = client_for(public_cast.manager)
    body = manager.patch(
        url,
        {
            "status": "complete",
            "reason": "Trend report done",
            "notes": "See report",
            "evidence": [{"title": "Trend report", "url": "https://example.org/trends"}],
        },
        content_type="application/json",
    ).json()
    assert body["confirmed"]["by"] == public_cast.manager.display_name
    assert [e["title"] for e in body["evidence"]] == ["Trend report"]
    body = manager.patch(url, {"evidence": []}, content_type="application/json").json()
    assert body["evidence"] == [] and body["status"] == "complete" and body["notes"] == "See report"
    public = (
        client_for(public_cast.anonymous).get(f"{API}/landscapes/{public_cast.landscape.slug}/plan").json()
    )
    output = public["elements"][1]["outputs"][1]
    assert output["confirmed"]["status"] == "complete" and output["confirmed"]["by"] is None
    assert public["elements"][1]["complete"] == 1 and public["elements"][1]["progress"] == 0.25


def test_unknown_output_code_is_404(private_cast):
    response = client_for(private_cast.manager).patch(
        f"{API}/landscapes/{private_cast.landscape.slug}/plan/outputs/7.7",
        {"notes": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404


# --- Pages -------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["plan/", "plan/outputs/2.1/"])
@pytest.mark.parametrize("person", ["anonymous", "outsider", "superuser"])
def test_private_dashboard_pages_are_404(private_cast, page, person):
    response = client_for(private_cast[person]).get(f"/landscapes/{private_cast.landscape.slug}/{page}")
    assert response.status_code == 404
    assert private_cast.landscape.name not in response.content.decode()


def test_dashboard_page_shows_elements_progress_and_next_steps(public_cast):
    html = (
        client_for(public_cast.anonymous)
        .get(f"/landscapes/{public_cast.landscape.slug}/plan/")
        .content.decode()
    )
    assert "Landscape Partnership" in html and "Impact and Learning" in html
    assert html.count("<progress") == 5
    assert "What to do next" in html
    assert "Stakeholders</a>" not in html  # the register is for members only


def test_dashboard_page_in_french(public_cast):
    client = client_for(public_cast.viewer)
    html = client.get(
        f"/landscapes/{public_cast.landscape.slug}/plan/", HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "Partenariat de paysage" in html


def test_dashboard_queries_do_not_grow_with_content(public_cast, django_assert_max_num_queries):
    client = client_for(public_cast.manager)
    url = f"/landscapes/{public_cast.landscape.slug}/plan/"
    services.output_update(actor=public_cast.manager, landscape=public_cast.landscape, code="5.1", notes="x")
    client.get(url)
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    for i in range(30):
        add_stakeholder(public_cast.landscape, f"Stakeholder {i}")
    for code in ("1.1", "1.2", "2.2", "3.1"):
        services.output_update(
            actor=public_cast.manager,
            landscape=public_cast.landscape,
            code=code,
            status="complete",
            reason="x",
            evidence=[{"title": "Doc", "url": "https://example.org"}],
        )
    with django_assert_max_num_queries(30) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_output_page_forms_follow_the_role(private_cast):
    url = f"/landscapes/{private_cast.landscape.slug}/plan/outputs/2.1/"
    viewer_html = client_for(private_cast.viewer).get(url).content.decode()
    assert 'name="form" value="status"' not in viewer_html and 'value="evidence"' not in viewer_html
    editor_html = client_for(private_cast.editor).get(url).content.decode()
    assert 'value="status"' in editor_html and 'value="evidence"' in editor_html
    assert '<option value="complete"' not in editor_html  # editors may only confirm the suggestion
    manager_html = client_for(private_cast.manager).get(url).content.decode()
    assert '<option value="validated"' in manager_html


def test_output_page_posts(private_cast):
    url = f"/landscapes/{private_cast.landscape.slug}/plan/outputs/2.1/"
    manager = client_for(private_cast.manager)
    response = manager.post(url, {"form": "status", "status": "complete", "reason": ""})
    assert response.status_code == 400 and "Say why" in response.content.decode()
    response = manager.post(url, {"form": "status", "status": "complete", "reason": "Done in QGIS"})
    assert response.status_code == 302
    manager.post(url, {"form": "evidence", "title": "Land-use map", "url": "https://example.org/map"})
    manager.post(url, {"form": "notes", "notes": "Ask the district for rivers"})
    html = manager.get(url).content.decode()
    assert "Land-use map" in html and "Ask the district for rivers" in html and "Done in QGIS" in html
    evidence = OutputStatus.objects.get(landscape=private_cast.landscape, output__code="2.1").evidence.get()
    viewer = client_for(private_cast.viewer)
    assert viewer.post(f"{url}evidence/{evidence.pk}/remove/").status_code == 403
    assert manager.post(f"{url}evidence/{evidence.pk}/remove/").status_code == 302
    assert not OutputStatus.objects.get(
        landscape=private_cast.landscape, output__code="2.1"
    ).evidence.exists()


def test_landscape_page_links_to_the_plan(private_cast):
    html = client_for(private_cast.viewer).get(f"/landscapes/{private_cast.landscape.slug}/").content.decode()
    assert f"/landscapes/{private_cast.landscape.slug}/plan/" in html


def test_statuses_of_one_landscape_do_not_leak_into_another(private_cast):
    other = LandscapeFactory(visibility="public")
    services.output_update(
        actor=private_cast.manager,
        landscape=private_cast.landscape,
        code="3.1",
        status="complete",
        reason="x",
    )
    plan = selectors.plan_get(actor=private_cast.anonymous, landscape=other)
    assert plan.output("3.1").status == "not_started"


def test_editors_see_but_cannot_touch_a_managers_override(private_cast):
    services.output_update(
        actor=private_cast.manager,
        landscape=private_cast.landscape,
        code="2.1",
        status="validated",
        reason="Peer review",
    )
    html = (
        client_for(private_cast.editor)
        .get(f"/landscapes/{private_cast.landscape.slug}/plan/outputs/2.1/")
        .content
    )
    assert b'value="status"' not in html and b"only a manager can change it" in html
    assert b"Peer review" in html
