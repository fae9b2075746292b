"""The offline web form, server side: rendering, answers -> XML -> the shared submission service."""

from __future__ import annotations

import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from landmosaic.fieldwork import services
from landmosaic.fieldwork.models import Submission
from landmosaic.fieldwork.webform import read_webform
from landmosaic.fieldwork.xforms import read_submission
from tests.fieldwork.conftest import JPEG, tree_form_xlsx, xlsx


def client_for(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    if getattr(user, "is_authenticated", False):
        client.force_login(user)
    return client


def fill_url(field) -> str:
    return f"/landscapes/{field.landscape.slug}/field-data/forms/{field.form.pk}/fill/"


def payload(field, **answers) -> dict:
    return {
        "instanceID": f"uuid:{uuid.uuid4()}",
        "version": field.form.current_version.version,
        "start": "2024-05-01T09:00:00.000Z",
        "end": "2024-05-01T09:05:00.000Z",
        "deviceid": "webform:abc-123",
        "answers": {
            "species": "Baobab",
            "count": "3",
            "health": "good",
            "location": "-8.1 36.1 0 0",
            **answers,
        },
    }


def post(client, field, data: dict, files: dict[str, bytes] | None = None):
    page = client.get(fill_url(field))
    token = (
        page.cookies["csrftoken"].value if "csrftoken" in page.cookies else client.cookies["csrftoken"].value
    )
    body = {"payload": json.dumps(data)}
    if files:
        body["file"] = [
            SimpleUploadedFile(name, content, content_type="image/jpeg") for name, content in files.items()
        ]
    return client.post(fill_url(field) + "submit/", body, HTTP_X_CSRFTOKEN=token)


def test_fill_page_renders_the_supported_questions(field):
    response = client_for(field.cast.member).get(fill_url(field))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-q="species"' in html and "required" in html
    assert 'value="good"' in html and "Good" in html
    assert "Use my location" in html
    assert 'type="file" accept="image/*"' in html
    assert 'data-q="start"' not in html  # metadata is filled server-side
    assert "fieldwork/webform.js" in html


def test_form_page_links_to_the_web_form(field):
    response = client_for(field.cast.member).get(fill_url(field).removesuffix("fill/"))
    assert fill_url(field) in response.content.decode()


@pytest.mark.parametrize(("person", "status"), [("anonymous", 302), ("outsider", 404), ("viewer", 403)])
def test_only_members_may_fill(field, person, status):
    client = client_for(field.cast[person])
    assert client.get(fill_url(field)).status_code == status


@pytest.mark.parametrize(("person", "status"), [("anonymous", 401), ("outsider", 404), ("viewer", 403)])
def test_only_members_may_submit(field, person, status):
    client = Client()  # the CSRF check is not the point here
    if person != "anonymous":
        client.force_login(field.cast[person])
    response = client.post(fill_url(field) + "submit/", {"payload": json.dumps(payload(field))})
    assert response.status_code == status
    assert "message" in response.json()
    assert not Submission.objects.exists()


def test_answers_become_a_submission_through_the_shared_service_and_resending_is_idempotent(field):
    client = client_for(field.cast.member)
    data = payload(field, photo="photo-1.jpg")
    response = post(client, field, data, {"photo-1.jpg": JPEG})
    assert response.status_code == 201, response.content
    record = Submission.objects.get()
    assert record.instance_id == data["instanceID"]
    assert record.submitted_by == field.cast.member
    assert record.data["species"] == "Baobab" and record.data["count"] == "3"
    assert (record.lon, record.lat) == (36.1, -8.1)
    assert record.device_id == "webform:abc-123"
    assert record.started_at is not None
    assert list(record.attachments.values_list("name", flat=True)) == ["photo-1.jpg"]
    document = read_submission(record.xml.encode())
    assert (document.form_id, document.version) == ("trees", field.form.current_version.version)

    again = post(client, field, data, {"photo-1.jpg": JPEG})
    assert again.status_code == 200, again.content
    assert again.json()["created"] is False
    assert Submission.objects.count() == 1
    assert record.attachments.count() == 1


def test_csrf_token_is_required(field):
    client = client_for(field.cast.member)
    response = client.post(fill_url(field) + "submit/", {"payload": json.dumps(payload(field))})
    assert response.status_code == 403
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    ("answers", "question"),
    [
        ({"species": ""}, "species"),  # required
        ({"count": "three"}, "count"),
        ({"count": "3000000000"}, "count"),  # beyond XForms' 32-bit int: refused on the question itself
        ({"health": "dead"}, "health"),
        ({"location": "95 200"}, "location"),
        ({"photo": "missing.jpg"}, "photo"),
    ],
)
def test_invalid_answers_are_400_with_messages(field, answers, question):
    response = post(client_for(field.cast.member), field, payload(field, **answers))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "answers_invalid"
    assert list(body["errors"]) == [question] and body["errors"][question][0]
    assert not Submission.objects.exists()


