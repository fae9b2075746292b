"""OpenRosa 1.0 as ODK Collect uses it: formList, form and media download, HEAD and POST submission."""

from __future__ import annotations

import base64
import hashlib
import uuid

import pytest
from defusedxml.ElementTree import fromstring
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from landmosaic.core.permissions import Role
from landmosaic.fieldwork import services
from landmosaic.fieldwork.models import Attachment, Submission
from tests.factories import PASSWORD, LandscapeFactory, UserFactory, member
from tests.fieldwork.conftest import JPEG, Collect, publish_tree_form, submission_xml, tree_form_xlsx

XFORMS = "{http://openrosa.org/xforms/xformsList}"
MANIFEST = "{http://openrosa.org/xforms/xformsManifest}"
RESPONSE = "{http://openrosa.org/http/response}"


def assert_openrosa_headers(response):
    assert response["X-OpenRosa-Version"] == "1.0"
    assert response["Date"].endswith("GMT")


def message_of(response) -> tuple[str, str]:
    root = fromstring(response.content)
    assert root.tag == f"{RESPONSE}OpenRosaResponse"
    message = root.find(f"{RESPONSE}message")
    return message.get("nature"), message.text


# --- Form list, download, manifest, media ---------------------------------------------------------


def test_form_list_follows_the_spec_and_hash_matches_the_download(field):
    response = field.collect.get("formList")
    assert response.status_code == 200
    assert_openrosa_headers(response)
    assert response["Content-Type"].startswith("text/xml")
    root = fromstring(response.content)
    assert root.tag == f"{XFORMS}xforms"
    (item,) = root.findall(f"{XFORMS}xform")
    assert [child.tag.removeprefix(XFORMS) for child in item] == [
        "formID",
        "name",
        "version",
        "hash",
        "downloadUrl",
    ]
    assert item.findtext(f"{XFORMS}formID") == "trees"
    assert item.findtext(f"{XFORMS}name") == "Tree survey"
    assert item.findtext(f"{XFORMS}version") == "2024050101"
    download = item.findtext(f"{XFORMS}downloadUrl")
    assert download.startswith("http://testserver/collect/")
    form_xml = field.collect.client.get(download.removeprefix("http://testserver"))
    assert form_xml.status_code == 200
    assert_openrosa_headers(form_xml)
    digest = hashlib.md5(form_xml.content, usedforsecurity=False).hexdigest()
    assert item.findtext(f"{XFORMS}hash") == f"md5:{digest}"


def test_form_list_with_double_slash_and_form_id_filter(field):
    assert field.collect.client.get(f"/collect/{field.secret}//formList").status_code == 200
    empty = fromstring(field.collect.get("formList?formID=other").content)
    assert empty.findall(f"{XFORMS}xform") == []


def test_unpublished_forms_are_not_listed_nor_downloadable(field):
    services.form_unpublish(actor=field.cast.editor, form=field.form)
    assert fromstring(field.collect.get("formList").content).findall(f"{XFORMS}xform") == []
    response = field.collect.get("forms/trees/form.xml")
    assert response.status_code == 404
    assert_openrosa_headers(response)


