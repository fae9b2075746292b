"""The stakeholder register through the API and the pages, as every kind of person."""

from __future__ import annotations

import re

import pytest

from landmosaic.core.errors import Conflict, ValidationFailed
from landmosaic.core.models import AuditEvent
from landmosaic.planning import selectors, services
from landmosaic.planning.models import Stakeholder, StakeholderRelation
from tests.factories import LandscapeFactory, OrganisationFactory

from .conftest import API, MEMBERS, PEOPLE, add_stakeholder, client_for

NEW = {
    "name": "Lake fishers' cooperative",
    "sector": "community",
    "type": "Cooperative",
    "role": "Fish the lake; manage the landing sites",
    "contact": "chair@fishers.example",
    "influence": 2,
    "interest": 5,
    "participation": "involve",
    "represents": ["smallholders", "women"],
}


def _url(cast, rest=""):
    return f"{API}/landscapes/{cast.landscape.slug}/stakeholders{rest}"


@pytest.mark.parametrize("person", PEOPLE)
def test_private_register_is_404_for_non_members(private_cast, person):
    stakeholder = add_stakeholder(private_cast.landscape, "Secret group")
    client = client_for(private_cast[person])
    responses = [
        client.get(_url(private_cast)),
        client.get(_url(private_cast, f"/{stakeholder.pk}")),
        client.get(_url(private_cast, "/checks")),
        client.get(f"{API}/landscapes/{private_cast.landscape.slug}/stakeholder-relations"),
    ]
    for page in ("", f"{stakeholder.pk}/", "grid/", "relations/"):
        responses.append(client.get(f"/landscapes/{private_cast.landscape.slug}/plan/stakeholders/{page}"))
    for response in responses:
        if person in MEMBERS:
            assert response.status_code == 200, response.request["PATH_INFO"]
        else:
            assert response.status_code == 404, response.request["PATH_INFO"]
            assert "Secret group" not in response.content.decode()


@pytest.mark.parametrize("person", ["anonymous", "outsider", "superuser"])
def test_register_of_a_public_landscape_stays_with_members(public_cast, person):
    stakeholder = add_stakeholder(public_cast.landscape, "Community forest group")
    client = client_for(public_cast[person])
    # The landscape is public, so its register is known to exist; its content is not shown.
    listing = client.get(_url(public_cast))
    assert listing.status_code == 403
    assert "Community forest group" not in listing.content.decode()
    # One answer for every id, existing or not: nothing to learn by probing.
    assert client.get(_url(public_cast, f"/{stakeholder.pk}")).status_code == 403
    assert client.get(_url(public_cast, f"/{stakeholder.pk + 1000}")).status_code == 403
    page = client.get(f"/landscapes/{public_cast.landscape.slug}/plan/stakeholders/")
    assert page.status_code == 403 and "Community forest group" not in page.content.decode()


def test_contacts_are_shown_to_members_not_viewers(private_cast):
    add_stakeholder(private_cast.landscape, "Ministry of water", contact="+255 22 000 000")
    viewer = client_for(private_cast.viewer).get(_url(private_cast)).json()["items"][0]
    assert viewer["contact"] is None and viewer["name"] == "Ministry of water"
    member = client_for(private_cast.member).get(_url(private_cast)).json()["items"][0]
    assert member["contact"] == "+255 22 000 000"
    page = f"/landscapes/{private_cast.landscape.slug}/plan/stakeholders/"
    assert "+255 22 000 000" not in client_for(private_cast.viewer).get(page).content.decode()
    assert "+255 22 000 000" in client_for(private_cast.member).get(page).content.decode()


@pytest.mark.parametrize(
    "person,status",
    [
        ("anonymous", 401),
        ("viewer", 403),
        ("member", 403),
        ("editor", 201),
        ("manager", 201),
        ("superuser", 404),
    ],
)
def test_create_needs_editor(private_cast, person, status):
    response = client_for(private_cast[person]).post(_url(private_cast), NEW, content_type="application/json")
    assert response.status_code == status, response.content
    assert Stakeholder.objects.filter(landscape=private_cast.landscape).exists() == (status == 201)
    if status == 201:
        body = response.json()
        assert body["quadrant"] == "keep_informed" and body["strategy"] == "Keep informed"
        assert body["represents"] == ["smallholders", "women"]
        assert "change" in body["allowed_actions"]


