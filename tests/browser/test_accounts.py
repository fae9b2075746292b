"""Journeys: signing up, and switching the language (remembered in the profile)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from landmosaic.accounts.models import User
from tests.factories import UserFactory

from .helpers import assert_signed_in_as, open_menu, sign_in, sign_out

pytestmark = pytest.mark.browser


def fill_signup(page, *, name: str, email: str, password: str) -> None:
    form = page.locator("main form")
    form.get_by_label("Your name").fill(name)
    form.get_by_label("Email address").fill(email)
    form.get_by_label("Password").fill(password)
    form.get_by_role("button", name="Sign up").click()
    page.wait_for_load_state()


def test_sign_up_from_the_home_page(page, live_server):
    page.goto("/")
    open_menu(page).get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create your account")

    fill_signup(page, name="Amina Wanjiru", email="amina@example.org", password="a-long-and-unusual-passphrase")

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator(".messages")).to_contain_text("Welcome to Landmosaic!")
    assert_signed_in_as(page, "Amina Wanjiru")
    user = User.objects.get(email="amina@example.org")
    assert user.name == "Amina Wanjiru"
    assert user.check_password("a-long-and-unusual-passphrase")
    assert not page.js_errors


def test_sign_up_with_an_existing_email_shows_the_error(page, live_server):
    UserFactory(email="taken@example.org", name="First Owner")
    page.goto("/accounts/signup/")

    # Another case of the same address is the same address.
    fill_signup(page, name="Second Comer", email="Taken@Example.org", password="a-long-and-unusual-passphrase")

    expect(page).to_have_url(f"{live_server.url}/accounts/signup/")
    expect(page.locator("main [role=alert]")).to_contain_text(
        "An account with this email address already exists. Sign in or reset your password.")
    expect(open_menu(page).get_by_role("link", name="Sign in")).to_be_visible()  # still signed out
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1
    assert User.objects.get(email__iexact="taken@example.org").name == "First Owner"


def choose_language(page, code: str) -> None:
    form = page.locator("form.lm-lang-form")
    form.locator("#lm-language").select_option(code)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def expect_language(page, code: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", code)
    expect(page.locator("#lm-language")).to_have_value(code)
    # TODO: also assert a translated nav label (e.g. "Paisajes" for "Landscapes") once
    # landmosaic/locale/es/LC_MESSAGES/django.po has translations and is compiled; it is empty today.


def test_switch_language_as_a_visitor(page, live_server):
    page.goto("/landscapes/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#lm-language option[value=es]")).to_have_text("Español")

    choose_language(page, "es")

    expect(page).to_have_url(f"{live_server.url}/landscapes/")  # back on the same page
    expect_language(page, "es")
    page.goto("/")  # the choice holds on the next page
    expect_language(page, "es")


def test_language_choice_is_kept_in_the_profile(new_page, live_server):
    user = UserFactory(language="")
    page = new_page()
    sign_in(page, user.email)
    expect(page.locator("html")).to_have_attribute("lang", "en")

    choose_language(page, "es")
    expect_language(page, "es")
    user.refresh_from_db()
    assert user.language == "es"

    sign_out(page)
    # A fresh browser (no language cookie, English preferred) signs in: the profile's language wins.
    other = new_page()
    sign_in(other, user.email)
    expect_language(other, "es")
