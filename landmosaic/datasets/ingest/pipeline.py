"""One upload in, datasets out: sniff, read, check, normalise, inspect.

``ingest_file`` works on local files in a scratch folder and imports no Django; the job handler
stores what it returns. A refusal is an ``IngestError`` with a code and the file, layer, row or
feature it concerns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from landmosaic.core.geo.limits import megabytes
from landmosaic.core.geo.messages import gettext_noop
from landmosaic.core.geo.safezip import SafeZip, is_zip

from . import geometry as geo
from .archives import open_archive
from .batches import DEFAULT_BATCH_ROWS
from .columns import Columns, safe_names
from .coordinates import (
    CoordinateColumns,
    PointReader,
    find_coordinate_columns,
    find_wkt_column,
    geometries_from_wkt,
    points_from_columns,
)
from .documents import document_part
from .limits import IngestLimits
from .messages import IngestError, IngestMessage
from .normalise import Part, write_table, write_vector
from .raster import raster_part
from .rows import check_columns, columns_from_rows
from .sniff import FORMATS, SNIFF_BYTES, Format, display_name, extension_mismatch, sniff_head
from .stream import Chunk, Chunks, LayerInfo, write_layer
from .tables import CsvSource, open_csv, read_again, read_spreadsheet
from .vector import Layer, LayerSource, read_layers

STEPS = {
    "recognising": gettext_noop("Recognising the file"),
    "reading": gettext_noop("Reading the file"),
    "checking": gettext_noop("Checking the data"),
    "writing": gettext_noop("Writing the archival copy"),
    "saving": gettext_noop("Saving the dataset"),
}
Progress = Callable[[int, str], None]


def _no_progress(percent: int, step: str) -> None:
    """Default progress callback: scripts and tests need none."""


@dataclass
class IngestResult:
    format: Format
    parts: list[Part]


@dataclass
class _Context:
    filename: str
    workdir: Path
    progress: Progress
    batch_rows: int = DEFAULT_BATCH_ROWS


def ingest_file(
    *,
    path: Path,
    filename: str,
    workdir: Path,
    limits: IngestLimits = IngestLimits(),  # noqa: B008 - frozen dataclass, safe as a default
    progress: Progress = _no_progress,
) -> IngestResult:
    """Read ``path`` (uploaded as ``filename``) and write one normalised file per part into ``workdir``."""
    name = display_name(filename)
    size = path.stat().st_size
    if size == 0:
        raise IngestError("empty_file", filename=name)
    if size > limits.max_bytes:
        raise IngestError(
            "file_too_large", filename=name, size_mb=megabytes(size), limit_mb=megabytes(limits.max_bytes)
        )
    progress(5, "recognising")
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    fmt = sniff_head(head=head, filename=filename)
    archive: SafeZip | None = None
    if is_zip(head):
        fmt, archive = open_archive(path, filename=name, limits=limits)
    try:
        return _ingest_format(path, fmt, name=name, filename=filename, workdir=workdir, limits=limits,
                              progress=progress, archive=archive)  # fmt: skip
    finally:
        if archive is not None:
            archive.archive.close()  # members were read from the file, one by one


def _ingest_format(
    path: Path,
    fmt: Format,
    *,
    name: str,
    filename: str,
    workdir: Path,
    limits: IngestLimits,
    progress: Progress,
    archive: SafeZip | None,
) -> IngestResult:
    warnings = []
    if extension_mismatch(filename=filename, found=fmt):
        warnings.append(IngestMessage("extension_mismatch", {"filename": name, "format": fmt.label}))
    context = _Context(filename=name, workdir=workdir, progress=progress, batch_rows=limits.batch_rows)
    title = Path(name).stem or name
    progress(15, "reading")
    if fmt.kind == "table":
        if fmt.code == "csv":
            source = open_csv(path, filename=name, workdir=workdir)
            parts = read_again(source, lambda: _from_csv(source, title=title, context=context))
        else:
            columns, read_warnings = read_spreadsheet(path, fmt, filename=name, workdir=workdir)
            parts = _from_table(columns, title=title, context=context, warnings=read_warnings)
    elif fmt.kind == "vector":
        layers, read_warnings = read_layers(
            path, fmt, filename=name, workdir=workdir, limits=limits, archive=archive
        )
        parts = []
        for index, layer in enumerate(layers):
            layer_title = title if len(layers) == 1 else layer.name
            parts.extend(_from_layer(layer, title=layer_title, index=index, context=context))
        parts = [_with_warnings(part, read_warnings) for part in parts]
    elif fmt.kind == "raster":
        parts = [raster_part(path, filename=name, title=title, workdir=workdir, limits=limits)]
    else:
        parts = [document_part(path, fmt, title=title)]
    return IngestResult(format=fmt, parts=[_with_warnings(part, warnings) for part in parts])


def ingest_rows(
    *,
    columns: list[Mapping[str, str]],
    rows: Iterable[Mapping[str, Any]],
    title: str,
    geometry: tuple[str, str] | None,
    workdir: Path,
    progress: Progress = _no_progress,
) -> tuple[IngestResult, Path]:
    """Rows given by code become one point layer (``geometry``: longitude and latitude columns, in
    EPSG:4326) or one table, normalised exactly as an uploaded table is.

    Returns the result and the rows as a UTF-8 CSV, the version's "original"."""
    check_columns(columns, geometry=geometry, name=title)
    progress(15, "reading")
    table, warnings = columns_from_rows(columns, rows, name=title)
    original = write_table(
        Part(kind="table", base_title=title), table, target=workdir / "rows.csv"
    ).normalised
    context = _Context(filename=title, workdir=workdir, progress=progress)
    if geometry is None:
        part = _table_part(table, title=title, layer="", index=0, context=context, warnings=warnings)
        return IngestResult(format=FORMATS["csv"], parts=[part]), original
    context.progress(45, "checking")
    found = CoordinateColumns(latitude=geometry[1], longitude=geometry[0], xy=False)
    points, point_warnings = points_from_columns(table, found, filename=title)
    warnings = [*warnings, *point_warnings]
    if points is not None and np.not_equal(points, None).any():
        layer = Layer(name="", columns=table, wkb=None, crs="EPSG:4326", warnings=warnings)
        parts = _vector_parts(layer, points, title=title, index=0, context=context, from_table=True)
        return IngestResult(format=FORMATS["csv"], parts=parts), original
    # No row has a position yet (field records without a location): still a point layer, so that
    # the dataset keeps its kind when positions arrive.
    context.progress(70, "writing")
    names, renamed = safe_names(table.names, reserved=True)
    table.utc = frozenset(new for old, new in zip(table.names, names, strict=True) if old in table.utc)
    table.names = names
    part = Part(kind="vector", base_title=title, family="points", geometry_type="Point", warnings=warnings)
    if renamed:
        part.warnings.append(_renamed(title, renamed))
    empty = np.full(table.length, None, dtype=object)
    part = write_vector(part, table, empty, crs="EPSG:4326", target=workdir / "part-0-points.gpkg")
    return IngestResult(format=FORMATS["csv"], parts=[part]), original


