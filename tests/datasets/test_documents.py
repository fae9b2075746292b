"""Documents go through the same ingest job as data: a DOCX, a PNG and a JPEG are kept byte for byte as
files, with their media type (and an image's size in pixels) as metadata, and download as they came."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from django.test import Client
from PIL import Image

from tests.datasets.conftest import created

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_bytes() -> bytes:
    """The smallest DOCX Word opens: content types, the package relation and one paragraph."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Minutes of the partnership meeting</w:t></w:r></w:p></w:body>"
            "</w:document>",
        )
    return buffer.getvalue()


def image_bytes(fmt: str, size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (34, 120, 60)).save(buffer, format=fmt)
    return buffer.getvalue()


DOCUMENTS = {
    "minutes.docx": (docx_bytes, DOCX_TYPE, "DOCX", None),
    "river.png": (lambda: image_bytes("PNG", (64, 48)), "image/png", "PNG", (64, 48)),
    "site-visit.jpg": (lambda: image_bytes("JPEG", (40, 30)), "image/jpeg", "JPEG", (40, 30)),
}


@pytest.mark.parametrize("filename", list(DOCUMENTS))
def test_a_document_is_kept_as_a_file_with_its_metadata(private_cast, ingest, media, filename):
    make, media_type, label, pixels = DOCUMENTS[filename]
    data = make()
    job = ingest(private_cast.landscape, private_cast.editor, data, filename, keywords=["meeting"])
    [dataset] = created(job)
    version = dataset.current_version
    assert dataset.kind == "document" and dataset.keywords == ["meeting"]
    assert dataset.title == filename.rsplit(".", 1)[0]
    assert (version.media_type, version.details["format"]) == (media_type, label)
    assert not version.normalised_path and version.row_count is None
    assert (media / version.original_path).read_bytes() == data
    assert version.original_sha256 == hashlib.sha256(data).hexdigest() and version.original_size == len(data)
    if pixels is None:
        assert "width" not in version.details
    else:
        assert (version.details["width"], version.details["height"]) == pixels

    client = Client()
    client.force_login(private_cast.viewer)
    base = f"/landscapes/{dataset.landscape.slug}/data/{dataset.slug}/"
    response = client.get(f"{base}versions/1/download/original/")
    assert response.status_code == 200 and response["Content-Type"].startswith(media_type)
    assert b"".join(response.streaming_content) == data
    assert filename in response["Content-Disposition"]
    page = client.get(base)
    assert page.status_code == 200 and filename in page.content.decode()