def test_manifest_and_media(field):
    services.form_media_add(
        actor=field.cast.editor,
        form=field.form,
        uploaded=ContentFile(b"name,label\nbaobab,Baobab\n"),
        filename="species.csv",
    )
    item = fromstring(field.collect.get("formList").content).find(f"{XFORMS}xform")
    manifest_url = item.findtext(f"{XFORMS}manifestUrl").removeprefix("http://testserver")
    response = field.collect.client.get(manifest_url)
    assert response.status_code == 200
    assert_openrosa_headers(response)
    root = fromstring(response.content)
    assert root.tag == f"{MANIFEST}manifest"
    (media,) = root.findall(f"{MANIFEST}mediaFile")
    assert media.findtext(f"{MANIFEST}filename") == "species.csv"
    content = b"name,label\nbaobab,Baobab\n"
    digest = hashlib.md5(content, usedforsecurity=False).hexdigest()
    assert media.findtext(f"{MANIFEST}hash") == f"md5:{digest}"
    download = field.collect.client.get(
        media.findtext(f"{MANIFEST}downloadUrl").removeprefix("http://testserver")
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content


# --- Submission: HEAD, POST, idempotency, merging, conflicts, versions ------------------------------


def test_head_answers_204_with_accepted_length(field, settings):
    response = field.collect.head()
    assert response.status_code == 204
    assert_openrosa_headers(response)
    assert response["X-OpenRosa-Accept-Content-Length"] == str(settings.FIELDWORK_SUBMISSION_MAX_BYTES)
    assert field.collect.client.get(field.collect.base + "submission").status_code == 204


def test_post_answers_201_with_openrosa_response_and_stores_the_record(field):
    xml = submission_xml(instance_id="uuid:one", photo="tree.jpg")
    response = field.collect.submit(xml, {"tree.jpg": JPEG})
    assert response.status_code == 201, response.content
    assert_openrosa_headers(response)
    nature, text = message_of(response)
    assert nature == "submit_success" and text
    record = Submission.objects.get(instance_id="uuid:one")
    assert record.form == field.form and record.form_version.version == "2024050101"
    assert record.data["species"] == "Baobab" and record.data["count"] == "3"
    assert (record.lon, record.lat) == (36.1, -8.1)
    assert record.outside_landscape is False
    assert record.collector == field.access and record.collector_name == "Village monitors"
    assert record.device_id == "collect:abc123" and record.username == "amina"
    assert record.started_at.isoformat() == "2024-05-01T06:00:00+00:00"
    assert record.ended_at.isoformat() == "2024-05-01T06:12:30+00:00"
    assert record.review_status == "pending" and record.is_current
    (attachment,) = record.attachments.all()
    assert attachment.name == "tree.jpg" and attachment.sha256 == hashlib.sha256(JPEG).hexdigest()
    # Stored under a path nobody can guess, not under its own name.
    assert "tree.jpg" not in attachment.file.name and len(attachment.file.name.rsplit("/", 1)[-1]) == 32


def test_resubmitting_the_same_record_is_idempotent(field):
    xml = submission_xml(instance_id="uuid:same", photo="tree.jpg")
    for _ in range(3):
        response = field.collect.submit(xml, {"tree.jpg": JPEG})
        assert response.status_code == 201
    assert Submission.objects.filter(instance_id="uuid:same").count() == 1
    assert Attachment.objects.filter(submission__instance_id="uuid:same").count() == 1


def test_a_plain_retry_writes_nothing_and_takes_no_write_lock(field):
    """On SQLite a write transaction waits for every other writer: a retry has nothing to write."""
    xml = submission_xml(instance_id="uuid:retry", photo="tree.jpg")
    assert field.collect.submit(xml, {"tree.jpg": JPEG}).status_code == 201
    with CaptureQueriesContext(connection) as queries:
        response = field.collect.submit(xml, {"tree.jpg": JPEG}, check_head=False)
    assert response.status_code == 201
    assert "already received" in message_of(response)[1]
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []


def test_split_submission_is_merged(field):
    xml = submission_xml(instance_id="uuid:split", photo="a.jpg", leaf_photo="b.jpg")
    first = field.collect.submit(xml, {"a.jpg": JPEG}, incomplete=True)
    assert first.status_code == 201
    assert "b.jpg" in message_of(first)[1]  # still expected
    second = field.collect.submit(xml, {"b.jpg": JPEG + b"2"}, check_head=False)
    assert second.status_code == 201
    record = Submission.objects.get(instance_id="uuid:split")
    assert sorted(record.attachments.values_list("name", flat=True)) == ["a.jpg", "b.jpg"]
    assert Submission.objects.filter(instance_id="uuid:split").count() == 1


def test_different_xml_under_an_existing_instance_id_is_409(field):
    assert field.collect.submit(submission_xml(instance_id="uuid:x", species="Baobab")).status_code == 201
    response = field.collect.submit(submission_xml(instance_id="uuid:x", species="Acacia"))
    assert response.status_code == 409
    assert_openrosa_headers(response)
    assert message_of(response)[0] == "error"
    assert Submission.objects.get(instance_id="uuid:x").data["species"] == "Baobab"


def test_deprecated_id_makes_a_new_version_of_the_record(field):
    field.collect.submit(submission_xml(instance_id="uuid:v1", species="Baobab"))
    response = field.collect.submit(
        submission_xml(instance_id="uuid:v2", deprecated_id="uuid:v1", species="Acacia")
    )
    assert response.status_code == 201
    v1, v2 = Submission.objects.get(instance_id="uuid:v1"), Submission.objects.get(instance_id="uuid:v2")
    assert not v1.is_current and v2.is_current
    assert v2.previous == v1 and v2.record_id == v1.record_id == "uuid:v1"
    # Editing an old version again is a conflict, not a silent fork.
    response = field.collect.submit(submission_xml(instance_id="uuid:v3", deprecated_id="uuid:v1"))
    assert response.status_code == 409


def test_a_record_from_an_older_form_version_is_still_accepted(field):
    services.form_upload(
        actor=field.cast.editor,
        landscape=field.landscape,
        data=tree_form_xlsx(version="2024060101"),
        filename="trees.xlsx",
    )
    assert field.collect.submit(submission_xml(version="2024050101")).status_code == 201
    assert field.collect.submit(submission_xml(version="2024060101")).status_code == 201
    response = field.collect.submit(submission_xml(version="1999"))
    assert response.status_code == 400
    assert "1999" in message_of(response)[1]


def test_points_outside_the_landscape_are_accepted_and_flagged(field):
    assert (
        field.collect.submit(submission_xml(instance_id="uuid:far", location="48.85 2.35 0 0")).status_code
        == 201
    )
    record = Submission.objects.get(instance_id="uuid:far")
    assert record.outside_landscape and (record.lon, record.lat) == (2.35, 48.85)


# --- Bad input: nothing stored ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "xml,status",
    [
        (b"<data id='trees' version='2024050101'><species>", 400),  # broken XML
        (b"<data version='1'><meta><instanceID>uuid:a</instanceID></meta></data>", 400),  # no form id
        (b"<data id='trees' version='2024050101'><species>x</species></data>", 400),  # no instance id
        (submission_xml(form_id="nope"), 404),  # unknown form
    ],
)
def test_bad_submissions_are_refused_with_a_message(field, xml, status):
    response = field.collect.submit(xml)
    assert response.status_code == status
    assert_openrosa_headers(response)
    assert message_of(response)[1]
    assert not Submission.objects.exists()


