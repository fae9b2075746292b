"""Server-rendered pages: what each person sees, escaping, and a constant number of queries."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from landmosaic.landscapes import selectors
from landmosaic.landscapes.models import Invitation, Landscape, Membership
from tests.factories import LandscapeFactory, UserFactory


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("page", ["", "members/", "edit/", "boundary/", "audit/", "partnership/"])
@pytest.mark.parametrize("person", ["outsider", "superuser"])
def test_private_landscape_pages_are_404_for_outsiders_and_superusers(private_cast, page, person):
    response = signed_in(private_cast[person]).get(f"/landscapes/{private_cast.landscape.slug}/{page}")
    assert response.status_code == 404
    assert private_cast.landscape.name not in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in_for_member_pages(private_cast):
    response = Client().get(f"/landscapes/{private_cast.landscape.slug}/members/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Client().get(f"/landscapes/{private_cast.landscape.slug}/").status_code == 404


@pytest.mark.parametrize(
    "person,page,status",
    [
        ("viewer", "edit/", 403),
        ("editor", "edit/", 200),
        ("editor", "audit/", 403),
        ("manager", "audit/", 200),
        ("viewer", "members/", 200),
    ],
)
def test_role_gated_pages(private_cast, person, page, status):
    assert (
        signed_in(private_cast[person]).get(f"/landscapes/{private_cast.landscape.slug}/{page}").status_code
        == status
    )


def test_names_with_html_are_escaped_everywhere(db):
    user = UserFactory(name="<img src=x onerror=alert(1)>")
    landscape = LandscapeFactory(name="<script>alert('x')</script> Valley", visibility="public")
    Membership.objects.create(landscape=landscape, user=user, role="manager")
    for url in ["/landscapes/", f"/landscapes/{landscape.slug}/", f"/landscapes/{landscape.slug}/members/"]:
        html = signed_in(user).get(url).content.decode()
        assert "<script>alert('x')</script>" not in html
        assert "<img src=x onerror" not in html
        assert "&lt;script&gt;" in html


def test_directory_queries_stay_constant_as_landscapes_grow(db, django_assert_max_num_queries):
    user = UserFactory()
    client = signed_in(user)
    for _ in range(3):
        LandscapeFactory(visibility="public")
    client.get("/landscapes/")  # warm caches (content types, session)
    with django_assert_max_num_queries(12) as small:
        client.get("/landscapes/")
    for _ in range(40):
        LandscapeFactory(visibility="public")
    with django_assert_max_num_queries(12) as large:
        client.get("/landscapes/")
    assert len(large.captured_queries) == len(small.captured_queries)


def test_directory_filters_and_pagination(db):
    for i in range(40):
        LandscapeFactory(visibility="public", name=f"Forest {i:02}", country="BR" if i < 30 else "PE")
    LandscapeFactory(visibility="private", name="Forest secret", country="BR")
    first = Client().get("/landscapes/?country=BR").content.decode()
    second = Client().get("/landscapes/?country=BR&page=2").content.decode()
    assert "30 landscapes" in first and "Forest secret" not in first
    assert len(re.findall(r">Forest \d\d</a>", first)) == 24
    assert len(re.findall(r">Forest \d\d</a>", second)) == 6
    assert 'href="?country=BR&amp;page=1"' in second  # filters survive paging
    beyond = Client().get("/landscapes/?country=BR&page=99").content.decode()
    assert len(re.findall(r">Forest \d\d</a>", beyond)) == 6  # out of range: the last page
    points = Client().get("/landscapes/points.geojson?country=PE").json()
    assert len(points["features"]) == 10
    assert all(f["properties"]["url"].startswith("/landscapes/") for f in points["features"])


def test_wizard_creates_a_landscape_with_a_drawn_boundary_then_a_profile(db):
    user = UserFactory()
    client = signed_in(user)
    response = client.post(
        "/landscapes/new/",
        {
            "name": "Páramo de Guerrero",
            "country": "CO",
            "visibility": "private",
            "description": "",
            "website": "",
            "contact_email": "",
        },
    )
    landscape = Landscape.objects.get()
    assert response["Location"] == f"/landscapes/{landscape.slug}/boundary/?wizard=1"
    polygon = '{"type":"Polygon","coordinates":[[[-74,5],[-73.9,5],[-73.9,5.1],[-74,5.1],[-74,5]]]}'
    response = client.post(
        f"/landscapes/{landscape.slug}/boundary/?wizard=1", {"method": "draw", "geometry": polygon}
    )
    assert response["Location"] == f"/landscapes/{landscape.slug}/profile/?wizard=1"
    response = client.post(
        f"/landscapes/{landscape.slug}/profile/?wizard=1", {"population": "12000", "ecosystems": []}
    )
    landscape.refresh_from_db()
    assert landscape.boundary_kind == "polygon" and landscape.area_ha > 10_000
    assert landscape.population == 12000


def test_boundary_page_shows_a_specific_error_for_a_bad_file(private_cast):
    client = signed_in(private_cast.editor)
    response = client.post(
        f"/landscapes/{private_cast.landscape.slug}/boundary/",
        {"method": "upload", "file": SimpleUploadedFile("a.geojson", b"{not json")},
    )
    assert response.status_code == 400
    assert "a.geojson" in response.content.decode()


def test_invitation_for_someone_without_an_account(private_cast, django_capture_on_commit_callbacks):
    manager = signed_in(private_cast.manager)
    with django_capture_on_commit_callbacks(execute=True):
        manager.post(
            f"/landscapes/{private_cast.landscape.slug}/members/",
            {"email": "later@example.org", "role": "member"},
        )
    invitation = Invitation.objects.get()
    newcomer = Client()
    page = newcomer.get(f"/landscapes/invitations/{invitation.token}/").content.decode()
    assert "Sign up" in page
    newcomer.post(
        f"/accounts/signup/?next=/landscapes/invitations/{invitation.token}/",
        {"email": "later@example.org", "password": "a-long-enough-password"},
    )
    newcomer.post(f"/landscapes/invitations/{invitation.token}/", {"decision": "accept"})
    assert newcomer.get(f"/landscapes/{private_cast.landscape.slug}/").status_code == 200
    invitation.refresh_from_db()
    assert invitation.status == "accepted"
    # The manager was told, in the interface.
    assert "joined" in manager.get("/notifications/").content.decode()


def test_invitation_cannot_be_taken_by_someone_else(private_cast):
    invitation = Invitation.objects.create(
        landscape=private_cast.landscape, email="right@example.org", invited_by=private_cast.manager
    )
    response = signed_in(private_cast.outsider).post(
        f"/landscapes/invitations/{invitation.token}/", {"decision": "accept"}, follow=True
    )
    assert "right@example.org" in response.content.decode()
    assert not Membership.objects.filter(user=private_cast.outsider).exists()


def test_home_and_static_pages_render_for_everyone(db):
    for url in [
        "/",
        "/about/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/organisations/",
        "/accounts/password/reset/",
        "/api/v1/docs",
    ]:
        assert Client().get(url).status_code == 200, url
    html = Client().get("/api/v1/docs").content.decode()
    assert "cdn" not in html.lower()


def test_directory_map_groups_points_beyond_the_limit(db):
    for i in range(12):
        LandscapeFactory(visibility="public", centroid_lon=10 + i * 5, centroid_lat=0)
    qs = selectors.landscape_directory(actor=None)
    assert len(selectors.landscape_directory_points(landscapes=qs)) == 12
    grouped = selectors.landscape_directory_points(landscapes=qs, max_points=5)
    assert len(grouped) <= 5
    assert sum(f["properties"]["count"] for f in grouped) == 12
