"""The REST API for landscapes, as every kind of caller."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core import mail
from django.test import Client

from landmosaic.accounts.services import token_create
from landmosaic.core.models import AuditEvent
from landmosaic.landscapes.models import Invitation, Landscape, Membership
from tests.factories import PASSWORD, LandscapeFactory, UserFactory

API = "/api/v1"
PEOPLE = ["anonymous", "outsider", "viewer", "member", "editor", "manager", "superuser"]


def client_for(user) -> Client:
    client = Client()
    if getattr(user, "is_authenticated", False):
        client.force_login(user)
    return client


def bearer(user) -> dict:
    _token, secret = token_create(user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.mark.parametrize("person", PEOPLE)
def test_private_landscape_detail_is_404_for_non_members(private_cast, person):
    response = client_for(private_cast[person]).get(f"{API}/landscapes/{private_cast.landscape.slug}")
    if person in ("anonymous", "outsider", "superuser"):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
        assert private_cast.landscape.name not in response.content.decode()
    else:
        assert response.status_code == 200
        assert response.json()["name"] == private_cast.landscape.name


@pytest.mark.parametrize("person", PEOPLE)
def test_list_shows_private_landscapes_only_to_members(private_cast, public_cast, person):
    user = private_cast[person]
    slugs = {item["slug"] for item in client_for(user).get(f"{API}/landscapes").json()["items"]}
    assert public_cast.landscape.slug in slugs
    assert (private_cast.landscape.slug in slugs) == (person in ("viewer", "member", "editor", "manager"))


@pytest.mark.parametrize(
    "person,status",
    [
        ("viewer", 403),
        ("member", 403),
        ("editor", 200),
        ("manager", 200),
        ("outsider", 404),
        ("superuser", 404),
        ("anonymous", 401),
    ],
)
def test_patch_needs_editor(private_cast, person, status):
    response = client_for(private_cast[person]).patch(
        f"{API}/landscapes/{private_cast.landscape.slug}",
        {"description": "New words"},
        content_type="application/json",
    )
    assert response.status_code == status, response.content
    private_cast.landscape.refresh_from_db()
    assert (private_cast.landscape.description == "New words") == (status == 200)


def test_visibility_is_a_manager_setting(public_cast):
    url = f"{API}/landscapes/{public_cast.landscape.slug}"
    editor = client_for(public_cast.editor)
    assert editor.patch(url, {"visibility": "private"}, content_type="application/json").status_code == 403
    manager = client_for(public_cast.manager)
    assert manager.patch(url, {"visibility": "private"}, content_type="application/json").status_code == 200
    assert AuditEvent.objects.filter(landscape_id=public_cast.landscape.pk, action="share").exists()


@pytest.mark.parametrize("person,status", [("editor", 403), ("manager", 204), ("superuser", 404)])
def test_delete_needs_manager(private_cast, person, status):
    response = client_for(private_cast[person]).delete(f"{API}/landscapes/{private_cast.landscape.slug}")
    assert response.status_code == status
    assert Landscape.objects.filter(pk=private_cast.landscape.pk).exists() == (status != 204)


def test_detail_lists_the_callers_allowed_actions(public_cast):
    url = f"{API}/landscapes/{public_cast.landscape.slug}"
    assert client_for(public_cast.anonymous).get(url).json()["allowed_actions"] == ["view"]
    assert "manage_members" in client_for(public_cast.manager).get(url).json()["allowed_actions"]


def test_create_with_a_drawn_boundary_makes_the_creator_manager(db):
    user = UserFactory()
    square = {"type": "Polygon", "coordinates": [[[30, -2], [30.1, -2], [30.1, -2.1], [30, -2.1], [30, -2]]]}
    response = client_for(user).post(
        f"{API}/landscapes",
        {"name": "Lake <b>Kivu</b>", "country": "RW", "boundary": square, "ecosystems": ["river-lake"]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["slug"] == "lake-bkivub"
    assert body["visibility"] == "private"  # private is the default
    assert 12_000 < body["area_ha"] < 12_500  # 0.1° x 0.1° near the equator ≈ 12,300 ha
    assert body["ecosystems"][0]["code"] == "river-lake"
    assert Membership.objects.get(landscape__slug=body["slug"], user=user).role == "manager"


def test_duplicate_names_get_distinct_slugs_and_reserved_words_are_avoided(db):
    client = client_for(UserFactory())
    slugs = [
        client.post(f"{API}/landscapes", {"name": name}, content_type="application/json").json()["slug"]
        for name in ("Same", "Same", "New")
    ]
    assert slugs == ["same", "same-2", "new-2"]


def test_bad_boundary_geometry_is_refused_and_nothing_is_stored(db):
    client = client_for(UserFactory())
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    response = client.post(
        f"{API}/landscapes", {"name": "Bowtie", "boundary": bowtie}, content_type="application/json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"].startswith("boundary_")
    assert "crosses itself" in error["message"]
    assert not Landscape.objects.filter(name="Bowtie").exists()


def test_validation_errors_use_the_one_error_shape(db):
    response = client_for(UserFactory()).post(
        f"{API}/landscapes", {"name": ""}, content_type="application/json"
    )
    assert response.status_code == 422
    assert set(response.json()["error"]) == {"code", "message", "details"}


def test_bearer_token_authenticates_and_a_wrong_one_is_401(private_cast):
    url = f"{API}/landscapes/{private_cast.landscape.slug}"
    assert Client().get(url, **bearer(private_cast.viewer)).status_code == 200
    response = Client().get(url, HTTP_AUTHORIZATION="Bearer lm_not-a-real-token")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_session_writes_need_csrf(private_cast):
    client = Client(enforce_csrf_checks=True)
    client.login(email=private_cast.editor.email, password=PASSWORD)
    response = client.patch(
        f"{API}/landscapes/{private_cast.landscape.slug}",
        {"description": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403
    # Token-authenticated scripts are not subject to CSRF.
    response = Client(enforce_csrf_checks=True).patch(
        f"{API}/landscapes/{private_cast.landscape.slug}",
        {"description": "x"},
        content_type="application/json",
        **bearer(private_cast.editor),
    )
    assert response.status_code == 200


def test_members_invitations_and_roles_through_the_api(private_cast, django_capture_on_commit_callbacks):
    manager = client_for(private_cast.manager)
    slug = private_cast.landscape.slug
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(
            f"{API}/landscapes/{slug}/invitations",
            {"email": "New.Person@Example.org", "role": "editor"},
            content_type="application/json",
        )
    assert response.status_code == 201
    assert response.json()["email"] == "new.person@example.org"
    assert mail.outbox and "new.person@example.org" in mail.outbox[0].to
    duplicate = manager.post(
        f"{API}/landscapes/{slug}/invitations",
        {"email": "new.person@example.org"},
        content_type="application/json",
    )
    assert duplicate.status_code == 409

    members = manager.get(f"{API}/landscapes/{slug}/members").json()
    viewer_row = next(m for m in members if m["user"]["id"] == private_cast.viewer.pk)
    response = manager.patch(
        f"{API}/landscapes/{slug}/members/{viewer_row['id']}",
        {"role": "editor"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["role"] == "editor"
    # A viewer may not invite.
    response = client_for(private_cast.member).post(
        f"{API}/landscapes/{slug}/invitations", {"email": "x@example.org"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert Invitation.objects.filter(landscape=private_cast.landscape).count() == 1


def test_the_last_manager_cannot_leave_or_be_demoted(private_cast):
    manager = client_for(private_cast.manager)
    slug = private_cast.landscape.slug
    own = Membership.objects.get(user=private_cast.manager, landscape=private_cast.landscape)
    assert manager.delete(f"{API}/landscapes/{slug}/members/{own.pk}").status_code == 409
    response = manager.patch(
        f"{API}/landscapes/{slug}/members/{own.pk}", {"role": "member"}, content_type="application/json"
    )
    assert response.status_code == 409
    assert "at least one manager" in response.json()["error"]["message"]


def test_join_request_flow(public_cast):
    outsider = client_for(public_cast.outsider)
    slug = public_cast.landscape.slug
    assert (
        outsider.post(
            f"{API}/landscapes/{slug}/join-requests",
            {"message": "I farm here"},
            content_type="application/json",
        ).status_code
        == 201
    )
    assert (
        outsider.post(
            f"{API}/landscapes/{slug}/join-requests", {}, content_type="application/json"
        ).status_code
        == 409
    )
    manager = client_for(public_cast.manager)
    pending = manager.get(f"{API}/landscapes/{slug}/join-requests").json()
    assert [r["message"] for r in pending] == ["I farm here"]
    response = manager.post(
        f"{API}/landscapes/{slug}/join-requests/{pending[0]['id']}/decision",
        {"approve": True, "role": "member"},
        content_type="application/json",
    )
    assert response.json()["status"] == "approved"
    assert Membership.objects.get(user=public_cast.outsider, landscape=public_cast.landscape).role == "member"


def test_audit_log_is_for_managers(private_cast):
    slug = private_cast.landscape.slug
    client_for(private_cast.editor).patch(
        f"{API}/landscapes/{slug}", {"description": "Edited"}, content_type="application/json"
    )
    assert client_for(private_cast.editor).get(f"{API}/landscapes/{slug}/audit").status_code == 403
    events = client_for(private_cast.manager).get(f"{API}/landscapes/{slug}/audit").json()
    assert events[0]["actor"] == private_cast.editor.email and events[0]["action"] == "update"


def _upload(client, slug, name, data):
    return client.post(f"{API}/landscapes/{slug}/boundary/upload", {"file": _file(name, data)})


def _file(name, data):
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def _zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


BAD_FILES = {
    "empty": ("empty.geojson", b""),
    "corrupt json": ("broken.geojson", b'{"type": "FeatureCollection", "features": [ {"type":'),
    "points only": (
        "points.geojson",
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {},
                        "geometry": {"type": "Point", "coordinates": [1, 1]},
                    }
                ],
            }
        ).encode(),
    ),
    "projected coordinates": (
        "projected.geojson",
        json.dumps(
            {
                "type": "Polygon",
                "coordinates": [
                    [[2500000, 1150000], [2510000, 1150000], [2510000, 1160000], [2500000, 1150000]]
                ],
            }
        ).encode(),
    ),
    "zip bomb": ("bomb.zip", _zip({"a.shp": b"\0" * 300_000_000})),
    "path traversal": ("evil.zip", _zip({"../../etc/evil.shp": b"x", "a.dbf": b"x", "a.shx": b"x"})),
    "xml entities": (
        "laughs.kml",
        b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><kml><Placemark><name>&b;</name></Placemark></kml>',
    ),
    "not a boundary format": ("notes.txt", b"hello world"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_boundary_files_get_a_specific_message_and_change_nothing(private_cast, case):
    name, data = BAD_FILES[case]
    landscape = private_cast.landscape
    before = landscape.boundary_geojson
    response = _upload(client_for(private_cast.editor), landscape.slug, name, data)
    assert response.status_code == 400, (case, response.content[:300])
    error = response.json()["error"]
    assert error["code"].startswith("boundary_"), error
    assert len(error["message"]) > 20
    landscape.refresh_from_db()
    assert landscape.boundary_geojson == before


def test_good_kml_upload_sets_the_boundary(private_cast):
    kml = b"""<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Placemark>
      <Polygon><outerBoundaryIs><LinearRing><coordinates>10,10 10.2,10 10.2,10.2 10,10.2 10,10</coordinates>
      </LinearRing></outerBoundaryIs></Polygon></Placemark></kml>"""
    response = _upload(client_for(private_cast.editor), private_cast.landscape.slug, "area.kml", kml)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["boundary"]["type"] in ("Polygon", "MultiPolygon")
    assert body["centroid"] == pytest.approx([10.1, 10.1], abs=0.01)


def test_organisations_api(db):
    user = UserFactory()
    client = client_for(user)
    response = client.post(
        f"{API}/organisations",
        {"name": "Kivu <script>alert(1)</script> Coop", "type": "farmer_group"},
        content_type="application/json",
    )
    assert response.status_code == 201
    slug = response.json()["slug"]
    assert "<" not in slug
    assert (
        client_for(UserFactory())
        .patch(f"{API}/organisations/{slug}", {"name": "Mine"}, content_type="application/json")
        .status_code
        == 403
    )
    assert client.get(f"{API}/organisations?search=Kivu").json()["count"] == 1
    bad = client.post(
        f"{API}/organisations", {"name": "X", "type": "cartel"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "type" in bad.json()["error"]["details"]


def test_me_and_tokens(db):
    user = UserFactory(name="Ana")
    client = client_for(user)
    assert client.get(f"{API}/me").json()["name"] == "Ana"
    created = client.post(f"{API}/tokens", {"name": "QGIS"}, content_type="application/json").json()
    assert created["secret"].startswith("lm_")
    assert "secret" not in client.get(f"{API}/tokens").json()[0]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {created['secret']}"}
    assert Client().get(f"{API}/me", **headers).status_code == 200
    assert client.delete(f"{API}/tokens/{created['id']}").status_code == 204
    assert Client().get(f"{API}/me", **headers).status_code == 401
    assert Client().get(f"{API}/me").status_code == 401


def test_landscape_list_is_paginated_with_constant_queries(db, django_assert_max_num_queries):
    for _ in range(30):
        LandscapeFactory(visibility="public")
    client = Client()
    with django_assert_max_num_queries(4):
        body = client.get(f"{API}/landscapes?page=2&page_size=10").json()
    assert body["count"] == 30 and body["page"] == 2 and len(body["items"]) == 10


def test_unknown_api_paths_answer_in_the_error_shape(db):
    response = Client().get(f"{API}/no-such-thing")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
