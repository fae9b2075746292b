"""Journey: the web form on a phone shows questions by their conditions, checks text patterns as the
person types, and scales a large photo down before it is queued and sent."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from landmosaic.core.permissions import Role
from landmosaic.fieldwork import services
from landmosaic.fieldwork.models import Submission
from tests.factories import LandscapeFactory, member
from tests.fieldwork.conftest import xlsx
from tests.fieldwork.test_webform_logic import CHOICES, SURVEY

from .helpers import sign_in

pytestmark = pytest.mark.browser


def big_photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2400, 1200), (40, 120, 60)).save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()


def test_conditions_patterns_and_photo_scaling_in_the_browser(page, live_server):
    landscape = LandscapeFactory(visibility="private")
    editor = member(landscape, Role.EDITOR)
    collector = member(landscape, Role.MEMBER)
    form, _version, _created = services.form_upload(
        actor=editor,
        landscape=landscape,
        data=xlsx(survey=SURVEY, choices=CHOICES, settings=[["form_id", "version"], ["fire", "1"]]),
        filename="fire.xlsx",
    )
    services.form_publish(actor=editor, form=form)

    sign_in(page, collector.email)
    page.goto(f"/landscapes/{landscape.slug}/field-data/forms/{form.pk}/fill/")
    area = page.locator("[data-q=burnt_area]")
    expect(area).to_be_hidden()
    page.get_by_role("radio", name="Yes").check()
    expect(area).to_be_visible()
    page.get_by_role("radio", name="No").check()
    expect(area).to_be_hidden()
    wood = page.locator("[data-q=wood_kind]")
    page.get_by_role("checkbox", name="Wood").check()
    expect(wood).to_be_visible()
    page.get_by_role("checkbox", name="Wood").uncheck()

    code = page.get_by_label("Plot code")
    code.fill("ab-12")
    assert code.evaluate("el => el.validationMessage") == "Two letters, a dash, three digits."
    code.fill("AB-123")
    assert code.evaluate("el => el.validity.valid")

    photo = big_photo()
    page.get_by_label("Photo", exact=True).set_input_files(
        {"name": "big.jpg", "mimeType": "image/jpeg", "buffer": photo}
    )
    expect(page.get_by_text("Photos are reduced to at most 800 pixels")).to_be_visible()
    page.get_by_role("button", name="Save the record").click()
    expect(page.locator("[data-webform-status]")).to_have_text("All records are sent.")

    record = Submission.objects.get()
    assert record.data["code"] == "AB-123" and record.data["burnt"] == "no"
    assert not record.data["burnt_area"]
    attachment = record.attachments.get()
    with attachment.file.open("rb") as handle:
        stored = handle.read()
    image = Image.open(io.BytesIO(stored))
    assert (image.format, image.size) == ("JPEG", (800, 400))
    assert len(stored) < len(photo)
    assert page.js_errors == []
