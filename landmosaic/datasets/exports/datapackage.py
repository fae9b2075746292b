"""Frictionless Data Package (v1) descriptors and the zips that carry them."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path
from typing import Any

from ..ingest.columns import table_schema


def package_name(text: str) -> str:
    """A name the spec allows: lower case letters, digits, "-", "_" and "."."""
    return re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-") or "dataset"


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return f"sha256:{digest.hexdigest()}"


def resource(
    path: Path, *, name: str, format_code: str, media_type: str, fields: list[dict[str, str]] | None
) -> dict[str, Any]:
    """One resource: a CSV with its Table Schema is a tabular data resource."""
    entry: dict[str, Any] = {
        "name": package_name(name),
        "path": f"data/{path.name}",
        "format": format_code,
        "mediatype": media_type,
        "bytes": path.stat().st_size,
        "hash": file_hash(path),
    }
    if format_code == "csv" and fields is not None:
        entry.update(profile="tabular-data-resource", encoding="utf-8", schema=table_schema(fields))
    return entry


# IANA media types of a shapefile's parts (the .prj and .cpg are one line of text).
MEMBER_MEDIA_TYPES = {
    "shp": "application/vnd.shp",
    "shx": "application/vnd.shx",
    "dbf": "application/vnd.dbf",
    "prj": "text/plain",
    "cpg": "text/plain",
}


def zip_member_resources(archive_path: Path, *, name: str) -> list[dict[str, Any]]:
    """One resource per file of an export that is itself a zip (the parts of a shapefile), named
    ``name`` and the part's extension; the paths are the files' own, at the zip's root."""
    resources = []
    with zipfile.ZipFile(archive_path) as archive:
        for info in archive.infolist():
            suffix = info.filename.rsplit(".", 1)[-1].lower() if "." in info.filename else ""
            digest = hashlib.sha256()
            with archive.open(info) as handle:
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
            resources.append(
                {
                    "name": package_name(f"{name}-{suffix}" if suffix else name),
                    "path": info.filename,
                    "format": suffix,
                    "mediatype": MEMBER_MEDIA_TYPES.get(suffix, "application/octet-stream"),
                    "bytes": info.file_size,
                    "hash": f"sha256:{digest.hexdigest()}",
                }
            )
    return resources


def add_descriptor(archive_path: Path, *, descriptor: dict[str, Any]) -> None:
    """Add ``datapackage.json`` to an export that is already a zip: every zip we hand out says what
    it holds, under which licence and from whom."""
    with zipfile.ZipFile(archive_path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(descriptor, indent=2, ensure_ascii=False))


def write_package(data: Path, *, descriptor: dict[str, Any], target: Path) -> None:
    """A zip with ``datapackage.json`` and the data file under ``data/``."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(descriptor, indent=2, ensure_ascii=False))
        archive.write(data, f"data/{data.name}")