def _with_warnings(part: Part, warnings: list[IngestMessage]) -> Part:
    part.warnings = [*warnings, *part.warnings]
    return part


class _NotPositions(Exception):
    """x/y columns turned out not to hold degrees: the file is a table."""


def _from_csv(source: CsvSource, *, title: str, context: _Context) -> list[Part]:
    """A CSV with latitude/longitude columns streams, batch by batch, into a point layer; other
    CSVs (WKT, projected x/y, plain tables) are read whole and go the way of every table."""
    found = find_coordinate_columns(source.names())
    if not found:
        columns = source.read_all(batch_rows=context.batch_rows)
        return _from_table(columns, title=title, context=context, warnings=source.warnings)
    context.progress(45, "checking")
    info = LayerInfo(
        title=title, name="", label=title, filename=context.filename, crs="EPSG:4326",
        warnings=list(source.warnings), from_table=True,
    )  # fmt: skip

    def chunks() -> Iterator[Chunk]:
        reader = PointReader(found, filename=context.filename)
        for batch in source.batches(batch_rows=context.batch_rows):
            points = reader.batch(batch.columns, start=batch.start)
            if points is None:
                raise _NotPositions
            if reader.pending is not None:
                continue  # refused at the end either way (swapped, or out of range): only check
            yield Chunk(batch.columns, points, batch.start)
        info.warnings[:] = [*source.warnings, *reader.finish()]

    try:
        return _stream_vector(
            chunks,
            info=info,
            index=0,
            context=context,
            table=lambda: source.read_all(batch_rows=context.batch_rows),
        )
    except _NotPositions:
        projected = IngestMessage(
            "projected_xy_kept_as_table",
            {"filename": context.filename, "x": found.longitude, "y": found.latitude},
        )
        columns = source.read_all(batch_rows=context.batch_rows)
        return _from_table(
            columns, title=title, context=context, warnings=[*source.warnings, projected], points=False
        )