def test_unreadable_or_unknown_records_are_refused(field):
    client = client_for(field.cast.member)
    assert post(client, field, {**payload(field), "instanceID": "nope"}).status_code == 400
    assert post(client, field, {**payload(field), "version": "1999"}).json()["code"] == "unknown_version"
    services.form_unpublish(actor=field.cast.editor, form=field.form)
    response = post(client, field, payload(field))
    assert response.status_code == 403 and response.json()["code"] == "form_closed"
    assert "not published" in client.get(fill_url(field)).content.decode()


def test_constraints_required_and_types_of_the_subset(private_cast):
    data = xlsx(
        survey=[
            ["type", "name", "label", "required", "constraint"],
            ["decimal", "dbh", "Trunk", "", ". >= 1.5 and . <= 300"],
            ["integer", "age", "Age", "", ". > 0"],
            ["date", "seen", "Seen on", "yes", ""],
            ["select_multiple uses", "uses", "Uses", "", ""],
            ["note", "hello", "Thank you", "", ""],
        ],
        choices=[["list_name", "name", "label"], ["uses", "food", "Food"], ["uses", "wood", "Wood"]],
        settings=[["form_id", "version"], ["plants", "1"]],
    )
    form, version, _created = services.form_upload(
        actor=private_cast.editor, landscape=private_cast.landscape, data=data, filename="plants.xlsx"
    )
    webform = read_webform(version.xform)
    assert webform.supported
    by_path = {q.path: q for q in webform.questions}
    assert (by_path["dbh"].min, by_path["dbh"].max) == ("1.5", "300")
    assert by_path["age"].min == "" and by_path["age"].bounds
    assert by_path["seen"].required and by_path["uses"].kind == "select_multiple"
    assert by_path["hello"].kind == "note"
    form = services.form_publish(actor=private_cast.editor, form=form)
    client = client_for(private_cast.member)
    url = f"/landscapes/{private_cast.landscape.slug}/field-data/forms/{form.pk}/fill/"
    html = client.get(url).content.decode()
    assert 'min="1.5"' in html and 'max="300"' in html
    token = client.cookies["csrftoken"].value
    base = {"instanceID": f"uuid:{uuid.uuid4()}", "version": "1"}

    def send(**answers):
        body = {"payload": json.dumps({**base, "answers": answers})}
        return client.post(url + "submit/", body, HTTP_X_CSRFTOKEN=token)

    bad = send(dbh="1", age="0", seen="2024-13-01", uses=["food", "fire"])
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"dbh", "age", "seen", "uses"}
    good = send(dbh="2.5", age="4", seen="2024-05-01", uses=["food", "wood"])
    assert good.status_code == 201, good.content
    assert Submission.objects.get().data["uses"] == "food wood"


def test_forms_beyond_the_subset_need_collect(private_cast):
    data = xlsx(
        survey=[
            ["type", "name", "label", "relevant"],
            ["text", "a", "A", ""],
            ["text", "b", "B", "${a} = 'x'"],
            ["begin repeat", "r", "Trees", ""],
            ["text", "c", "C", ""],
            ["end repeat", "", "", ""],
        ],
        choices=[],
        settings=[["form_id", "version"], ["complex", "1"]],
    )
    form, version, _created = services.form_upload(
        actor=private_cast.editor, landscape=private_cast.landscape, data=data, filename="complex.xlsx"
    )
    assert not read_webform(version.xform).supported
    services.form_publish(actor=private_cast.editor, form=form)
    url = f"/landscapes/{private_cast.landscape.slug}/field-data/forms/{form.pk}/fill/"
    html = client_for(private_cast.member).get(url).content.decode()
    assert "needs ODK Collect" in html
    assert "webform.js" not in html


