"""Tables: CSV in the usual encodings and delimiters, and the first sheet of XLSX/ODS workbooks."""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio
import pyogrio.raw

from .columns import Columns, columns_from_ogr
from .messages import IngestError, IngestMessage
from .sniff import Format, guess_delimiter
from .workspace import GDAL_ERRORS, linked, quiet_gdal

GDAL_SEPARATORS = {",": "COMMA", ";": "SEMICOLON", "\t": "TAB", "|": "PIPE"}
ENCODING_LABELS = {"cp1252": "Windows-1252 (Latin-1)", "latin-1": "ISO-8859-1 (Latin-1)", "utf-16": "UTF-16"}
CHUNK = 1 << 20
HEAD = 64 * 1024


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) or UTF-16 when they fit, else Windows-1252, else Latin-1."""
    with path.open("rb") as handle:
        start = handle.read(4)
    if start.startswith(codecs.BOM_UTF8):
        return "utf-8-sig" if _decodes(path, "utf-8-sig") else "cp1252"
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if _decodes(path, "utf-8"):
        return "utf-8"
    # Windows-1252 is what "Latin-1" spreadsheets usually are; it leaves five bytes undefined,
    # which ISO-8859-1 then covers, so every byte sequence decodes one way or the other.
    return "cp1252" if _decodes(path, "cp1252") else "latin-1"


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _transcode(source: Path, target: Path, encoding: str) -> None:
    """Rewrite as UTF-8 without BOM, chunk by chunk (the BOM is dropped by the -sig/16 codecs)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    with source.open("rb") as src, target.open("wb") as dst:
        while chunk := src.read(CHUNK):
            dst.write(decoder.decode(chunk).encode("utf-8"))
        dst.write(decoder.decode(b"", final=True).encode("utf-8"))


def read_csv(path: Path, *, filename: str, workdir: Path) -> tuple[Columns, list[IngestMessage]]:
    """All rows of a delimited text file, with types detected over the whole file."""
    encoding = detect_encoding(path)
    warnings: list[IngestMessage] = []
    if encoding == "utf-8":
        source = linked(path, workdir / "table.csv")
    else:
        source = workdir / "table.csv"
        _transcode(path, source, encoding)
        if encoding in ENCODING_LABELS:
            warnings.append(
                IngestMessage(
                    "encoding_fallback", {"filename": filename, "encoding": ENCODING_LABELS[encoding]}
                )
            )
    with source.open("rb") as handle:
        head = handle.read(HEAD).decode("utf-8", "ignore")
    first_line = head.splitlines()[0] if head.strip() else ""
    if not head.strip():
        raise IngestError("empty_file", filename=filename)
    if not first_line.strip():
        raise IngestError("no_header", filename=filename)
    delimiter = guess_delimiter(head) or ","
    options = {
        "SEPARATOR": GDAL_SEPARATORS[delimiter],
        "HEADERS": "YES",
        "AUTODETECT_TYPE": "YES",
        "AUTODETECT_SIZE_LIMIT": "0",  # the whole file: a late text value must not be cut to a number
        "EMPTY_STRING_AS_NULL": "YES",
        "KEEP_GEOM_COLUMNS": "YES",
    }
    try:
        with quiet_gdal():
            meta, _fids, _geometry, arrays = pyogrio.raw.read(str(source), read_geometry=False, **options)
            meta, arrays = _keep_text_that_is_not_a_number(source, meta, arrays, options)
    except GDAL_ERRORS as exc:
        raise IngestError("corrupt_file", filename=filename, format="CSV") from exc
    length = len(arrays[0]) if arrays else 0
    if not length:
        raise IngestError("no_rows", filename=filename)
    return columns_from_ogr(meta, arrays, length), warnings


_NUMERIC_OGR_TYPES = frozenset({"OFTInteger", "OFTInteger64", "OFTReal"})


def _keep_text_that_is_not_a_number(
    source: Path, meta: dict[str, Any], arrays: list[np.ndarray], options: dict[str, str]
) -> tuple[dict[str, Any], list[np.ndarray]]:
    """Undo GDAL's type guess for columns where it would lose values.

    GDAL's CSV driver takes a lone "-" (and similar) for a number and reads it as empty. A column
    guessed numeric keeps that type only if every non-empty cell, read as text, parses as a number.
    """
    subtypes = meta.get("ogr_subtypes") or [""] * len(meta["ogr_types"])
    numeric = [
        i
        for i, (ogr_type, subtype) in enumerate(zip(meta["ogr_types"], subtypes, strict=True))
        if ogr_type in _NUMERIC_OGR_TYPES and subtype != "OFSTBoolean"
    ]
    if not numeric:
        return meta, arrays
    names = [meta["fields"][i] for i in numeric]
    _meta, _fids, _geometry, texts = pyogrio.raw.read(
        str(source), read_geometry=False, columns=names, **{**options, "AUTODETECT_TYPE": "NO"}
    )
    meta = {**meta, "ogr_types": list(meta["ogr_types"]), "dtypes": list(meta.get("dtypes", []))}
    arrays = list(arrays)
    for index, text in zip(numeric, texts, strict=True):
        present = text[np.not_equal(text, None)]
        try:
            np.asarray(present, dtype=np.float64)
        except ValueError:
            meta["ogr_types"][index] = "OFTString"
            arrays[index] = text
    return meta, arrays


def read_spreadsheet(
    path: Path, fmt: Format, *, filename: str, workdir: Path
) -> tuple[Columns, list[IngestMessage]]:
    """The first sheet of a workbook (already vetted as a zip), its first row as column names."""
    source = linked(path, workdir / f"table{fmt.suffix}")
    try:
        with quiet_gdal():
            layers = pyogrio.list_layers(str(source))
            if not len(layers):
                raise IngestError("no_rows", filename=filename)
            meta, _fids, _geometry, arrays = pyogrio.raw.read(
                str(source), layer=str(layers[0][0]), read_geometry=False, HEADERS="FORCE", FIELD_TYPES="AUTO"
            )
    except GDAL_ERRORS as exc:
        raise IngestError("corrupt_file", filename=filename, format=fmt.label) from exc
    length = len(arrays[0]) if arrays else 0
    if not length:
        raise IngestError("no_rows", filename=filename)
    return columns_from_ogr(meta, arrays, length), []