def _stream_vector(
    chunks: Chunks, *, info: LayerInfo, index: int, context: _Context, table: Callable[[], Columns]
) -> list[Part]:
    """The layer's GeoPackages, or a table when no row has a geometry."""
    parts, warnings = write_layer(chunks, info=info, workdir=context.workdir, index=index)
    if parts is None:
        return [
            _table_part(
                table(), title=info.title, layer=info.name, index=index, context=context, warnings=warnings
            )
        ]
    context.progress(70, "writing")
    return parts


def _from_table(
    columns: Columns, *, title: str, context: _Context, warnings: list[IngestMessage], points: bool = True
) -> list[Part]:
    """Points from latitude/longitude columns, geometries from a WKT column, or a plain table."""
    context.progress(45, "checking")
    found = find_coordinate_columns(columns.names) if points else None
    if found:
        points, point_warnings = points_from_columns(columns, found, filename=context.filename)
        warnings = [*warnings, *point_warnings]
        if points is not None:
            layer = Layer(name="", columns=columns, wkb=None, crs="EPSG:4326", warnings=warnings)
            return _vector_parts(layer, points, title=title, index=0, context=context, from_table=True)
    wkt = find_wkt_column(columns)
    if wkt:
        shapes = geometries_from_wkt(columns.column(wkt), column=wkt, filename=context.filename)
        layer = Layer(name="", columns=columns.without({wkt}), wkb=None, crs=None, warnings=warnings)
        return _vector_parts(
            layer, shapes, title=title, index=0, context=context, from_table=True, wkt_column=wkt
        )
    return [_table_part(columns, title=title, layer="", index=0, context=context, warnings=warnings)]


def _from_layer(layer: LayerSource, *, title: str, index: int, context: _Context) -> list[Part]:
    shown = layer.title or layer.name  # a single-layer file's layer takes the file's name
    if not layer.has_geometry:
        return [
            _table_part(
                layer.columns(batch_rows=context.batch_rows),
                title=title,
                layer=shown,
                index=index,
                context=context,
                warnings=layer.warnings,
            )
        ]
    context.progress(45, "checking")
    label = shown or title

    def chunks() -> Iterator[Chunk]:
        for batch in layer.batches(batch_rows=context.batch_rows):
            shapes = geo.parse_wkb(batch.wkb, filename=context.filename, layer=label, start=batch.start)
            yield Chunk(batch.columns, shapes, batch.start)

    info = LayerInfo(
        title=title, name=shown, label=label, filename=context.filename, crs=layer.crs,
        warnings=layer.warnings,
    )  # fmt: skip
    return _stream_vector(
        chunks,
        info=info,
        index=index,
        context=context,
        table=lambda: layer.columns(batch_rows=context.batch_rows),
    )


def _table_part(
    columns: Columns, *, title: str, layer: str, index: int, context: _Context, warnings: list[IngestMessage]
) -> Part:
    context.progress(70, "writing")
    names, renamed = safe_names(columns.names, reserved=False)
    columns.names = names
    part = Part(kind="table", base_title=title, layer=layer, warnings=list(warnings))
    if renamed:
        part.warnings.append(_renamed(context.filename, renamed))
    return write_table(part, columns, target=context.workdir / f"part-{index}.csv")


def _renamed(filename: str, renamed: list[str]) -> IngestMessage:
    return IngestMessage("fields_renamed", {"filename": filename, "names": ", ".join(renamed[:10])})


def _vector_parts(
    layer: Layer,
    shapes: np.ndarray,
    *,
    title: str,
    index: int,
    context: _Context,
    from_table: bool = False,
    wkt_column: str = "",
) -> list[Part]:
    """Geometries held in memory (rows given by code, spreadsheets, WKT columns): one batch."""
    info = LayerInfo(
        title=title,
        name=layer.name,
        label=layer.name or title,
        filename=context.filename,
        crs=layer.crs,
        warnings=list(layer.warnings),
        missing_code="wkt_not_lonlat" if wkt_column else "no_crs_not_lonlat",
        crs_params={"column": wkt_column} if wkt_column else {},
        from_table=from_table,
    )

    def chunks() -> Iterator[Chunk]:
        yield Chunk(layer.columns, shapes.copy(), 0)  # the checks repair in place; each pass starts afresh

    return _stream_vector(chunks, info=info, index=index, context=context, table=lambda: layer.columns)