def test_service_worker_scope_covers_the_fill_pages(field):
    response = Client().get(f"/landscapes/{field.landscape.slug}/field-data/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == f"/landscapes/{field.landscape.slug}/field-data/"
    assert b"addEventListener('fetch'" in response.content
    # It answers static files from its cache by their prefix, and fill pages by the cache it names.
    assert b"var STATIC = '/static/';" in response.content
    assert b"var CACHE = 'webform" in response.content


def test_the_version_check_answers_the_current_version_and_who_is_signed_in(field):
    client = client_for(field.cast.member)
    response = client.get(fill_url(field) + "?check=version")
    assert response.status_code == 200
    member = {"id": str(field.cast.member.pk), "name": field.cast.member.display_name}
    assert response.json() == {"version": "2024050101", "collector": member}
    assert response["Cache-Control"] == "no-store"

    services.form_upload(
        actor=field.cast.editor,
        landscape=field.landscape,
        data=tree_form_xlsx(version="2024060101"),
        filename="trees.xlsx",
        form=field.form,
    )
    services.form_publish(actor=field.cast.editor, form=field.form)
    assert client.get(fill_url(field) + "?check=version").json()["version"] == "2024060101"

    # Closed: no version to fill in, which the page also reports as a change.
    services.form_unpublish(actor=field.cast.editor, form=field.form)
    assert client.get(fill_url(field) + "?check=version").json() == {"version": "", "collector": member}


@pytest.mark.parametrize(("person", "status"), [("anonymous", 302), ("outsider", 404), ("viewer", 403)])
def test_the_version_check_is_for_collectors_only(field, person, status):
    response = client_for(field.cast[person]).get(fill_url(field) + "?check=version")
    assert response.status_code == status
    assert b"2024050101" not in response.content


def test_fill_page_carries_what_its_offline_script_needs(field):
    html = client_for(field.cast.member).get(fill_url(field)).content.decode()
    assert f'data-version-url="{fill_url(field)}?check=version"' in html
    assert 'data-csrf-cookie="csrftoken"' in html
    assert "data-webform-newer" in html and "A newer version of this form is available." in html
    assert "Ready to use offline" in html
    # Who saves the records on this page, so a shared phone sends each under its own collector.
    assert f'data-collector="{field.cast.member.pk}"' in html
    assert f'data-collector-name="{field.cast.member.display_name}"' in html
    assert "records waiting for %(name)s to sign in." in html
    assert f"You fill in as {field.cast.member.display_name}." in html


def test_a_web_form_record_over_the_size_limit_is_413_with_a_message(field, settings):
    settings.FIELDWORK_SUBMISSION_MAX_BYTES = 2000
    client = client_for(field.cast.member)
    response = post(client, field, payload(field, photo="big.jpg"), {"big.jpg": JPEG * 100})
    assert response.status_code == 413
    assert "too large" in response.json()["message"]
    assert not Submission.objects.exists()


def test_a_record_stating_another_collector_is_refused_with_a_message_and_nothing_stored(field):
    """A shared phone's queue holds several people's records: none may be stored under another's session."""
    client = client_for(field.cast.member)
    data = {**payload(field), "collector": str(field.cast.editor.pk)}
    response = post(client, field, data)
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "collector_mismatch"
    assert "saved on this device by another account" in body["message"]
    assert not Submission.objects.exists()

    # Stated as the one sending it: received under that person.
    data["collector"] = str(field.cast.member.pk)
    assert post(client, field, data).status_code == 201
    assert Submission.objects.get().submitted_by == field.cast.member


def test_a_record_queued_before_records_named_their_collector_is_still_received(field):
    client = client_for(field.cast.member)
    data = payload(field)
    assert "collector" not in data
    assert post(client, field, data).status_code == 201
    assert post(client, field, {**data, "collector": ""}).status_code == 200
    assert Submission.objects.get().submitted_by == field.cast.member


def test_another_account_cannot_resend_a_received_record_as_its_collector(field):
    """Idempotency by instanceID holds per collector: the same record again from its collector is a
    harmless repeat, from anyone else it is refused and the record stays as it was."""
    data = {**payload(field), "collector": str(field.cast.member.pk)}
    assert post(client_for(field.cast.member), field, data).status_code == 201
    again = post(client_for(field.cast.member), field, data)
    assert (again.status_code, again.json()["created"]) == (200, False)

    editor = client_for(field.cast.editor)
    assert post(editor, field, data).json()["code"] == "collector_mismatch"
    # Claiming it as the editor's own: the same instanceID with other content is not taken.
    claimed = post(editor, field, {**data, "collector": str(field.cast.editor.pk)})
    assert claimed.status_code == 409, claimed.content
    record = Submission.objects.get()
    assert record.submitted_by == field.cast.member
    assert record.username == field.cast.member.display_name
