"""The REST API of field data, as every kind of caller."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from landmosaic.fieldwork import qr
from landmosaic.fieldwork.models import CollectorAccess, Form, Submission
from tests.fieldwork.conftest import submission_xml, tree_form_xlsx, xlsx

API = "/api/v1"


def client_for(user) -> Client:
    client = Client()
    if getattr(user, "is_authenticated", False):
        client.force_login(user)
    return client


@pytest.mark.parametrize(
    "person,status",
    [
        ("anonymous", 401),
        ("outsider", 404),
        ("superuser", 404),
        ("viewer", 200),
        ("member", 200),
        ("editor", 200),
    ],
)
def test_form_list_by_role(field, person, status):
    response = client_for(field.cast[person]).get(f"{API}/landscapes/{field.landscape.slug}/forms")
    assert response.status_code == status
    if status == 200:
        (form,) = response.json()
        assert form["form_id"] == "trees" and form["current_version"]["xform_md5"]
        assert ("change" in form["allowed_actions"]) == (person == "editor")


def test_upload_through_the_api(private_cast):
    client = client_for(private_cast.editor)
    url = f"{API}/landscapes/{private_cast.landscape.slug}/forms"
    response = client.post(url, {"file": SimpleUploadedFile("trees.xlsx", tree_form_xlsx())})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["created"] and body["form"]["current_version"]["version"] == "2024050101"
    assert any(i["level"] == "info" for i in body["form"]["current_version"]["issues"])
    again = client.post(url, {"file": SimpleUploadedFile("trees.xlsx", tree_form_xlsx())})
    assert again.status_code == 200 and not again.json()["created"]
    conflict = client.post(url, {"file": SimpleUploadedFile("t.xlsx", tree_form_xlsx(title="Other"))})
    assert conflict.status_code == 409
    assert conflict.json()["error"]["code"] == "version_exists"


def test_bad_xlsform_through_the_api_is_400_with_issues(private_cast):
    data = xlsx(survey=[["type", "name", "label"], ["texxt", "q", "Q"]], choices=[])
    response = client_for(private_cast.editor).post(
        f"{API}/landscapes/{private_cast.landscape.slug}/forms",
        {"file": SimpleUploadedFile("bad.xlsx", data)},
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "xlsform_invalid"
    issue = error["details"]["issues"][0]
    assert (issue["sheet"], issue["row"]) == ("survey", 2)
    assert not Form.objects.exists()


@pytest.mark.parametrize("person,status", [("member", 403), ("editor", 200)])
def test_publish_close_and_review_need_editor(field, person, status):
    field.collect.submit(submission_xml(instance_id="uuid:api"))
    record = Submission.objects.get()
    client = client_for(field.cast[person])
    base = f"{API}/landscapes/{field.landscape.slug}/forms/{field.form.pk}"
    assert client.post(f"{base}/close").status_code == status
    assert client.post(f"{base}/publish").status_code == status
    response = client.post(
        f"{base}/records/{record.pk}/review",
        {"status": "approved", "comment": "Fine"},
        content_type="application/json",
    )
    assert response.status_code == status
    if status == 200:
        assert response.json()["review_status"] == "approved"


def test_records_through_the_api(field):
    field.collect.submit(submission_xml(instance_id="uuid:a1"))
    response = client_for(field.cast.viewer).get(
        f"{API}/landscapes/{field.landscape.slug}/forms/{field.form.pk}/records"
    )
    assert response.status_code == 200
    (item,) = response.json()["items"]
    assert item["instance_id"] == "uuid:a1" and item["location"] == [36.1, -8.1]
    assert item["collector"] == "Village monitors" and item["data"]["species"] == "Baobab"


def test_collectors_through_the_api(field):
    client = client_for(field.cast.editor)
    url = f"{API}/landscapes/{field.landscape.slug}/collectors"
    response = client.post(url, {"name": "East team"}, content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert qr.decode_settings(body["collect_settings"])["general"]["server_url"] == body["server_url"]
    listed = client.get(url).json()
    assert {a["name"] for a in listed} == {"Village monitors", "East team"}
    assert all("server_url" not in a for a in listed)
    revoked = client.post(f"{url}/{body['id']}/revoke")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert CollectorAccess.objects.get(pk=body["id"]).revoked_at is not None
    assert client_for(field.cast.member).get(url).status_code == 403
