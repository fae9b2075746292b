"""Decide what an upload is from its content first and its file name second."""

from __future__ import annotations

import re
from pathlib import PureWindowsPath
from typing import Literal

from landmosaic.core.geo.messages import BoundaryError
from landmosaic.core.geo.safezip import is_zip

Kind = Literal["json", "kml", "gpx", "zip"]

EXTENSION_KINDS: dict[str, Kind] = {
    ".geojson": "json",
    ".json": "json",
    ".kml": "kml",
    ".gpx": "gpx",
    ".kmz": "zip",
    ".zip": "zip",
}
UNSUPPORTED_MAGIC = {
    b"SQLite format 3\x00": "GeoPackage",
    b"%PDF": "PDF",
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"II*\x00": "TIFF",
    b"MM\x00*": "TIFF",
}
SHAPEFILE_PART_EXTENSIONS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
SHP_MAGIC = b"\x00\x00\x27\x0a"
_XML_ROOT = re.compile(r"<(?![?!])(?:[\w.-]+:)?([\w.-]+)")
SNIFF_BYTES = 4096


def display_name(filename: str) -> str:
    """The bare file name (browsers may send a path), short enough for a message."""
    name = PureWindowsPath(filename or "").name.strip() or "file"
    return name if len(name) <= 100 else name[:97] + "..."


def extension(filename: str) -> str:
    return PureWindowsPath(filename or "").suffix.lower()


def sniff(*, data: bytes, filename: str) -> Kind:
    """The reader to use, or unrecognised/unsupported/shapefile_not_zipped."""
    if is_zip(data):
        return "zip"
    for magic, label in UNSUPPORTED_MAGIC.items():
        if data.startswith(magic):
            raise BoundaryError("unsupported_format", filename=filename, format=label)
    ext = extension(filename)
    if data.startswith(SHP_MAGIC) or ext in SHAPEFILE_PART_EXTENSIONS:
        raise BoundaryError("shapefile_not_zipped", filename=filename)
    head = _text_head(data)
    if head.startswith(("{", "[")):
        return "json"
    if head.startswith("<"):
        root = _XML_ROOT.search(head)
        local = root.group(1).lower() if root else ""
        if local in ("kml", "gpx"):
            return "kml" if local == "kml" else "gpx"
        if ext in (".kml", ".gpx", ".kmz") and not root:
            return "gpx" if ext == ".gpx" else "kml"  # truncated before the root: report as corrupt
        raise BoundaryError("unrecognised_format", filename=filename)
    # Unreadable content under a known name: let that reader say precisely where it breaks.
    if ext in EXTENSION_KINDS:
        return EXTENSION_KINDS[ext]
    raise BoundaryError("unrecognised_format", filename=filename)


def _text_head(data: bytes) -> str:
    head = data[:SNIFF_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", "replace")
    else:
        # "replace", not "ignore": binary noise must not reveal a stray "{" or "<" as the first character.
        text = head.decode("utf-8", "replace")
    return text.lstrip("\ufeff \t\r\n")