def test_xml_entities_are_refused(field):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE data [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        b'<data id="trees" version="2024050101"><species>&b;</species>'
        b"<meta><instanceID>uuid:bomb</instanceID></meta></data>"
    )
    external = (
        b'<?xml version="1.0"?><!DOCTYPE data [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<data id="trees" version="2024050101"><species>&x;</species>'
        b"<meta><instanceID>uuid:xxe</instanceID></meta></data>"
    )
    for xml in (bomb, external):
        response = field.collect.submit(xml)
        assert response.status_code == 400
        assert "DOCTYPE" in message_of(response)[1]
    assert not Submission.objects.exists()


def test_closed_form_refuses_records(field):
    services.form_unpublish(actor=field.cast.editor, form=field.form)
    response = field.collect.submit(submission_xml())
    assert response.status_code == 403
    assert "closed" in message_of(response)[1]
    assert not Submission.objects.exists()


@override_settings(FIELDWORK_SUBMISSION_MAX_BYTES=2000)
def test_oversize_submission_is_413_with_a_message(field):
    response = field.collect.submit(submission_xml(photo="big.jpg"), {"big.jpg": b"x" * 400_000})
    assert response.status_code == 413
    assert_openrosa_headers(response)
    assert "MB" in message_of(response)[1]
    assert not Submission.objects.exists()


def test_missing_xml_part_is_400(field):
    response = field.collect.client.post(field.collect.base + "submission", {"other": "x"})
    assert response.status_code == 400
    assert not Submission.objects.exists()


# --- Access: tokens, revocation, Basic auth -----------------------------------------------------------


def test_revoked_token_is_refused_with_401(field):
    services.collector_revoke(actor=field.cast.editor, access=field.access)
    head = field.collect.head()
    assert head.status_code == 401 and head["WWW-Authenticate"].startswith("Bearer")
    for response in (field.collect.get("formList"), field.collect.submit(submission_xml(), check_head=False)):
        assert response.status_code == 401
        assert_openrosa_headers(response)
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert "revoked" in message_of(response)[1]
    assert not Submission.objects.exists()


def test_unknown_key_asks_for_credentials_without_revealing_anything(field):
    response = Client().get("/collect/no-such-landscape/formList")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith('Digest realm="Landmosaic"')


def test_token_of_one_landscape_gives_nothing_of_another(field):
    other = LandscapeFactory()
    other_editor = member(other, Role.EDITOR)
    publish_tree_form(other, other_editor, form_id="secret_form", title="Secret")
    names = [x.findtext(f"{XFORMS}formID") for x in fromstring(field.collect.get("formList").content)]
    assert names == ["trees"]
    assert field.collect.get("forms/secret_form/form.xml").status_code == 404


