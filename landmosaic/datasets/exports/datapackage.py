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


def write_package(data: Path, *, descriptor: dict[str, Any], target: Path) -> None:
    """A zip with ``datapackage.json`` and the data file under ``data/``."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(descriptor, indent=2, ensure_ascii=False))
        archive.write(data, f"data/{data.name}")
