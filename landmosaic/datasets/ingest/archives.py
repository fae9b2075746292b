"""Zip uploads: what they are (shapefile, KMZ, workbook, office document) and their vetted members.

Every member is read through ``core.geo.safezip`` (bombs, unsafe paths, nesting, encryption) and
every XML document through ``core.geo.safexml`` (DTDs and entities) before GDAL sees it.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from landmosaic.core.geo.messages import BoundaryError
from landmosaic.core.geo.read_shapefile import shapefile_stems
from landmosaic.core.geo.safexml import parse_xml
from landmosaic.core.geo.safezip import SafeZip, open_zip

from .limits import IngestLimits
from .messages import IngestError, from_boundary_error, short_list
from .sniff import FORMATS, Format, extension

REQUIRED_SHAPEFILE_PARTS = (".shp", ".shx", ".dbf")
ODF_TYPES = {
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}
# ElementTree needs several times a document's size in memory; above this, scan for declarations.
XML_FULL_PARSE_BYTES = 64 * 1024 * 1024
_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY", "<!DOCTYPE".encode("utf-16-le"), "<!ENTITY".encode("utf-16-le"))
SCAN_CHUNK_BYTES = 1 << 20
OOXML_PARTS = {"xl/workbook.xml": "xlsx", "word/document.xml": "docx", "ppt/presentation.xml": "pptx"}


def open_archive(path: Path, *, filename: str, limits: IngestLimits) -> tuple[Format, SafeZip]:
    """The format a zip holds, decided by its members, and the vetted archive."""
    try:
        # From the file: only the directory is read now, members stream out one by one later.
        archive = open_zip(path=path, filename=filename, limits=limits.zip_limits())
        names = {info.filename.replace("\\", "/"): info for info in archive.members}
        for member, code in OOXML_PARTS.items():
            if member in names and "[Content_Types].xml" in names:
                return FORMATS[code], archive
        if "mimetype" in names:
            code = ODF_TYPES.get(archive.read(names["mimetype"]).strip())
            if code:
                return FORMATS[code], archive
    except BoundaryError as exc:
        raise from_boundary_error(exc, format_label="ZIP") from exc
    has_kml = any(name.lower().endswith(".kml") for name in names)
    if shapefile_stems(archive) and not (has_kml and extension(filename) == ".kmz"):
        return FORMATS["shapefile"], archive
    if has_kml:
        return FORMATS["kmz"], archive
    raise IngestError("zip_no_data", filename=filename)


def extract_shapefile(archive: SafeZip, *, workdir: Path) -> tuple[Path, str]:
    """The one shapefile of the archive, unpacked under fixed names; and its layer name."""
    filename = archive.filename
    groups = shapefile_stems(archive)
    if len(groups) > 1:
        names = sorted(f"{PurePosixPath(stem).name}.shp" for stem in groups)
        raise IngestError(
            "zip_multiple_shapefiles", filename=filename, count=len(groups), names=short_list(names, limit=8)
        )
    stem, parts = next(iter(groups.items()))
    missing = [suffix for suffix in REQUIRED_SHAPEFILE_PARTS if suffix not in parts]
    member = f"{PurePosixPath(stem).name}.shp"
    if missing:
        raise IngestError(
            "shapefile_missing_parts", filename=filename, member=member, missing=", ".join(missing)
        )
    try:
        for suffix, info in parts.items():
            archive.extract(info, workdir / f"layer{suffix}")
    except BoundaryError as exc:
        raise from_boundary_error(exc, format_label="Shapefile") from exc
    return workdir / "layer.shp", PurePosixPath(stem).name


def extract_kml(archive: SafeZip, *, workdir: Path) -> Path:
    """The KMZ's main document (doc.kml at the root, else the first .kml, as Google Earth does)."""
    candidates = [info for info in archive.members if info.filename.lower().endswith(".kml")]
    main = next((i for i in candidates if i.filename.lower() == "doc.kml"), candidates[0])
    target = workdir / "doc.kml"
    try:
        archive.extract(main, target)
    except BoundaryError as exc:
        raise from_boundary_error(exc, format_label="KMZ") from exc
    check_xml(target, filename=archive.filename, format_label="KMZ")
    return target


def check_xml(path: Path, *, filename: str, format_label: str) -> None:
    """Refuse DTDs, entities and broken XML (with line and column) before GDAL parses the file.

    A document too large to parse into memory is scanned for the declarations instead, chunk by
    chunk: they can only come before the root element, but comments may pad the prolog, so the
    whole file is read.
    """
    if path.stat().st_size > XML_FULL_PARSE_BYTES:
        if _has_declarations(path):
            raise IngestError("xml_forbidden", filename=filename)
        return
    code = "corrupt_gpx" if format_label == "GPX" else "corrupt_kml"
    try:
        parse_xml(data=path.read_bytes(), filename=filename, corrupt_code=code)
    except BoundaryError as exc:
        raise from_boundary_error(exc, format_label=format_label) from exc


def _has_declarations(path: Path) -> bool:
    overlap = max(len(pattern) for pattern in _DECLARATIONS) - 1  # a declaration split across chunks
    tail = b""
    with path.open("rb") as handle:
        while chunk := handle.read(SCAN_CHUNK_BYTES):
            window = tail + chunk
            if any(pattern in window for pattern in _DECLARATIONS):
                return True
            tail = window[-overlap:]
    return False
