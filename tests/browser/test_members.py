"""Journey: a manager invites someone by email; the newcomer signs up, accepts and sees the landscape."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from landmosaic.accounts.models import User
from landmosaic.core.permissions import Role
from landmosaic.landscapes.models import Invitation, Membership
from tests.factories import LandscapeFactory, UserFactory, member

from .helpers import open_menu, sign_in

pytestmark = pytest.mark.browser


def test_invited_newcomer_signs_up_accepts_and_sees_the_private_landscape(new_page, live_server, settings):
    settings.SITE_URL = live_server.url  # so that the link in the email points at this server
    landscape = LandscapeFactory(name="Kilombero Valley", visibility="private")
    manager = member(landscape, Role.MANAGER, name="Grace Mushi")
    outsider = UserFactory()

    # The manager invites newcomer@example.org as an editor.
    page = new_page()
    sign_in(page, manager.email)
    page.goto(f"/landscapes/{landscape.slug}/members/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Members of Kilombero Valley")
    invite = page.locator("form").filter(has=page.get_by_role("button", name="Send the invitation"))
    invite.get_by_label("Email address").fill("newcomer@example.org")
    invite.get_by_label("Role").select_option("editor")
    invite.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".messages")).to_contain_text("Invitation sent to newcomer@example.org.")
    expect(page.get_by_role("listitem").filter(has_text="newcomer@example.org")).to_contain_text("Editor")

    invitation = Invitation.objects.get(landscape=landscape, email="newcomer@example.org")
    assert invitation.role == Role.EDITOR.slug
    assert invitation.status == Invitation.Status.PENDING
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["newcomer@example.org"]
    assert "Kilombero Valley" in email.subject
    links = re.findall(rf"{re.escape(live_server.url)}/landscapes/invitations/[^/\s]+/", email.body)
    assert len(links) == 1, email.body
    link = links[0]

    # The newcomer, in their own browser, opens the link, signs up with that address and accepts.
    newcomer = new_page()
    newcomer.goto(link)
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Invitation to Kilombero Valley")
    expect(newcomer.locator("main")).to_contain_text(
        "This invitation is for newcomer@example.org, as Editor."
    )
    newcomer.locator("main").get_by_role("link", name="Sign up").click()
    expect(newcomer).to_have_url(re.compile(r"/accounts/signup/\?next=/landscapes/invitations/"))
    form = newcomer.locator("main form")
    form.get_by_label("Your name").fill("Neema Newcomer")
    form.get_by_label("Email address").fill("newcomer@example.org")
    form.get_by_label("Password").fill("a-long-and-unusual-passphrase")
    form.get_by_role("button", name="Sign up").click()

    expect(newcomer).to_have_url(link)  # back on the invitation page, signed in
    expect(newcomer.locator("main")).to_contain_text("You are invited as Editor.")
    newcomer.get_by_role("button", name="Accept").click()

    expect(newcomer).to_have_url(f"{live_server.url}/landscapes/{landscape.slug}/")
    expect(newcomer.locator(".messages")).to_contain_text("Welcome to Kilombero Valley!")
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Kilombero Valley")
    expect(newcomer.locator(".badge-role").first).to_have_text(re.compile(r"^You: editor$", re.IGNORECASE))
    expect(open_menu(newcomer).get_by_role("link", name="Neema Newcomer")).to_be_visible()
    assert not newcomer.js_errors

    user = User.objects.get(email="newcomer@example.org")
    assert Membership.objects.get(landscape=landscape, user=user).role == Role.EDITOR.slug
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED

    # An outsider, in a third browser, gets the not-found page for the same address.
    stranger = new_page()
    sign_in(stranger, outsider.email)
    response = stranger.goto(f"/landscapes/{landscape.slug}/")
    assert response is not None and response.status == 404
    expect(stranger.get_by_role("heading", level=1)).to_have_text("Not found")
    expect(stranger.locator("body")).not_to_contain_text("Kilombero Valley")