def test_editor_crud_through_the_api(private_cast):
    client = client_for(private_cast.editor)
    org = OrganisationFactory()
    created = client.post(
        _url(private_cast), {**NEW, "organisation_id": org.pk}, content_type="application/json"
    )
    pk = created.json()["id"]
    assert created.json()["organisation"]["slug"] == org.slug
    patched = client.patch(
        _url(private_cast, f"/{pk}"),
        {"influence": 4, "participation": "collaborate"},
        content_type="application/json",
    ).json()
    assert (patched["influence"], patched["quadrant"], patched["participation"]) == (
        4,
        "manage_closely",
        "collaborate",
    )
    assert patched["name"] == NEW["name"]  # untouched fields stay
    assert client.delete(_url(private_cast, f"/{pk}")).status_code == 204
    assert not Stakeholder.objects.filter(pk=pk).exists()
    actions = set(
        AuditEvent.objects.filter(
            landscape_id=private_cast.landscape.pk, object_type="stakeholder"
        ).values_list("action", flat=True)
    )
    assert actions == {"create", "update", "delete"}


@pytest.mark.parametrize("person,status", [("viewer", 403), ("member", 403), ("editor", 200)])
def test_patch_and_delete_per_role(private_cast, person, status):
    stakeholder = add_stakeholder(private_cast.landscape, "Tea estate", sector="private")
    client = client_for(private_cast[person])
    response = client.patch(
        _url(private_cast, f"/{stakeholder.pk}"), {"interest": 1}, content_type="application/json"
    )
    assert response.status_code == status
    assert client.delete(_url(private_cast, f"/{stakeholder.pk}")).status_code == (
        204 if status == 200 else 403
    )


@pytest.mark.parametrize(
    "payload",
    [
        {**NEW, "influence": 6},
        {**NEW, "sector": "government"},
        {**NEW, "represents": ["elders"]},
        {**NEW, "participation": "ignore"},
        {**NEW, "name": ""},
    ],
)
def test_bad_input_is_refused(private_cast, payload):
    response = client_for(private_cast.editor).post(
        _url(private_cast), payload, content_type="application/json"
    )
    assert response.status_code == 422
    assert not Stakeholder.objects.exists()


def test_names_are_unique_in_a_landscape_whatever_the_case(private_cast):
    add_stakeholder(private_cast.landscape, "Forest Department")
    response = client_for(private_cast.editor).post(
        _url(private_cast), {**NEW, "name": "forest department"}, content_type="application/json"
    )
    assert response.status_code == 409
    assert "already has a stakeholder" in response.json()["error"]["message"]
    # ... but another landscape may use the name
    other = LandscapeFactory()
    add_stakeholder(other, "Forest Department")


def test_unknown_organisation_is_refused(private_cast):
    with pytest.raises(ValidationFailed):
        services.stakeholder_create(
            actor=private_cast.editor,
            landscape=private_cast.landscape,
            organisation_id=999_999,
            **{k: v for k, v in NEW.items()},
        )


def test_stakeholders_of_another_landscape_are_not_reachable(private_cast):
    other = LandscapeFactory()
    foreign = add_stakeholder(other, "Elsewhere")
    response = client_for(private_cast.manager).get(_url(private_cast, f"/{foreign.pk}"))
    assert response.status_code == 404


def test_list_filters_and_paginates(private_cast):
    for i in range(60):
        add_stakeholder(private_cast.landscape, f"Group {i:02d}", sector="public" if i % 2 else "community")
    client = client_for(private_cast.viewer)
    first = client.get(_url(private_cast)).json()
    assert (first["count"], first["pages"], len(first["items"])) == (60, 2, 50)
    public = client.get(_url(private_cast, "?sector=public&page_size=100")).json()
    assert public["count"] == 30 and {s["sector"] for s in public["items"]} == {"public"}
    assert client.get(_url(private_cast, "?search=Group 07")).json()["count"] == 1


# --- Inclusion checks ----------------------------------------------------------------------------


def test_checks_fire_then_clear_as_the_register_grows(private_cast):
    client = client_for(private_cast.viewer)
    body = client.get(_url(private_cast, "/checks")).json()
    assert body["gaps"] == 7
    checks = {c["code"]: c for c in body["checks"]}
    assert not checks["youth"]["ok"] and "youth organisation" in checks["youth"]["message"]
    landscape = private_cast.landscape
    add_stakeholder(landscape, "Youth for the hills", represents=["youth"])
    add_stakeholder(
        landscape, "District council", sector="public", influence=5, interest=5, participation="inform"
    )
    checks = {c["code"]: c for c in client.get(_url(private_cast, "/checks")).json()["checks"]}
    assert checks["youth"]["ok"] and checks["youth"]["stakeholders"] == ["Youth for the hills"]
    assert checks["government"]["ok"]
    assert not checks["key_players_engaged"]["ok"]
    assert checks["key_players_engaged"]["stakeholders"] == ["District council"]


