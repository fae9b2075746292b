"""Tables: CSV in the usual encodings and delimiters, and the first sheet of XLSX/ODS workbooks."""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pyogrio
import pyogrio.raw

from .batches import DEFAULT_BATCH_ROWS, Batch, BatchReader
from .columns import Columns, columns_from_ogr
from .messages import IngestError, IngestMessage
from .sniff import Format, guess_delimiter
from .workspace import GDAL_ERRORS, linked, quiet_gdal
from .zones import stated_offsets, to_utc

GDAL_SEPARATORS = {",": "COMMA", ";": "SEMICOLON", "\t": "TAB", "|": "PIPE"}
ENCODING_LABELS = {"cp1252": "Windows-1252 (Latin-1)", "latin-1": "ISO-8859-1 (Latin-1)", "utf-16": "UTF-16"}
CHUNK = 1 << 20
HEAD = 64 * 1024
_NUMERIC_OGR_TYPES = frozenset({"OFTInteger", "OFTInteger64", "OFTReal"})
T = TypeVar("T")
FIRST_DATA_ROW = 2  # the header is row 1


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


class Retype(Exception):
    """Columns GDAL took for numbers turned out to hold text in a later batch: read again."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(", ".join(names))
        self.names = names


@dataclass
class CsvSource:
    """A delimited text file ready to be read in batches: UTF-8, its delimiter found.

    GDAL's CSV driver takes a lone "-" (and similar) for a number and reads it as empty. A column
    guessed numeric keeps that type only if every non-empty cell, read as text, parses as a number:
    each batch of such columns is read as text too, and checked. A column found to hold text after
    earlier batches were used raises ``Retype``: the reader then starts again with it as text
    (``text_columns``), which ``read_again`` does for its callers.

    GDAL reads a date-time's stated zone and drops it, keeping the local clock. Date-time columns are
    read as text too: a value that states its zone is moved to UTC. A column whose every value states
    one holds known moments (``Columns.utc``: the GeoPackage writes "Z"); one where some value has
    none stays without zones, with a warning. The mark is the same in every batch: where a later
    batch contradicts the earlier ones' mark, what was learnt is kept (``zones``) and the reader
    starts again (``Retype``), as for numbers.
    """

    path: Path
    filename: str
    options: dict[str, str]
    warnings: list[IngestMessage]
    text_columns: list[str] = field(default_factory=list)
    #: Date-time columns whose zones are known: True where every value (so far) states one.
    zones: dict[str, bool] = field(default_factory=dict)
    #: Of each date-time column, the first row (numbered as in the file) whose value states no zone.
    naive_rows: dict[str, int] = field(default_factory=dict)

    def batches(self, *, batch_rows: int) -> Iterator[Batch]:
        """The rows, ``batch_rows`` at a time, typed over the whole file."""
        try:
            with BatchReader(self.path, batch_rows=batch_rows, read_geometry=False, **self.options) as main:
                numeric = _numeric_columns(main.meta)
                moments = _datetime_columns(main.meta)
                if not numeric and not moments:
                    yield from main
                    return
                text_options = {**self.options, "AUTODETECT_TYPE": "NO"}
                with BatchReader(
                    self.path,
                    batch_rows=batch_rows,
                    read_geometry=False,
                    columns=numeric + moments,
                    **text_options,
                ) as texts:
                    for batch, text in zip(main, texts, strict=True):
                        self._zoned(batch, text.columns, moments)
                        yield self._checked(batch, text.columns, numeric)
        except GDAL_ERRORS as exc:
            raise IngestError("corrupt_file", filename=self.filename, format="CSV") from exc

    def names(self) -> list[str]:
        """The column names (without the scan of the whole file that typing them takes)."""
        options = {**self.options, "AUTODETECT_TYPE": "NO"}
        try:
            with BatchReader(self.path, batch_rows=1, read_geometry=False, **options) as reader:
                return [str(name) for name in reader.meta["fields"]]
        except GDAL_ERRORS as exc:
            raise IngestError("corrupt_file", filename=self.filename, format="CSV") from exc

    def read_all(self, *, batch_rows: int) -> Columns:
        """Every row at once (tables), refusing a file without any."""
        parts = [batch.columns for batch in self.batches(batch_rows=batch_rows)]
        if not parts or not sum(part.length for part in parts):
            raise IngestError("no_rows", filename=self.filename)
        return Columns.concat(parts)

    def _checked(self, batch: Batch, texts: Columns, numeric: list[str]) -> Batch:
        columns, found = batch.columns, []
        for name, values in zip(texts.names, texts.arrays, strict=True):
            if name not in numeric:
                continue
            index = columns.names.index(name)
            if name in self.text_columns:
                columns.arrays[index], columns.types[index] = values, "string"
                continue
            try:
                np.asarray(values[np.not_equal(values, None)], dtype=np.float64)
            except ValueError:
                found.append(name)
        if found:
            raise Retype(found)
        return batch

    def _zoned(self, batch: Batch, texts: Columns, moments: list[str]) -> None:
        """The batch's date-times with stated zones moved to UTC, and the columns marked that hold
        known moments; raises ``Retype`` where the earlier batches' marks prove wrong."""
        columns, again = batch.columns, False
        for name in moments:
            text = texts.column(name)
            index = columns.names.index(name)
            stated, offsets = stated_offsets(text)
            columns.arrays[index] = to_utc(columns.arrays[index], stated, offsets)
            naive = np.not_equal(text, None) & ~stated
            if naive.any():
                row = batch.start + int(np.flatnonzero(naive)[0]) + FIRST_DATA_ROW
                self.naive_rows[name] = min(self.naive_rows.get(name, row), row)
            known = self.zones.get(name)
            if naive.any():
                # A mark of known moments on earlier batches (or this one) was wrong.
                again = again or (known is True and batch.start > 0)
                self.zones[name] = False
                if stated.any() or known is True:
                    self._mixed(name)
            elif stated.any():
                if known is False:
                    self._mixed(name)
                elif known is None:
                    self.zones[name] = True
                    # earlier batches held no value of the column and went unmarked
                    again = again or batch.start > 0
        if again:
            raise Retype([])  # no new text column: what ``zones`` learnt is kept for the next read
        columns.utc = frozenset(name for name in moments if self.zones.get(name))

    def _mixed(self, name: str) -> None:
        warning = IngestMessage(
            "rows_datetime_zones_mixed",
            {"filename": self.filename, "column": name, "row": self.naive_rows[name]},
        )
        if all(w.code != warning.code or w.params["column"] != name for w in self.warnings):
            self.warnings.append(warning)


