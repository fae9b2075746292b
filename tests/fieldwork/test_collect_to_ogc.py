"""Done means, end to end over real HTTP: an editor uploads an XLSForm and publishes it, makes collector
access (the QR code), a client that behaves as ODK Collect lists and downloads the form and sends
three records collected offline (one split over two POSTs, one sent again after a lost answer), the
refresh job runs, and the records come out of ``/ogc/`` as features with their metadata and photo
addresses: to a member's token while the dataset is private, to anyone once it is shared, and to
GDAL's OGC API - Features driver as QGIS reads it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
import uuid
from urllib.parse import urlsplit

import pytest
import requests
from defusedxml.ElementTree import fromstring
from django.utils import timezone

from landmosaic.accounts.services import token_create
from landmosaic.core.jobs import job_run
from landmosaic.core.models import Job
from landmosaic.datasets import services as dataset_services
from landmosaic.datasets.models import Dataset
from landmosaic.fieldwork import qr, services
from landmosaic.fieldwork.models import Attachment, Form, Submission
from tests.datasets.test_ogc_gdal import gdal
from tests.factories import PASSWORD
from tests.fieldwork.conftest import tree_form_xlsx

pytestmark = pytest.mark.django_db(transaction=True)

XFORMS = "{http://openrosa.org/xforms/xformsList}"
RESPONSE = "{http://openrosa.org/http/response}"
METHOD = "Walk the transect at dawn; one record per tree, a photo of the crown and one of a leaf."
COLLECTOR = "Mngeta village monitors"


def jpeg(n: int) -> bytes:
    """Distinct bytes per photo, so a photo reached through its address is known to be the right one."""
    return b"\xff\xd8\xff\xe0" + f"photo-{n}-".encode() * 300


# Three trees recorded offline on 1 May 2024 (East Africa Time); sent days later.
RECORDS = [
    {
        "instance": f"uuid:{uuid.uuid4()}",
        "species": "Baobab",
        "count": "3",
        "health": "good",
        "lat": -8.11,
        "lon": 36.12,
        "outside": False,
        "device": "collect:phone-a",
        "user": "amina",
        "start": "2024-05-01T09:00:00.000+03:00",
        "end": "2024-05-01T09:12:30.000+03:00",
        "photos": {"photo": "crown-1.jpg"},
    },
    {
        "instance": f"uuid:{uuid.uuid4()}",
        "species": "Mvule",
        "count": "7",
        "health": "poor",
        "lat": -8.15,
        "lon": 36.05,
        "outside": False,
        "device": "collect:phone-b",
        "user": "baraka",
        "start": "2024-05-01T10:05:00.000+03:00",
        "end": "2024-05-01T10:20:00.000+03:00",
        "photos": {"photo": "crown-2.jpg", "leaf_photo": "leaf-2.jpg"},  # sent split in two POSTs
    },
    {
        "instance": f"uuid:{uuid.uuid4()}",
        "species": "Mninga",
        "count": "12",
        "health": "good",
        "lat": -8.31,
        "lon": 36.37,
        "outside": True,  # beyond the landscape's boundary: accepted and flagged
        "device": "collect:phone-a",
        "user": "amina",
        "start": "2024-05-01T11:40:00.000+03:00",
        "end": "2024-05-01T11:45:10.000+03:00",
        "photos": {"photo": "crown-3.jpg"},  # its answer is lost: Collect sends it again
    },
]
PHOTOS = {"crown-1.jpg": jpeg(1), "crown-2.jpg": jpeg(2), "leaf-2.jpg": jpeg(3), "crown-3.jpg": jpeg(4)}


def record_xml(record: dict, *, form_id: str, version: str) -> bytes:
    photos = record["photos"]
    return (
        f'<?xml version=\'1.0\' ?><data id="{form_id}" version="{version}" '
        'xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms">'
        f"<species>{record['species']}</species><count>{record['count']}</count>"
        f"<health>{record['health']}</health>"
        f"<location>{record['lat']} {record['lon']} 310 4.5</location>"
        f"<photo>{photos.get('photo', '')}</photo><leaf_photo>{photos.get('leaf_photo', '')}</leaf_photo>"
        f"<start>{record['start']}</start><end>{record['end']}</end><today>2024-05-01</today>"
        f"<deviceid>{record['device']}</deviceid><username>{record['user']}</username>"
        f"<meta><instanceID>{record['instance']}</instanceID></meta></data>"
    ).encode()


# --- A browser session and a phone, both over real HTTP -------------------------------------------


def signed_in(base: str, email: str) -> requests.Session:
    """Sign in through the login page, as a browser does (CSRF cookie and token)."""
    session = requests.Session()
    session.get(f"{base}/accounts/login/", timeout=30).raise_for_status()
    response = session.post(
        f"{base}/accounts/login/",
        data={"email": email, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        timeout=30,
    )
    assert response.status_code == 200 and "sessionid" in session.cookies, response.text[:500]
    return session


def post_form(session: requests.Session, url: str, data: dict, files: dict | None = None):
    """A POST from a page: the CSRF token of the session, redirects followed as a browser does."""
    response = session.post(
        url, data={**data, "csrfmiddlewaretoken": session.cookies["csrftoken"]}, files=files, timeout=60
    )
    assert response.status_code == 200, response.text[:1000]
    return response


class Collect:
    """ODK Collect over HTTP: OpenRosa headers on every request, HEAD before each POST, multipart
    POSTs with ``xml_submission_file`` and the attachments, ``*isIncomplete*`` on all but the last
    POST of a split submission."""

    def __init__(self, server_url: str):
        self.server_url = server_url
        self.http = requests.Session()
        self.http.headers.update(
            {"X-OpenRosa-Version": "1.0", "User-Agent": "org.odk.collect.android/v2024.2"}
        )

    def get(self, url: str) -> requests.Response:
        headers = {"Date": dt.datetime.now(dt.UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")}
        return self.http.get(url, headers=headers, timeout=30)

    def head(self) -> requests.Response:
        return self.http.head(f"{self.server_url}submission", timeout=30, allow_redirects=False)

    def post(self, xml: bytes, attachments: list[str], *, incomplete: bool = False) -> requests.Response:
        head = self.head()
        assert head.status_code == 204, head.text  # anything else would look like a captive portal
        files = [("xml_submission_file", ("submission.xml", xml, "text/xml"))]
        files += [(name, (name, PHOTOS[name], "image/jpeg")) for name in attachments]
        data = {"*isIncomplete*": "yes"} if incomplete else {}
        return self.http.post(
            f"{self.server_url}submission", files=files, data=data, timeout=60, allow_redirects=False
        )


def accepted(response: requests.Response) -> None:
    assert response.status_code == 201, (response.status_code, response.text)
    assert response.headers["X-OpenRosa-Version"] == "1.0" and response.headers["Date"].endswith("GMT")
    message = fromstring(response.content).find(f"{RESPONSE}message")
    assert message.get("nature") == "submit_success", response.text


def instant(text: str) -> dt.datetime:
    """A date-time property of a feature. The commons stores them in UTC and /ogc/ currently writes
    them without an offset ("2024-05-01T06:00:00"): read such a value as UTC."""
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def bearer(user) -> dict[str, str]:
    _token, secret = token_create(user=user, name="QGIS on the office laptop")
    return {"Authorization": f"Bearer {secret}"}


def test_xlsform_to_collect_to_ogc_features(live_server, public_cast):
    base = live_server.url
    landscape = public_cast.landscape
    root = f"{base}/landscapes/{landscape.slug}/field-data/"

    # 1. The editor uploads the XLSForm (geopoint, two photos), writes the method and publishes.
    editor = signed_in(base, public_cast.editor.email)
    page = post_form(
        editor,
        root,
        {},
        files={
            "file": (
                "trees.xlsx",
                tree_form_xlsx(),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        },
    )
    form_url = page.url
    form = Form.objects.get(landscape=landscape)
    assert urlsplit(form_url).path == form.get_absolute_url()
    post_form(editor, form_url, {"details-title": form.title, "details-method": METHOD})
    post_form(editor, f"{form_url}status/", {"action": "publish"})
    form.refresh_from_db()
    assert form.is_published and form.method == METHOD

    # 2. Collector access: the page shows the URL and a QR code of Collect's settings for that URL.
    page = post_form(editor, f"{root}collectors/", {"name": COLLECTOR})
    server_url = html.unescape(re.search(r'id="collect-url"[^>]*value="([^"]+)"', page.text)[1])
    assert server_url.startswith(f"{base}/collect/") and server_url.endswith("/")
    payload = qr.encode_settings(qr.collect_settings(server_url=server_url, project_name=landscape.name))
    drawn = re.findall(r'<path[^>]* d="([^"]+)"', qr.qr_svg(payload, title="x"))
    assert drawn and all(d in page.text for d in drawn)  # the QR code on the page encodes this URL
    phone = Collect(server_url)

    # 3. Collect lists the forms, checks the hash against the download, and fetches the form.
    listing = phone.get(f"{server_url}formList")
    assert listing.status_code == 200 and listing.headers["X-OpenRosa-Version"] == "1.0"
    assert listing.headers["Content-Type"].startswith("text/xml") and listing.headers["Date"].endswith("GMT")
    (item,) = fromstring(listing.content).findall(f"{XFORMS}xform")
    assert item.findtext(f"{XFORMS}formID") == form.form_id == "trees"
    version = item.findtext(f"{XFORMS}version")
    download_url = item.findtext(f"{XFORMS}downloadUrl")
    assert download_url.startswith(server_url)
    xform = phone.get(download_url)
    assert xform.status_code == 200 and xform.headers["X-OpenRosa-Version"] == "1.0"
    assert (
        item.findtext(f"{XFORMS}hash")
        == "md5:" + hashlib.md5(xform.content, usedforsecurity=False).hexdigest()
    )
    assert b"<h:html" in xform.content and b'type="geopoint"' in xform.content

    # 4. Later, back in range: HEAD, then the POSTs.
    head = phone.head()
    assert head.status_code == 204 and not head.content
    assert head.headers["X-OpenRosa-Version"] == "1.0" and head.headers["Date"].endswith("GMT")
    assert int(head.headers["X-OpenRosa-Accept-Content-Length"]) >= 10_000_000
    sent_at = timezone.now()
    first, split, retried = (record_xml(r, form_id="trees", version=version) for r in RECORDS)
    accepted(phone.post(first, ["crown-1.jpg"]))
    accepted(phone.post(split, ["crown-2.jpg"], incomplete=True))
    accepted(phone.post(split, ["leaf-2.jpg"]))
    accepted(phone.post(retried, ["crown-3.jpg"]))
    accepted(phone.post(retried, ["crown-3.jpg"]))  # the first answer was lost: the same POST again
    assert Submission.objects.filter(form=form).count() == 3
    assert Attachment.objects.filter(submission__form=form).count() == 4

    # 5. The refresh job (queued after each commit; the test settings' task backend runs it at once,
    # a worker would run it a moment later). Any still waiting runs here.
    for job in Job.objects.filter(kind=services.REFRESH_JOB, status=Job.Status.QUEUED):
        job_run(str(job.pk))
    jobs = Job.objects.filter(kind=services.REFRESH_JOB, params__form_id=form.pk)
    assert jobs.exists() and set(jobs.values_list("status", flat=True)) == {Job.Status.SUCCEEDED}
    form.refresh_from_db()
    dataset = Dataset.objects.select_related("current_version").get(pk=form.dataset_id)
    assert dataset.visibility == "private" and dataset.current_version.row_count == 3
    assert dataset.landscape_id == landscape.pk and dataset.provenance == METHOD
    collection = f"{landscape.slug}.{dataset.slug}"
    items_url = f"{base}/ogc/collections/{collection}/items"

    # 6. Private: nobody without a token sees it; a bad token is refused; a member's token reads it.
    assert requests.get(items_url, timeout=30).status_code == 404
    assert requests.get(f"{base}/ogc/collections/{collection}", timeout=30).status_code == 404
    bad = requests.get(items_url, headers={"Authorization": "Bearer nope"}, timeout=30)
    assert bad.status_code == 401
    member = bearer(public_cast.member)
    listed = requests.get(f"{base}/ogc/collections", headers=member, timeout=30).json()["collections"]
    assert {c["id"]: c["title"] for c in listed}[collection] == form.title == "Tree survey"
    response = requests.get(items_url, headers=member, timeout=30)
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/geo+json"
    features = response.json()
    assert features["numberMatched"] == features["numberReturned"] == 3
    by_species = {f["properties"]["species"]: f for f in features["features"]}
    assert set(by_species) == {"Baobab", "Mvule", "Mninga"}

    member_browser = signed_in(base, public_cast.member.email)
    for record in RECORDS:
        feature = by_species[record["species"]]
        props = feature["properties"]
        assert feature["geometry"]["type"] == "Point"
        assert feature["geometry"]["coordinates"][:2] == pytest.approx([record["lon"], record["lat"]])
        assert (props["count"], props["health"]) == (int(record["count"]), record["health"])
        assert props["_instance_id"] == record["instance"]
        assert props["_collector"] == COLLECTOR
        assert (props["_device_id"], props["_username"]) == (record["device"], record["user"])
        assert instant(props["_start"]) == dt.datetime.fromisoformat(record["start"])
        assert instant(props["_end"]) == dt.datetime.fromisoformat(record["end"])
        submitted = instant(props["_submitted_at"])
        assert (
            sent_at - dt.timedelta(seconds=1) <= submitted <= timezone.now()
        )  # collected offline, sent later
        assert props["_form_version"] == version == "2024050101"
        assert props["_method"] == METHOD
        assert props["_review_status"] == "pending" and props["_outside_landscape"] is record["outside"]
        # Each photo answer names its file and has an address that leads to that photo, for members.
        for question in ("photo", "leaf_photo"):
            name = record["photos"].get(question)
            address = props[f"_{question}_url"]
            if name is None:
                assert not props.get(question) and address is None
                continue
            assert props[question] == name
            path = urlsplit(address).path
            photo = member_browser.get(f"{base}{path}", timeout=30)
            assert photo.status_code == 200 and photo.content == PHOTOS[name], (question, address)
            assert requests.get(f"{base}{path}", timeout=30, allow_redirects=False).status_code == 302
            outsider = signed_in(base, public_cast.outsider.email)
            assert outsider.get(f"{base}{path}", timeout=30).status_code == 404

    # On the map of the records too (the monitoring page's layer).
    mapped = member_browser.get(f"{form_url}records.geojson", timeout=30).json()
    assert sorted(tuple(f["geometry"]["coordinates"]) for f in mapped["features"]) == sorted(
        (r["lon"], r["lat"]) for r in RECORDS
    )

    # GDAL's OGC API - Features driver (QGIS) with the member's token.
    token = member["Authorization"].removeprefix("Bearer ")
    read = gdal(f"{base}/ogc", "read", token=token, layer=collection)
    assert read["count"] == 3 and sorted(read["fields"]["species"]) == ["Baobab", "Mninga", "Mvule"]
    assert set(read["fields"]["_collector"]) == {COLLECTOR}
    with pytest.raises(LookupError):
        gdal(f"{base}/ogc", "read", layer=collection)

    # 7. A manager shares the dataset publicly: anyone reads the features, GDAL without a token too.
    dataset_services.dataset_set_sharing(actor=public_cast.manager, dataset=dataset, visibility="public")
    anonymous = requests.get(items_url, timeout=30)
    assert anonymous.status_code == 200 and anonymous.json()["numberMatched"] == 3
    assert {f["properties"]["species"] for f in anonymous.json()["features"]} == set(by_species)
    assert gdal(f"{base}/ogc", "info", layer=collection) == {"features": 3, "crs": "EPSG:4326"}
    assert gdal(f"{base}/ogc", "read", layer=collection)["count"] == 3
