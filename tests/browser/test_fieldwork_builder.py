"""Journey: an editor without an XLSForm builds a form on a phone: adds, moves and removes questions."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from landmosaic.core.permissions import Role
from landmosaic.fieldwork.models import Form
from tests.factories import LandscapeFactory, member

from .helpers import controls_without_name, sign_in

pytestmark = pytest.mark.browser
QUESTION = re.compile(r"^Question:?$")


def test_an_editor_builds_a_form_in_the_page(page, live_server):
    landscape = LandscapeFactory(visibility="private")
    editor = member(landscape, Role.EDITOR)
    sign_in(page, editor.email)
    page.goto(f"/landscapes/{landscape.slug}/field-data/")
    page.get_by_role("link", name="Build a form").click()
    expect(page.get_by_role("heading", name="Build a form", level=1)).to_be_visible()
    # With the script, the order and delete fields give way to buttons.
    expect(page.get_by_label("Order")).to_be_hidden()

    page.get_by_label("Title").fill("Tree planting")
    page.get_by_label("Method and protocol").fill("Count seedlings on the day of planting.")
    rows = page.locator("[data-builder-question]")
    first = rows.nth(0)
    first.get_by_label(QUESTION).fill("Species")
    first.get_by_label("An answer is required").check()
    expect(first.get_by_label("Pattern (regular expression)")).to_be_visible()
    expect(first.get_by_label("Minimum")).to_be_hidden()

    page.get_by_role("button", name="Add a question").click()
    second = rows.nth(1)
    expect(second.get_by_label(QUESTION)).to_be_focused()
    second.get_by_label("Type").select_option("integer")
    expect(second.get_by_label("Minimum")).to_be_visible()
    expect(second.get_by_label("Pattern (regular expression)")).to_be_hidden()
    second.get_by_label(QUESTION).fill("Seedlings planted")
    expect(second.get_by_label("Name")).to_have_attribute("placeholder", "seedlings_planted")
    second.get_by_label("Minimum").fill("1")

    page.get_by_role("button", name="Add a question").click()
    third = rows.nth(2)
    third.get_by_label("Type").select_option("select_one")
    third.get_by_label(QUESTION).fill("Kind of tree")
    third.get_by_label("Choices, one per line").fill("Native\nFruit\nTimber")

    page.get_by_role("button", name="Add a question").click()
    rows.nth(3).get_by_label(QUESTION).fill("A question I do not want")
    rows.nth(3).get_by_role("button", name="Remove").click()
    expect(rows.nth(3)).to_be_hidden()

    second.get_by_role("button", name="Move up").click()
    expect(rows.nth(0).locator("[data-builder-number]")).to_have_text("1")
    expect(rows.nth(0).get_by_label(QUESTION)).to_have_value("Seedlings planted")
    assert controls_without_name(page) == []

    page.get_by_role("button", name="Build the form").click()
    expect(page.get_by_role("heading", name="Tree planting", level=1)).to_be_visible()
    expect(page.get_by_text(re.compile(r"The form is built as version"))).to_be_visible()
    form = Form.objects.get()
    questions = [f["path"] for f in form.current_version.fields if not f["preload"]]
    assert questions[:3] == ["seedlings_planted", "species", "kind_of_tree"]
    assert "a_question_i_do_not_want" not in questions
    assert form.method == "Count seedlings on the day of planting."
    expect(page.get_by_role("link", name="XLSForm")).to_have_attribute("href", re.compile(r"/form\.xlsx$"))
    assert page.js_errors == []
