"""Pages of field data as every kind of person: forms, upload, records, monitoring, review, collectors."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from landmosaic.core.models import AuditEvent
from landmosaic.fieldwork import qr, services
from landmosaic.fieldwork.models import CollectorAccess, Form, FormVersion, Submission
from tests.fieldwork.conftest import JPEG, submission_xml, tree_form_xlsx, xlsx

PEOPLE = ["anonymous", "outsider", "viewer", "member", "editor", "manager", "superuser"]


def client_for(user) -> Client:
    client = Client()
    if getattr(user, "is_authenticated", False):
        client.force_login(user)
    return client


def base(field) -> str:
    return f"/landscapes/{field.landscape.slug}/field-data/"


def form_url(field) -> str:
    return f"{base(field)}forms/{field.form.pk}/"


@pytest.mark.parametrize("person", PEOPLE)
def test_private_field_data_pages_are_404_for_non_members(field, person):
    field.collect.submit(submission_xml(instance_id="uuid:r1", photo="p.jpg"), {"p.jpg": JPEG})
    record = Submission.objects.get()
    attachment = record.attachments.get()
    urls = [
        base(field),
        form_url(field),
        f"{form_url(field)}records/",
        f"{form_url(field)}records.geojson",
        f"{form_url(field)}records/{record.pk}/",
        f"{form_url(field)}records/{record.pk}/attachments/{attachment.pk}/",
        f"{form_url(field)}versions/{field.form.current_version_id}/form.xlsx",
    ]
    for url in urls:
        response = client_for(field.cast[person]).get(url)
        if person == "anonymous":
            assert response.status_code == 302, url  # to sign in
        elif person in ("outsider", "superuser"):
            assert response.status_code == 404, url
            assert field.form.title.encode() not in response.content
        else:
            assert response.status_code == 200, url


@pytest.mark.parametrize(
    "person,status", [("viewer", 403), ("member", 200), ("editor", 200), ("outsider", 404)]
)
def test_csv_export_needs_member(field, person, status):
    response = client_for(field.cast[person]).get(f"{form_url(field)}records.csv")
    assert response.status_code == status


def test_upload_page_creates_a_form_and_versions(private_cast):
    editor = client_for(private_cast.editor)
    url = f"/landscapes/{private_cast.landscape.slug}/field-data/"
    response = editor.post(url, {"file": _upload(tree_form_xlsx())})
    form = Form.objects.get(landscape=private_cast.landscape)
    assert response.status_code == 302 and response["Location"] == form.get_absolute_url()
    assert form.form_id == "trees" and form.status == "draft"
    version = form.current_version
    assert version.version == "2024050101" and len(version.xlsform_sha256) == 64
    assert version.xlsform.read() == tree_form_xlsx()  # the original, byte for byte
    # Same file again: nothing new. New version: a new FormVersion. Same version, other content: refused.
    editor.post(url, {"file": _upload(tree_form_xlsx())})
    assert FormVersion.objects.filter(form=form).count() == 1
    editor.post(f"{form.get_absolute_url()}upload/", {"file": _upload(tree_form_xlsx(version="2024060101"))})
    assert FormVersion.objects.filter(form=form).count() == 2
    form.refresh_from_db()
    assert form.current_version.version == "2024060101"
    response = editor.post(url, {"file": _upload(tree_form_xlsx(version="2024060101", title="Changed"))})
    assert response.status_code == 409
    assert "2024060101" in response.content.decode()
    assert FormVersion.objects.filter(form=form).count() == 2


def test_a_bad_xlsform_shows_sheet_and_row_and_stores_nothing(private_cast):
    data = xlsx(survey=[["type", "name", "label"], ["text", "q1", "Q1"], ["text", "q1", "Again"]], choices=[])
    response = client_for(private_cast.editor).post(
        f"/landscapes/{private_cast.landscape.slug}/field-data/", {"file": _upload(data)}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Sheet “survey”, row 3" in page and "q1" in page
    assert not Form.objects.exists() and not FormVersion.objects.exists()


def test_upload_new_version_with_another_form_id_is_refused(field):
    response = client_for(field.cast.editor).post(
        f"{form_url(field)}upload/", {"file": _upload(tree_form_xlsx(form_id="birds", version="9"))}
    )
    assert response.status_code == 400
    assert "birds" in response.content.decode()
    assert not Form.objects.filter(form_id="birds").exists()


@pytest.mark.parametrize(
    "person,status", [("viewer", 403), ("member", 403), ("editor", 302), ("outsider", 404)]
)
def test_uploading_and_publishing_need_editor(private_cast, person, status):
    client = client_for(private_cast[person])
    url = f"/landscapes/{private_cast.landscape.slug}/field-data/"
    response = client.post(url, {"file": _upload(tree_form_xlsx())})
    if status == 302:
        assert response.status_code == 302
        form = Form.objects.get()
        assert client.post(f"{form.get_absolute_url()}status/", {"action": "publish"}).status_code == 302
        assert Form.objects.get().status == "published"
    else:
        assert response.status_code == status
        assert not Form.objects.exists()


def test_publishing_needs_the_media_the_form_refers_to(private_cast):
    data = xlsx(
        survey=[["type", "name", "label"], ["select_one_from_file species.csv", "species", "Species"]],
        choices=[],
        settings=[["form_id", "version"], ["sp", "1"]],
    )
    form, _v, _c = services.form_upload(
        actor=private_cast.editor, landscape=private_cast.landscape, data=data, filename="sp.xlsx"
    )
    client = client_for(private_cast.editor)
    client.post(f"{form.get_absolute_url()}status/", {"action": "publish"})
    form.refresh_from_db()
    assert form.status == "draft"
    client.post(
        f"{form.get_absolute_url()}media/", {"media-file": _upload(b"name,label\na,A\n", "species.csv")}
    )
    client.post(f"{form.get_absolute_url()}status/", {"action": "publish"})
    form.refresh_from_db()
    assert form.status == "published"


@pytest.mark.parametrize("person", ["viewer", "member"])
def test_method_text_needs_editor(field, person):
    response = client_for(field.cast[person]).post(
        form_url(field), {"details-title": "X", "details-method": "Y"}
    )
    assert response.status_code == 403
    field.form.refresh_from_db()
    assert field.form.title == "Tree survey"


def test_method_text_is_saved(field):
    response = client_for(field.cast.editor).post(
        form_url(field), {"details-title": "Trees", "details-method": "Walk the transect at dawn."}
    )
    assert response.status_code == 302
    field.form.refresh_from_db()
    assert field.form.method == "Walk the transect at dawn."


def test_monitoring_page_counts_per_day_and_collector_and_maps_records(field):
    for i in range(3):
        field.collect.submit(submission_xml(instance_id=f"uuid:m{i}"))
    response = client_for(field.cast.viewer).get(f"{form_url(field)}records/")
    assert response.status_code == 200
    monitoring = response.context["monitoring"]
    assert monitoring.total == 3 and monitoring.pending == 3
    assert monitoring.per_collector == [("Village monitors", 3)]
    assert [n for _day, n in monitoring.per_day] == [3]
    assert str(monitoring.per_day[0][0]) == "2024-05-01"
    assert monitoring.last_received_at is not None
    page = response.content.decode()
    assert "data-lm-map" in page and "records.geojson" in page
    geojson = client_for(field.cast.viewer).get(f"{form_url(field)}records.geojson").json()
    assert len(geojson["features"]) == 3
    assert geojson["features"][0]["geometry"]["coordinates"] == [36.1, -8.1]


def test_records_table_is_paginated(field):
    for i in range(55):
        field.collect.submit(submission_xml(instance_id=f"uuid:p{i}"), check_head=False)
    client = client_for(field.cast.viewer)
    first = client.get(f"{form_url(field)}records/")
    assert len(first.context["page"].items) == 50 and first.context["page"].pages == 2
    second = client.get(f"{form_url(field)}records/?page=2")
    assert len(second.context["page"].items) == 5


def test_review_approve_and_reject_with_comment(field):
    field.collect.submit(submission_xml(instance_id="uuid:rv"))
    record = Submission.objects.get()
    url = f"{form_url(field)}records/{record.pk}/"
    assert client_for(field.cast.member).post(url, {"status": "approved"}).status_code == 403
    record.refresh_from_db()
    assert record.review_status == "pending"
    editor = client_for(field.cast.editor)
    response = editor.post(url, {"status": "rejected", "comment": ""})
    assert response.status_code == 400
    assert editor.post(url, {"status": "rejected", "comment": "Blurry photo"}).status_code == 302
    record.refresh_from_db()
    assert (record.review_status, record.review_comment, record.reviewed_by) == (
        "rejected",
        "Blurry photo",
        field.cast.editor,
    )
    assert editor.post(url, {"status": "approved", "comment": ""}).status_code == 302
    record.refresh_from_db()
    assert record.review_status == "approved"


def test_csv_export_neutralises_formulas_and_can_keep_approved_only(field):
    field.collect.submit(submission_xml(instance_id="uuid:evil", species='=HYPERLINK("http://x","click")'))
    field.collect.submit(submission_xml(instance_id="uuid:ok", species="-12"))
    field.collect.submit(submission_xml(instance_id="uuid:at", species="@SUM(A1)"))
    ok = Submission.objects.get(instance_id="uuid:ok")
    services.submission_review(actor=field.cast.editor, submission=ok, status="approved")
    client = client_for(field.cast.member)
    response = client.get(f"{form_url(field)}records.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    species = {r["_instance_id"]: r["species"] for r in rows}
    assert species == {
        "uuid:evil": '\'=HYPERLINK("http://x","click")',
        "uuid:ok": "-12",
        "uuid:at": "'@SUM(A1)",
    }
    row = rows[0]
    assert row["_collector"] == "Village monitors" and row["_device_id"] == "collect:abc123"
    assert row["_form_version"] == "2024050101" and row["_lon"] == "36.1" and row["_start"]
    assert "start" not in row  # metadata questions are the _start/_end columns
    approved = client.get(f"{form_url(field)}records.csv?approved=1")
    rows = list(csv.DictReader(io.StringIO(b"".join(approved.streaming_content).decode("utf-8-sig"))))
    assert [r["_instance_id"] for r in rows] == ["uuid:ok"]
    assert AuditEvent.objects.filter(action="export", object_type="form").count() == 2


def test_attachments_are_served_only_through_the_permission_checked_view(field):
    field.collect.submit(submission_xml(instance_id="uuid:ph", photo="p.jpg"), {"p.jpg": JPEG})
    record = Submission.objects.get()
    attachment = record.attachments.get()
    url = f"{form_url(field)}records/{record.pk}/attachments/{attachment.pk}/"
    response = client_for(field.cast.viewer).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == JPEG
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
    page = client_for(field.cast.viewer).get(f"{form_url(field)}records/{record.pk}/").content.decode()
    assert url in page
    assert client_for(field.cast.outsider).get(url).status_code == 404


def test_collectors_page_shows_the_token_once_as_url_and_qr(field):
    client = client_for(field.cast.editor)
    url = f"{base(field)}collectors/"
    response = client.post(url, {"name": "South team"})
    assert response.status_code == 200
    created = response.context["created"]
    assert created["url"].startswith("http://testserver/collect/lmc_") and created["url"].endswith("/")
    secret = created["url"].rstrip("/").rsplit("/", 1)[-1]
    access = CollectorAccess.objects.get(name="South team")
    assert access.key_hash == CollectorAccess.hash_key(secret) and secret not in access.key_hash
    assert "<svg" in response.content.decode() and created["url"] in response.content.decode()
    # The QR payload is what Collect's "Configure with QR code" reads: zlib + base64 JSON settings.
    payload = qr.encode_settings(
        qr.collect_settings(server_url=created["url"], project_name=field.landscape.name)
    )
    assert qr.decode_settings(payload)["general"]["server_url"] == created["url"]
    # Listing it again never shows the token.
    assert secret not in client.get(url).content.decode()
    # Revoking stops it at once.
    client.post(f"{url}{access.pk}/revoke/")
    assert Client().get(f"/collect/{secret}/formList").status_code == 401


@pytest.mark.parametrize(
    "person,status", [("member", 403), ("viewer", 403), ("outsider", 404), ("superuser", 404)]
)
def test_collectors_page_is_for_editors(field, person, status):
    assert client_for(field.cast[person]).get(f"{base(field)}collectors/").status_code == status


def test_landscape_page_links_to_field_data(field):
    page = client_for(field.cast.viewer).get(f"/landscapes/{field.landscape.slug}/").content.decode()
    assert base(field) in page


def _upload(data: bytes, name: str = "form.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)
