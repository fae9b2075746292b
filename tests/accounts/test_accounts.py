"""Signing up and in, rate limits, password reset, profile, language."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from PIL import Image

from landmosaic.accounts.models import User
from landmosaic.core.models import AuditEvent
from tests.factories import PASSWORD, UserFactory


@pytest.mark.django_db
def test_signup_signs_in_and_normalises_the_address():
    client = Client()
    response = client.post(
        "/accounts/signup/", {"name": "Wanjiru", "email": "Wanjiru@Example.ORG", "password": PASSWORD}
    )
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "wanjiru@example.org"
    assert client.get("/api/v1/me").json()["email"] == "wanjiru@example.org"
    assert AuditEvent.objects.filter(object_type="user", action="create").count() == 1


@pytest.mark.django_db
def test_signup_refuses_weak_passwords_and_duplicates():
    UserFactory(email="taken@example.org")
    response = Client().post("/accounts/signup/", {"email": "Taken@example.org", "password": PASSWORD})
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    response = Client().post("/accounts/signup/", {"email": "new@example.org", "password": "12345678"})
    assert "too common" in response.content.decode() or "entirely numeric" in response.content.decode()
    assert User.objects.count() == 1


@pytest.mark.django_db
@override_settings(ACCOUNT_EMAIL_VERIFICATION=True)
def test_with_verification_on_the_address_must_be_confirmed(django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/signup/", {"email": "field@example.org", "password": PASSWORD})
    assert client.get("/api/v1/me").status_code == 401
    link = re.search(r"/accounts/verify/[^\s]+/", mail.outbox[-1].body).group(0)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/login/", {"email": "field@example.org", "password": PASSWORD})
    assert "Confirm your email address first" in response.content.decode()
    client.get(link)
    assert User.objects.get().email_verified
    client.post("/accounts/login/", {"email": "field@example.org", "password": PASSWORD})
    assert client.get("/api/v1/me").status_code == 200
    assert Client().get("/accounts/verify/not-a-token/", follow=True).content.decode().count("invalid") >= 1


@pytest.mark.django_db
@override_settings(LOGIN_RATE_LIMIT=3)
def test_failed_logins_are_rate_limited_even_with_the_right_password():
    user = UserFactory()
    client = Client()
    for _ in range(3):
        response = client.post("/accounts/login/", {"email": user.email, "password": "wrong"})
        assert "not correct" in response.content.decode()
    response = client.post("/accounts/login/", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert client.get("/api/v1/me").status_code == 401
    assert AuditEvent.objects.filter(action="login_failed").count() == 3


@pytest.mark.django_db
def test_login_logout_and_safe_next_redirects():
    user = UserFactory()
    client = Client()
    response = client.post(
        "/accounts/login/?next=https://evil.example/", {"email": user.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert AuditEvent.objects.filter(action="login", actor=user).exists()
    assert client.get("/accounts/logout/").status_code == 405  # sign-out is a POST (no CSRF logout)
    client.post("/accounts/logout/")
    assert client.get("/api/v1/me").status_code == 401


@pytest.mark.django_db
def test_password_reset_by_email():
    user = UserFactory(email="reset@example.org")
    client = Client()
    client.post("/accounts/password/reset/", {"email": "reset@example.org"})
    link = re.search(r"http://[^/]+(/accounts/password/reset/\S+/)", mail.outbox[-1].body).group(1)
    response = client.get(link, follow=True)
    new = "a-brand-new-long-password"
    client.post(response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    user.refresh_from_db()
    assert user.check_password(new)


@pytest.mark.django_db
def test_profile_and_language_choice_are_saved():
    user = UserFactory()
    client = Client()
    client.force_login(user)
    client.post("/accounts/profile/", {"name": "Dona Rosa", "country": "BR", "language": "pt"})
    user.refresh_from_db()
    assert (user.name, str(user.country), user.language) == ("Dona Rosa", "BR", "pt")
    assert 'lang="pt"' in client.get("/").content.decode()
    client.post("/language/", {"language": "es", "next": "/"})
    user.refresh_from_db()
    assert user.language == "es"


@pytest.mark.django_db
def test_language_switch_for_anonymous_visitors_uses_a_cookie():
    client = Client()
    client.post("/language/", {"language": "fr", "next": "https://evil.example/"})
    assert 'lang="fr"' in client.get("/").content.decode()
    response = client.post("/language/", {"language": "xx", "next": "/"})
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_tokens_page_shows_the_secret_once_and_revokes():
    user = UserFactory()
    client = Client()
    client.force_login(user)
    page = client.post("/accounts/tokens/", {"name": "R script"}).content.decode()
    secret = re.search(r'<code id="new-token">(lm_[^<]+)</code>', page).group(1)
    assert secret not in client.get("/accounts/tokens/").content.decode()
    token = user.api_tokens.get()
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    other = Client()
    other.force_login(UserFactory())
    assert other.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404


@pytest.mark.django_db
def test_superuser_admin_has_no_landscape_content(private_cast):
    client = Client()
    client.force_login(private_cast.superuser)
    admin_index = client.get("/admin/").content.decode()
    assert "Landscapes" not in admin_index and "Memberships" not in admin_index
    assert client.get(f"/landscapes/{private_cast.landscape.slug}/").status_code == 404
    assert client.get(f"/landscapes/{private_cast.landscape.slug}/members/").status_code == 404


@pytest.mark.django_db
def test_profile_photo_is_served_only_to_signed_in_people():
    buffer = BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "PNG")
    user = UserFactory()
    client = Client()
    client.force_login(user)
    client.post(
        "/accounts/profile/",
        {
            "name": "Photo",
            "language": "en",
            "photo": SimpleUploadedFile("me.png", buffer.getvalue(), "image/png"),
        },
    )
    user.refresh_from_db()
    assert user.photo
    assert client.get(f"/accounts/people/{user.pk}/photo/").status_code == 200
    assert Client().get(f"/accounts/people/{user.pk}/photo/").status_code == 302  # to sign-in
    broken = client.post(
        "/accounts/profile/", {"name": "x", "photo": SimpleUploadedFile("x.png", b"not an image")}
    )
    assert "valid image" in broken.content.decode()
