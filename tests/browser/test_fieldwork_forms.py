"""Journey: an editor uploads an XLSForm (a broken one first), publishes it, creates collector access
(QR code and address), a phone sends a record, the monitoring page maps it, and the editor reviews it."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from playwright.sync_api import expect

from landmosaic.core.permissions import Role
from landmosaic.fieldwork.models import Form, Submission
from tests.factories import LandscapeFactory, member
from tests.fieldwork.conftest import JPEG, Collect, submission_xml, tree_form_xlsx, xlsx

from .helpers import controls_without_name, sign_in

pytestmark = pytest.mark.browser
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(page, name: str, data: bytes) -> None:
    page.get_by_label("XLSForm (.xlsx)").set_input_files({"name": name, "mimeType": XLSX, "buffer": data})
    page.get_by_role("button", name="Upload and convert").click()


def test_upload_publish_collect_monitor_and_review(page, live_server):
    landscape = LandscapeFactory(visibility="private")
    editor = member(landscape, Role.EDITOR)
    sign_in(page, editor.email)
    page.goto(f"/landscapes/{landscape.slug}/field-data/")

    # A broken XLSForm: pyxform's error with its sheet and row, and nothing stored.
    broken = xlsx(
        survey=[["type", "name", "label"], ["text", "q1", "Q1"], ["text", "q1", "Again"]], choices=[]
    )
    upload(page, "broken.xlsx", broken)
    problems = page.get_by_role("alert").filter(has_text="What to fix in the XLSForm")
    expect(problems).to_contain_text("Sheet “survey”, row 3")
    assert not Form.objects.exists()

    upload(page, "trees.xlsx", tree_form_xlsx())
    expect(page.get_by_role("heading", name="Tree survey", level=1)).to_be_visible()
    expect(page.get_by_text("Version 2024050101 of the form is stored.")).to_be_visible()
    page.get_by_role("button", name="Publish to collectors").click()
    expect(page.locator(".badge").first).to_have_text("Published: collecting")
    assert controls_without_name(page) == []

    # Collector access: the QR code and the address to paste into ODK Collect, shown once.
    page.get_by_role("link", name="All forms").click()
    page.get_by_role("link", name="Collector access and QR codes").click()
    page.get_by_label("Who will collect?").fill("Village monitors")
    page.get_by_role("button", name="Create and show the QR code").click()
    expect(page.locator(".fieldwork-qr svg")).to_be_visible()
    address = page.get_by_label("Server address").input_value()
    assert re.fullmatch(r"https?://[^/]+/collect/[A-Za-z0-9_-]+/?", address), address

    # A phone with that address sends a record with a photo.
    phone = Collect(Client(), urlsplit(address).path.rstrip("/") + "/", {})
    response = phone.submit(
        submission_xml(instance_id="uuid:journey-1", photo="tree.jpg"), {"tree.jpg": JPEG}
    )
    assert response.status_code == 201, response.content

    # Monitoring: counts, the collector, and the record on the map.
    form = Form.objects.get()
    page.goto(form.get_absolute_url())
    page.get_by_role("link", name="Records and monitoring").click()
    expect(page.locator("[data-lm-map] path.leaflet-interactive")).to_have_count(1)
    # Once per collector in the monitoring table, once in the record's row.
    expect(page.get_by_role("cell", name="Village monitors")).to_have_count(2)
    expect(page.get_by_text("-8.10000, 36.10000")).to_be_visible()

    # Review: rejecting needs a comment; then the decision is kept.
    page.locator("table a[href*='/records/']").first.click()
    expect(page.get_by_role("img", name="Photo: Photo")).to_be_visible()
    page.get_by_label("Reject").check()
    page.get_by_role("button", name=re.compile("Save")).click()
    expect(page.locator("main .errorlist")).to_contain_text("This field is required.")
    assert Submission.objects.get().review_status == "pending"
    page.get_by_label("Reject").check()
    page.get_by_label("Comment").fill("The photo does not show the tree.")
    page.get_by_role("button", name=re.compile("Save")).click()
    expect(page.get_by_text("The review is saved.")).to_be_visible()
    record = Submission.objects.get()
    assert (record.review_status, record.review_comment) == ("rejected", "The photo does not show the tree.")
    assert page.js_errors == []
