"""What an upload is: decided by its content first and its file name second."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass

from landmosaic.core.geo.safezip import is_zip
from landmosaic.core.geo.sniff import display_name, extension

from .messages import IngestError

__all__ = ["FORMATS", "Format", "display_name", "extension", "sniff_head"]

SNIFF_BYTES = 64 * 1024


@dataclass(frozen=True)
class Format:
    """A file format Landmosaic reads: its code, name, the kind of dataset it makes, and its file type."""

    code: str
    label: str
    kind: str  # "table" | "vector" | "raster" | "document" | "archive" (a zip whose members decide)
    suffix: str
    media_type: str


FORMATS: dict[str, Format] = {
    f.code: f
    for f in [
        Format("csv", "CSV", "table", ".csv", "text/csv"),
        Format(
            "xlsx",
            "XLSX",
            "table",
            ".xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        Format("ods", "ODS", "table", ".ods", "application/vnd.oasis.opendocument.spreadsheet"),
        Format("geojson", "GeoJSON", "vector", ".geojson", "application/geo+json"),
        Format("kml", "KML", "vector", ".kml", "application/vnd.google-earth.kml+xml"),
        Format("kmz", "KMZ", "vector", ".kmz", "application/vnd.google-earth.kmz"),
        Format("gpx", "GPX", "vector", ".gpx", "application/gpx+xml"),
        Format("shapefile", "Shapefile", "vector", ".zip", "application/zip"),
        Format("gpkg", "GeoPackage", "vector", ".gpkg", "application/geopackage+sqlite3"),
        Format("fgb", "FlatGeobuf", "vector", ".fgb", "application/octet-stream"),
        Format("tiff", "TIFF", "raster", ".tif", "image/tiff"),
        Format("zip", "ZIP", "archive", ".zip", "application/zip"),
        Format("pdf", "PDF", "document", ".pdf", "application/pdf"),
        Format("png", "PNG", "document", ".png", "image/png"),
        Format("jpeg", "JPEG", "document", ".jpg", "image/jpeg"),
        Format("gif", "GIF", "document", ".gif", "image/gif"),
        Format("webp", "WebP", "document", ".webp", "image/webp"),
        Format(
            "docx",
            "DOCX",
            "document",
            ".docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        Format(
            "pptx",
            "PPTX",
            "document",
            ".pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        Format("odt", "ODT", "document", ".odt", "application/vnd.oasis.opendocument.text"),
        Format("odp", "ODP", "document", ".odp", "application/vnd.oasis.opendocument.presentation"),
        Format("doc", "DOC", "document", ".doc", "application/msword"),
        Format("ppt", "PPT", "document", ".ppt", "application/vnd.ms-powerpoint"),
    ]
}

# What each extension promises; content that disagrees is read as what it is, with a warning.
EXTENSIONS: dict[str, str] = {
    ".csv": "csv",
    ".tsv": "csv",
    ".tab": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".ods": "ods",
    ".geojson": "geojson",
    ".json": "geojson",
    ".kml": "kml",
    ".kmz": "kmz",
    ".gpx": "gpx",
    ".zip": "zip",
    ".gpkg": "gpkg",
    ".fgb": "fgb",
    ".tif": "tiff",
    ".tiff": "tiff",
    ".pdf": "pdf",
    ".png": "png",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".gif": "gif",
    ".webp": "webp",
    ".docx": "docx",
    ".pptx": "pptx",
    ".odt": "odt",
    ".odp": "odp",
    ".doc": "doc",
    ".ppt": "ppt",
}
# Zip-based formats: the extension is trusted by the quick sniff; members decide in the job.
ZIP_EXTENSIONS = {
    ".xlsx": "xlsx",
    ".ods": "ods",
    ".docx": "docx",
    ".pptx": "pptx",
    ".odt": "odt",
    ".odp": "odp",
    ".kmz": "kmz",
}
SHAPEFILE_PART_EXTENSIONS = (".shp", ".shx", ".dbf", ".prj", ".cpg", ".sbn", ".sbx", ".qix")
TEXT_TABLE_EXTENSIONS = (".csv", ".tsv", ".tab", ".txt")
SHP_MAGIC = b"\x00\x00\x27\x0a"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SQLITE_MAGIC = b"SQLite format 3\x00"
GPKG_APPLICATION_IDS = (b"GPKG", b"GP10", b"GP11")
_MAGIC = [
    (b"%PDF", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"II+\x00", "tiff"),  # BigTIFF
    (b"MM\x00+", "tiff"),
]
_XML_ROOT = re.compile(r"<(?![?!])(?:[\w.-]+:)?([\w.-]+)")
DELIMITERS = (",", ";", "\t", "|")


def sniff_head(*, head: bytes, filename: str) -> Format:
    """The format of a file from its first bytes (``SNIFF_BYTES`` are enough) and its name."""
    name = display_name(filename)
    ext = extension(filename)
    if not head:
        raise IngestError("empty_file", filename=name)
    if is_zip(head):
        return FORMATS[ZIP_EXTENSIONS.get(ext, "zip")]
    if head.startswith(SQLITE_MAGIC):
        if head[68:72] in GPKG_APPLICATION_IDS or ext == ".gpkg":
            return FORMATS["gpkg"]
        raise IngestError("sqlite_not_geopackage", filename=name)
    if head[:3] == b"fgb" and head[4:7] == b"fgb":
        return FORMATS["fgb"]
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return FORMATS["webp"]
    for magic, code in _MAGIC:
        if head.startswith(magic):
            return FORMATS[code]
    if head[4:15] == b"\n\tOSMHeader" or extension(filename) == ".pbf" or filename.lower().endswith(".osm"):
        raise IngestError("osm_not_supported", filename=name)
    if head.startswith(OLE_MAGIC):
        if ext in (".doc", ".ppt"):
            return FORMATS[ext[1:]]
        if ext == ".xls":
            raise IngestError("legacy_excel", filename=name)
        raise IngestError("unrecognised_format", filename=name)
    if head.startswith(SHP_MAGIC) or ext in SHAPEFILE_PART_EXTENSIONS:
        raise IngestError("shapefile_not_zipped", filename=name)
    if ext == ".xls":
        raise IngestError("legacy_excel", filename=name)
    return _sniff_text(head, name=name, ext=ext)


def _sniff_text(head: bytes, *, name: str, ext: str) -> Format:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", "ignore")
    elif b"\x00" in head:
        if ext in TEXT_TABLE_EXTENSIONS:
            raise IngestError("binary_not_text", filename=name)
        raise IngestError("unrecognised_format", filename=name)
    else:
        text = head.decode("utf-8", "ignore") or head.decode("latin-1")
    text = text.lstrip("\ufeff \t\r\n")
    if text.startswith(("{", "[")):
        return FORMATS["geojson"]
    if text.startswith("<"):
        root = _XML_ROOT.search(text)
        local = root.group(1).lower() if root else ""
        if local in ("kml", "gpx"):
            return FORMATS[local]
        if ext in TEXT_TABLE_EXTENSIONS:
            return FORMATS["csv"]  # a table whose first column name starts with "<"
        if not root and ext in (".kml", ".gpx"):
            return FORMATS[ext[1:]]  # cut before its root element: the reader reports where it breaks
        raise IngestError("unrecognised_format", filename=name)
    if ext in TEXT_TABLE_EXTENSIONS or guess_delimiter(text) is not None:
        return FORMATS["csv"]
    raise IngestError("unrecognised_format", filename=name)


def guess_delimiter(text: str, *, max_lines: int = 50) -> str | None:
    """The delimiter that splits the first lines into the same number (>1) of columns, or None."""
    lines = [line for line in text.splitlines()[:max_lines] if line.strip()]
    if len(lines) > 2 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # the head may cut the last line short
    if len(lines) < 2:
        return None  # a header alone, or a sentence with a comma, is no evidence of a table
    best: tuple[float, str] | None = None
    for delimiter in DELIMITERS:
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        if not counts or counts[0] < 2:
            continue
        consistency = sum(1 for c in counts if c == counts[0]) / len(counts)
        score = consistency * 1000 + counts[0]
        if consistency >= 0.8 and (best is None or score > best[0]):
            best = (score, delimiter)
    return best[1] if best else None


def extension_mismatch(*, filename: str, found: Format) -> bool:
    """True when the file's extension promised another format than its content."""
    expected = EXTENSIONS.get(extension(filename))
    if expected is None or expected == found.code:
        return False
    return not (expected == "zip" and found.code in ("shapefile", "kmz"))