def test_an_inclusive_register_has_no_gap(private_cast, inclusive_register):
    body = client_for(private_cast.viewer).get(_url(private_cast, "/checks")).json()
    assert body["gaps"] == 0 and all(c["ok"] for c in body["checks"])


def test_register_page_shows_checks_and_actions_per_role(private_cast):
    page = f"/landscapes/{private_cast.landscape.slug}/plan/stakeholders/"
    viewer_html = client_for(private_cast.viewer).get(page).content.decode()
    assert "Inclusion checks" in viewer_html and "No women&#x27;s group" in viewer_html
    assert "Add a stakeholder" not in viewer_html and "Export as CSV" not in viewer_html
    editor_html = client_for(private_cast.editor).get(page).content.decode()
    assert "Add a stakeholder" in editor_html and "Export as CSV" in editor_html


# --- Pages: forms --------------------------------------------------------------------------------


def test_editor_adds_edits_and_removes_through_pages(private_cast):
    base = f"/landscapes/{private_cast.landscape.slug}/plan/stakeholders/"
    client = client_for(private_cast.editor)
    form = {**NEW, "organisation": ""}
    response = client.post(f"{base}new/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    stakeholder = Stakeholder.objects.get()
    assert (
        stakeholder.represents == ["smallholders", "women"] and stakeholder.created_by == private_cast.editor
    )
    response = client.post(f"{base}new/", form)
    assert response.status_code == 400 and "already has a stakeholder" in response.content.decode()
    response = client.post(f"{base}{stakeholder.pk}/edit/", {**form, "influence": 5})
    assert response.status_code == 302
    stakeholder.refresh_from_db()
    assert stakeholder.influence == 5
    assert client.post(f"{base}{stakeholder.pk}/delete/").status_code == 302
    assert not Stakeholder.objects.exists()


@pytest.mark.parametrize("person", ["viewer", "member"])
def test_viewers_and_members_cannot_use_the_forms(private_cast, person):
    stakeholder = add_stakeholder(private_cast.landscape, "Herders")
    base = f"/landscapes/{private_cast.landscape.slug}/plan/stakeholders/"
    client = client_for(private_cast[person])
    assert client.get(f"{base}new/").status_code == 403
    assert client.get(f"{base}{stakeholder.pk}/edit/").status_code == 403
    assert client.post(f"{base}{stakeholder.pk}/delete/").status_code == 403
    assert client.get(f"{base}import/").status_code == 403
    assert Stakeholder.objects.filter(pk=stakeholder.pk).exists()


def test_names_with_html_are_escaped(private_cast):
    add_stakeholder(private_cast.landscape, "<script>alert(1)</script> Co-op", influence=4, interest=4)
    client = client_for(private_cast.viewer)
    base = f"/landscapes/{private_cast.landscape.slug}/plan/stakeholders/"
    for page in ("", "grid/"):
        html = client.get(base + page).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;" in html


# --- Grid ----------------------------------------------------------------------------------------


def test_grid_page_draws_every_stakeholder_with_a_table_alternative(private_cast):
    landscape = private_cast.landscape
    add_stakeholder(landscape, "Ministry", influence=5, interest=5)
    add_stakeholder(landscape, "Mining company", influence=5, interest=1)
    add_stakeholder(landscape, "Fishers", influence=1, interest=5)
    add_stakeholder(landscape, "Tourists", influence=1, interest=1)
    grid = selectors.stakeholder_grid(actor=private_cast.viewer, landscape=landscape)
    assert {d.name: d.quadrant for d in grid.dots} == {
        "Fishers": "keep_informed",
        "Ministry": "manage_closely",
        "Mining company": "keep_satisfied",
        "Tourists": "monitor",
    }
    html = (
        client_for(private_cast.viewer)
        .get(f"/landscapes/{landscape.slug}/plan/stakeholders/grid/")
        .content.decode()
    )
    assert html.count("<circle") == 4
    assert 'role="img"' in html and "<desc" in html
    for strategy in ("Manage closely", "Keep satisfied", "Keep informed", "Monitor"):
        assert strategy in html


def test_svg_coordinates_are_not_localised(private_cast):
    for i in range(3):  # three in one cell gives fractional coordinates
        add_stakeholder(private_cast.landscape, f"Group {i}", influence=2, interest=2)
    html = (
        client_for(private_cast.viewer)
        .get(f"/landscapes/{private_cast.landscape.slug}/plan/stakeholders/grid/", HTTP_ACCEPT_LANGUAGE="fr")
        .content.decode()
    )
    coordinates = re.findall(r'c[xy]="([^"]+)"', html)
    assert coordinates and all("," not in c for c in coordinates)


# --- Relations -----------------------------------------------------------------------------------


def test_relations_refuse_self_links_and_duplicates(private_cast):
    landscape, editor = private_cast.landscape, private_cast.editor
    a = add_stakeholder(landscape, "Agency")
    b = add_stakeholder(landscape, "Farmers")
    with pytest.raises(ValidationFailed):
        services.relation_create(
            actor=editor, landscape=landscape, source_id=a.pk, target_id=a.pk, kind="funds"
        )
    services.relation_create(
        actor=editor, landscape=landscape, source_id=a.pk, target_id=b.pk, kind="collaborates"
    )
    with pytest.raises(Conflict):  # collaboration reads both ways
        services.relation_create(
            actor=editor, landscape=landscape, source_id=b.pk, target_id=a.pk, kind="collaborates"
        )
    # funding has a direction: both ways are two relations
    services.relation_create(actor=editor, landscape=landscape, source_id=a.pk, target_id=b.pk, kind="funds")
    services.relation_create(actor=editor, landscape=landscape, source_id=b.pk, target_id=a.pk, kind="funds")
    with pytest.raises(ValidationFailed):
        services.relation_create(
            actor=editor, landscape=landscape, source_id=a.pk, target_id=b.pk, kind="loves"
        )
    assert StakeholderRelation.objects.count() == 3


def test_relations_api_and_network_page(private_cast):
    landscape = private_cast.landscape
    a = add_stakeholder(landscape, "Agency", sector="public")
    b = add_stakeholder(landscape, "Farmers", sector="community")
    add_stakeholder(landscape, "Nobody's friend")
    url = f"{API}/landscapes/{landscape.slug}/stakeholder-relations"
    payload = {"source": a.pk, "target": b.pk, "kind": "regulates", "note": "Water permits"}
    assert (
        client_for(private_cast.viewer).post(url, payload, content_type="application/json").status_code == 403
    )
    created = client_for(private_cast.editor).post(url, payload, content_type="application/json")
    assert created.status_code == 201 and created.json()["directed"] is True
    listing = client_for(private_cast.viewer).get(url).json()
    assert [(r["source_name"], r["kind"], r["target_name"]) for r in listing] == [
        ("Agency", "regulates", "Farmers")
    ]
    html = (
        client_for(private_cast.viewer)
        .get(f"/landscapes/{landscape.slug}/plan/stakeholders/relations/")
        .content.decode()
    )
    assert html.count('class="node sector-') == 2  # only stakeholders with relations are drawn
    assert 'marker-end="url(#arrow-regulates)"' in html
    assert "Record a relation" not in html  # viewers do not get the form
    relation_id = created.json()["id"]
    assert client_for(private_cast.editor).delete(f"{url}/{relation_id}").status_code == 204
    assert not StakeholderRelation.objects.exists()


def test_relation_form_on_the_page(private_cast):
    landscape = private_cast.landscape
    a = add_stakeholder(landscape, "Agency")
    b = add_stakeholder(landscape, "Farmers")
    page = f"/landscapes/{landscape.slug}/plan/stakeholders/relations/"
    client = client_for(private_cast.editor)
    assert client.post(page, {"source": a.pk, "target": a.pk, "kind": "funds"}).status_code == 400
    assert client.post(page, {"source": a.pk, "target": b.pk, "kind": "funds"}).status_code == 302
    relation = StakeholderRelation.objects.get()
    assert client.post(f"{page}{relation.pk}/delete/").status_code == 302
    assert not StakeholderRelation.objects.exists()


def test_deleting_a_stakeholder_removes_its_relations(private_cast):
    landscape = private_cast.landscape
    a = add_stakeholder(landscape, "Agency")
    b = add_stakeholder(landscape, "Farmers")
    services.relation_create(
        actor=private_cast.editor, landscape=landscape, source_id=a.pk, target_id=b.pk, kind="funds"
    )
    services.stakeholder_delete(actor=private_cast.editor, stakeholder=a)
    assert not StakeholderRelation.objects.exists()
