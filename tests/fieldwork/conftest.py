"""Field data test helpers: XLSForms built in memory, submissions, a client that behaves like Collect."""

from __future__ import annotations

import functools
import io
import uuid
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from landmosaic.fieldwork import services
from landmosaic.fieldwork.models import Form

SURVEY = [
    ["type", "name", "label", "required"],
    ["text", "species", "Species", "yes"],
    ["integer", "count", "How many?", ""],
    ["select_one health", "health", "Health", ""],
    ["geopoint", "location", "Where", ""],
    ["image", "photo", "Photo", ""],
    ["image", "leaf_photo", "Photo of a leaf", ""],
]
CHOICES = [["list_name", "name", "label"], ["health", "good", "Good"], ["health", "poor", "Poor"]]


def xlsx(survey=None, choices=None, settings=None) -> bytes:
    """A workbook in XLSForm layout, written with openpyxl: no binary fixtures in the repository."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "survey"
    for row in survey if survey is not None else SURVEY:
        sheet.append(row)
    for name, rows in (("choices", choices if choices is not None else CHOICES), ("settings", settings)):
        if rows:
            extra = workbook.create_sheet(name)
            for row in rows:
                extra.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@functools.lru_cache(maxsize=32)
def tree_form_xlsx(version: str = "2024050101", form_id: str = "trees", title: str = "Tree survey") -> bytes:
    """Cached: openpyxl stamps the save time into the file, and "the same file again" must be identical."""
    return xlsx(settings=[["form_id", "version", "form_title"], [form_id, version, title]])


def submission_xml(
    *,
    form_id: str = "trees",
    version: str = "2024050101",
    instance_id: str | None = None,
    deprecated_id: str = "",
    species: str = "Baobab",
    location: str = "-8.1 36.1 1200 5",
    photo: str = "",
    leaf_photo: str = "",
    extra: str = "",
) -> bytes:
    instance_id = instance_id or f"uuid:{uuid.uuid4()}"
    deprecated = f"<deprecatedID>{deprecated_id}</deprecatedID>" if deprecated_id else ""
    return (
        f'<?xml version=\'1.0\' ?><data id="{form_id}" version="{version}" '
        'xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms">'
        f"<species>{species}</species><count>3</count><health>good</health>"
        f"<location>{location}</location><photo>{photo}</photo><leaf_photo>{leaf_photo}</leaf_photo>"
        "<start>2024-05-01T09:00:00.000+03:00</start><end>2024-05-01T09:12:30.000+03:00</end>"
        "<today>2024-05-01</today><deviceid>collect:abc123</deviceid><username>amina</username>"
        f"{extra}<meta><instanceID>{instance_id}</instanceID>{deprecated}</meta></data>"
    ).encode()


JPEG = b"\xff\xd8\xff\xe0" + b"photo-bytes" * 50


@dataclass
class Collect:
    """An HTTP client that talks to the server as ODK Collect does: HEAD first, then a multipart POST."""

    client: Client
    base: str
    headers: dict

    def _h(self, **extra):
        return {
            "HTTP_X_OPENROSA_VERSION": "1.0",
            "HTTP_DATE": "Wed, 01 May 2024 09:20:00 GMT",
            **self.headers,
            **extra,
        }

    def get(self, path: str, **extra):
        return self.client.get(self.base + path, **self._h(**extra))

    def head(self, path: str = "submission"):
        return self.client.head(self.base + path, **self._h())

    def submit(
        self,
        xml: bytes,
        files: dict[str, bytes] | None = None,
        *,
        check_head: bool = True,
        incomplete: bool = False,
    ):
        if check_head:
            head = self.head()
            assert head.status_code == 204, head.content
        data = {"xml_submission_file": SimpleUploadedFile("submission.xml", xml, content_type="text/xml")}
        if incomplete:  # Collect marks every part but the last of a split submission
            data["*isIncomplete*"] = "yes"
        for name, content in (files or {}).items():
            data[name] = SimpleUploadedFile(name, content, content_type="image/jpeg")
        return self.client.post(self.base + "submission", data, **self._h())


def collect_with_token(landscape, editor) -> tuple[Collect, object, str]:
    access, secret = services.collector_create(actor=editor, landscape=landscape, name="Village monitors")
    return Collect(Client(), f"/collect/{secret}/", {}), access, secret


def publish_tree_form(landscape, editor, **kw) -> Form:
    form, _version, _created = services.form_upload(
        actor=editor, landscape=landscape, data=tree_form_xlsx(**kw), filename="trees.xlsx"
    )
    return services.form_publish(actor=editor, form=form)


@dataclass
class Field:
    cast: object
    form: Form
    collect: Collect
    access: object
    secret: str

    @property
    def landscape(self):
        return self.cast.landscape


@pytest.fixture
def field(private_cast) -> Field:
    """A private landscape with a published tree survey and a collector token."""
    form = publish_tree_form(private_cast.landscape, private_cast.editor)
    collect, access, secret = collect_with_token(private_cast.landscape, private_cast.editor)
    return Field(cast=private_cast, form=form, collect=collect, access=access, secret=secret)