def basic(user, password: str = PASSWORD) -> dict:
    token = base64.b64encode(f"{user.email}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def test_basic_auth_challenge_then_success_for_members(field):
    base = f"/collect/{field.landscape.slug}/"
    challenge = Client().head(base + "submission")
    assert challenge.status_code == 401
    assert_openrosa_headers(challenge)
    assert challenge["WWW-Authenticate"].startswith('Digest realm="Landmosaic", qop="auth"')
    collect = Collect(Client(), base, basic(field.cast.member))
    assert collect.head().status_code == 204
    assert [x.findtext(f"{XFORMS}formID") for x in fromstring(collect.get("formList").content)] == ["trees"]
    assert collect.submit(submission_xml(instance_id="uuid:by-member")).status_code == 201
    record = Submission.objects.get(instance_id="uuid:by-member")
    assert record.submitted_by == field.cast.member and record.collector is None
    assert record.collector_name == field.cast.member.display_name


@pytest.mark.parametrize(
    "person,status", [("viewer", 403), ("outsider", 404), ("superuser", 404), ("manager", 204)]
)
def test_basic_auth_by_role(field, person, status):
    response = Client().head(f"/collect/{field.landscape.slug}/submission", **basic(field.cast[person]))
    assert response.status_code == status


def test_wrong_password_is_challenged_again(field):
    response = Client().head(
        f"/collect/{field.landscape.slug}/submission", **basic(field.cast.member, "wrong")
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic")


def test_browser_session_is_not_used_by_openrosa(field):
    client = Client()
    client.force_login(field.cast.manager)
    assert client.head(f"/collect/{field.landscape.slug}/submission").status_code == 401


def test_basic_auth_of_an_account_outside_a_private_landscape_is_404(db):
    user = UserFactory()
    landscape = LandscapeFactory()
    response = Client().head(f"/collect/{landscape.slug}/submission", **basic(user))
    assert response.status_code == 404


def test_instance_ids_are_unique_per_form_not_globally(field):
    instance = f"uuid:{uuid.uuid4()}"
    assert field.collect.submit(submission_xml(instance_id=instance)).status_code == 201
    assert Submission.objects.filter(instance_id=instance).count() == 1


def test_files_the_record_does_not_refer_to_are_not_kept(field):
    xml = submission_xml(instance_id="uuid:extra", photo="p.jpg")
    response = field.collect.submit(
        xml, {"p.jpg": JPEG, "../../etc/evil.sh": b"#!/bin/sh", "other.jpg": JPEG}
    )
    assert response.status_code == 201
    assert list(Submission.objects.get().attachments.values_list("name", flat=True)) == ["p.jpg"]


def test_same_name_with_other_bytes_for_a_received_record_is_409(field):
    xml = submission_xml(instance_id="uuid:swap", photo="p.jpg")
    assert field.collect.submit(xml, {"p.jpg": JPEG}).status_code == 201
    assert field.collect.submit(xml, {"p.jpg": JPEG + b"changed"}).status_code == 409
    assert Submission.objects.get().attachments.get().sha256 == hashlib.sha256(JPEG).hexdigest()


def test_scripts_sent_as_attachments_are_never_served_inline(field):
    xml = submission_xml(instance_id="uuid:svg", photo="x.svg")
    assert field.collect.submit(xml, {"x.svg": b"<svg onload='alert(1)'/>"}).status_code == 201
    record = Submission.objects.get()
    attachment = record.attachments.get()
    client = Client()
    client.force_login(field.cast.viewer)
    response = client.get(
        f"/landscapes/{field.landscape.slug}/field-data/forms/{field.form.pk}/records/{record.pk}/attachments/{attachment.pk}/"
    )
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_record_that_does_not_match_the_form_is_refused(field):
    """The right form id and version, but data of another shape (another root element): refused."""
    xml = submission_xml(instance_id="uuid:other-shape").replace(b"<data ", b"<survey ").replace(
        b"</data>", b"</survey>"
    )
    response = field.collect.submit(xml)
    assert response.status_code == 400
    assert_openrosa_headers(response)
    assert "does not match the form" in message_of(response)[1] and "<survey>" in message_of(response)[1]
    assert not Submission.objects.exists()
