"""Journeys: signing up, and switching the language (remembered in the profile)."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages import mofile, pofile
from playwright.sync_api import expect

from landmosaic.accounts.models import User
from tests.factories import UserFactory

from .helpers import assert_signed_in_as, open_menu, sign_in, sign_out

pytestmark = pytest.mark.browser

PASSPHRASE = "a-long-and-unusual-passphrase"


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

    fill_signup(page, name="Amina Wanjiru", email="amina@example.org", password=PASSPHRASE)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator(".messages")).to_contain_text("Welcome to Landmosaic!")
    assert_signed_in_as(page, "Amina Wanjiru")
    user = User.objects.get(email="amina@example.org")
    assert user.name == "Amina Wanjiru"
    assert user.check_password(PASSPHRASE)
    assert not page.js_errors


def test_sign_up_with_an_existing_email_shows_the_error(page, live_server):
    UserFactory(email="taken@example.org", name="First Owner")
    page.goto("/accounts/signup/")

    # Another case of the same address is the same address.
    fill_signup(page, name="Second Comer", email="Taken@Example.org", password=PASSPHRASE)

    expect(page).to_have_url(f"{live_server.url}/accounts/signup/")
    expect(page.locator("main [role=alert]")).to_contain_text(
        "An account with this email address already exists. Sign in or reset your password."
    )
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


def expect_spanish(page) -> None:
    expect_language(page, "es")
    expect(page.locator("form.lm-lang-form button[type=submit]")).to_have_text("Cambiar idioma")
    expect(page.locator(".lm-nav-menu > summary")).to_contain_text("Menú")
    expect(page.locator(".lm-nav a[href='/landscapes/']")).to_have_text("Paisajes")


@pytest.fixture
def compiled_catalogues(settings, tmp_path):
    """The pages are translated from compiled catalogues (``make messages``). When they have not been
    compiled on this machine, compile the project's .po files into a temporary folder and use that."""
    locale = Path(settings.LOCALE_PATHS[0])
    if (locale / "es" / "LC_MESSAGES" / "django.mo").exists():
        return
    for po in locale.glob("*/LC_MESSAGES/django.po"):
        target = tmp_path / po.relative_to(locale).with_suffix(".mo")
        target.parent.mkdir(parents=True)
        with po.open("rb") as source, target.open("wb") as out:
            mofile.write_mo(out, pofile.read_po(source))
    settings.LOCALE_PATHS = [tmp_path]


def test_switch_language_as_a_visitor(page, live_server, compiled_catalogues):
    page.goto("/landscapes/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#lm-language option[value=es]")).to_have_text("Español")

    choose_language(page, "es")

    expect(page).to_have_url(f"{live_server.url}/landscapes/")  # back on the same page
    expect_spanish(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Paisajes")
    page.goto("/")  # the choice holds on the next page
    expect_spanish(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Paisajes gestionados en conjunto")


def test_language_choice_is_kept_in_the_profile(new_page, live_server, compiled_catalogues):
    user = UserFactory(language="")
    page = new_page()
    sign_in(page, user.email)
    expect(page.locator("html")).to_have_attribute("lang", "en")

    choose_language(page, "es")
    expect_spanish(page)
    user.refresh_from_db()
    assert user.language == "es"

    sign_out(page)
    # A fresh browser (no language cookie, English preferred) signs in: the profile's language wins.
    other = new_page()
    sign_in(other, user.email)
    expect_spanish(other)