def read_again(source: CsvSource, read: Callable[[], T]) -> T:
    """``read()``, started again each time a column is found to hold text after all, or a date-time
    column to hold known moments or not where the earlier batches were marked otherwise."""
    while True:
        try:
            return read()
        except Retype as signal:
            source.text_columns.extend(signal.names)


def _numeric_columns(meta: dict[str, Any]) -> list[str]:
    subtypes = meta.get("ogr_subtypes") or [""] * len(meta["ogr_types"])
    return [
        str(name)
        for name, ogr_type, subtype in zip(meta["fields"], meta["ogr_types"], subtypes, strict=True)
        if ogr_type in _NUMERIC_OGR_TYPES and subtype != "OFSTBoolean"
    ]


def _datetime_columns(meta: dict[str, Any]) -> list[str]:
    return [
        str(name)
        for name, ogr_type in zip(meta["fields"], meta["ogr_types"], strict=True)
        if ogr_type == "OFTDateTime"
    ]


def open_csv(path: Path, *, filename: str, workdir: Path) -> CsvSource:
    """Find the encoding (rewriting the file as UTF-8 when needed) and the delimiter; the rows are
    read afterwards, batch by batch."""
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
    return CsvSource(source, filename, options, warnings)


def read_csv(
    path: Path, *, filename: str, workdir: Path, batch_rows: int = DEFAULT_BATCH_ROWS
) -> tuple[Columns, list[IngestMessage]]:
    """All rows of a delimited text file at once (plain tables), with types detected over the whole file."""
    source = open_csv(path, filename=filename, workdir=workdir)
    return read_again(source, lambda: source.read_all(batch_rows=batch_rows)), source.warnings


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
