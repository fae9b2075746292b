"""A vector layer checked and written to GeoPackages batch by batch, in bounded memory.

The layer is read in batches (``Chunk``: attributes, geometries, first row). Each batch goes through
the geometry checks (bounds, heights, CRS, collections, repairs) with features numbered in the
whole layer, and the rows of one kind of geometry stream into that kind's GeoPackage through one
GDAL write (``write_arrow``: one open of the file, the spatial index built once at the end).

What a whole-layer write decides from all rows needs them all: which kinds occur (rows without a
geometry join the first kind), and whether a kind mixes single and multi-geometries (then all
become multi). The first pass guesses from the first batch and writes the first kind; it also
learns the whole layer. Each further kind, and a kind the guess got wrong, gets a pass of its own.
A layer of one kind, the usual case, is read once. Everything a pass finds (counts, bounding box,
date ranges, warnings) is summed batch by batch, so the result equals a one-batch ingest.

A refusal names the feature or row by its number in the whole layer. Where a layer has several
different problems, the one named is the first met batch by batch: all the checks run on one batch
before the next is read, so a refusal may name a later kind of problem in an earlier batch where a
whole-layer read would have named an earlier kind in a later one. Whole numbers are written as
64-bit integers whether or not a column has nulls (a whole-layer write knew, a batch does not).
Only CSV latitude/longitude points and vector layers stream; tables, spreadsheets, WKT columns and
layers without any geometry are read whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyogrio.raw
import shapely

from . import geometry as geo
from .columns import TEMPORAL_TYPES, Columns, cell_texts, safe_names
from .crs import crs_label
from .messages import IngestMessage
from .normalise import Part, bbox_from_bounds, layer_name

#: Repaired features named in the warning (one more to know that the list goes on).
_NAMED_REPAIRS = 6


@dataclass
class Chunk:
    """Rows ``start`` to ``start + len(shapes)`` of a layer: attributes and shapely geometries."""

    columns: Columns
    shapes: np.ndarray
    start: int


#: Reads the layer from its first row each time it is called.
Chunks = Callable[[], Iterator[Chunk]]


@dataclass
class LayerInfo:
    """What a vector layer is called and carries before its rows are read."""

    title: str
    name: str  # the source's layer name ("" for single-layer files)
    label: str  # the name messages use
    filename: str
    crs: str | None
    warnings: list[IngestMessage]
    missing_code: str = "no_crs_not_lonlat"
    crs_params: dict[str, str] = field(default_factory=dict)
    from_table: bool = False


class _Checks:
    """The geometry checks of one pass over a layer, batch by batch, and what they found."""

    def __init__(self, info: LayerInfo) -> None:
        self.info = info
        self.crs: str | None = None
        self.crs_warnings: list[IngestMessage] = []
        self.z_warnings: list[IngestMessage] = []
        self.repaired: list[int] = []
        self.repaired_count = 0

    def apply(self, shapes: np.ndarray, start: int) -> np.ndarray:
        info = self.info
        names = {"filename": info.filename, "layer": info.label}
        geo.check_coordinates(shapes, start=start, **names)
        shapes, z_warnings = geo.drop_z(shapes, **names)
        if z_warnings and not self.z_warnings:
            self.z_warnings = z_warnings
        crs, crs_warnings = geo.resolve_crs(
            info.crs, shapes, missing_code=info.missing_code, start=start, **names, **info.crs_params
        )
        if self.crs is None:
            self.crs, self.crs_warnings = crs, crs_warnings
        shapes = geo.resolve_collections(shapes, start=start, **names)
        shapes, repaired = geo.repair_batch(shapes, start=start, **names)
        self.repaired_count += len(repaired)
        self.repaired.extend(repaired[: _NAMED_REPAIRS - len(self.repaired)])
        return shapes

    def warnings(self) -> list[IngestMessage]:
        repaired = geo.repaired_warnings(
            self.repaired, count=self.repaired_count, filename=self.info.filename, layer=self.info.label
        )
        return [*self.info.warnings, *self.z_warnings, *self.crs_warnings, *repaired]


@dataclass
class _Facts:
    """What a whole pass learnt: the kinds of geometry and whether each has multi-geometries."""

    multi: dict[str, bool] = field(default_factory=dict)
    nulls: int = 0

    def add(self, families: np.ndarray, multi: np.ndarray) -> None:
        for index, family in enumerate(geo.FAMILIES):
            rows = families == index
            if rows.any():
                self.multi[family] = self.multi.get(family, False) or bool(multi[rows].any())
        self.nulls += int((families < 0).sum())

    def kinds(self) -> list[str]:
        return [family for family in geo.FAMILIES if family in self.multi]


@dataclass(frozen=True)
class _Plan:
    family: str  # the kind this pass writes
    multi: bool  # written as multi-geometries
    nulls: bool  # takes the rows without a geometry


@dataclass
class _Written:
    """One kind's GeoPackage as written, with its inspection summed over the batches."""

    plan: _Plan
    target: Path
    rows: int = 0
    missing: int = 0
    bounds: np.ndarray = field(default_factory=lambda: np.array([np.inf, np.inf, -np.inf, -np.inf]))
    low: dict[str, np.datetime64] = field(default_factory=dict)
    high: dict[str, np.datetime64] = field(default_factory=dict)

    def add(self, columns: Columns, shapes: np.ndarray) -> None:
        self.rows += columns.length
        self.missing += int(np.equal(shapes, None).sum())
        bounds = shapely.total_bounds(shapes)
        if np.isfinite(bounds).all():
            self.bounds = np.concatenate(
                [np.minimum(self.bounds[:2], bounds[:2]), np.maximum(self.bounds[2:], bounds[2:])]
            )
        for name, array, kind in zip(columns.names, columns.arrays, columns.types, strict=True):
            if kind not in TEMPORAL_TYPES or array.dtype.kind != "M":
                continue
            valid = array[~np.isnat(array)]
            if valid.size:
                low, high = valid.min(), valid.max()
                self.low[name] = min(self.low.get(name, low), low)
                self.high[name] = max(self.high.get(name, high), high)

    def temporal(self, columns: Columns) -> list[dict[str, str]]:
        ranges = []
        for name, kind in zip(columns.names, columns.types, strict=True):
            if name in self.low:
                low, high = cell_texts(np.array([self.low[name], self.high[name]]), kind)
                ranges.append({"field": name, "start": low, "end": high})
        return ranges


class _Relay:
    """An error raised while GDAL pulls the batches reaches the caller as itself, not as GDAL's."""

    def __init__(self) -> None:
        self.error: BaseException | None = None

    def guard(self, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        try:
            yield from batches
        except BaseException as exc:
            self.error = exc
            raise


def write_layer(
    chunks: Chunks, *, info: LayerInfo, workdir: Path, index: int
) -> tuple[list[Part] | None, list[IngestMessage]]:
    """One GeoPackage per kind of geometry, or None when no row has a geometry (then a table), with
    the layer's warnings (for the table)."""
    first = _Pass(chunks, info, plan=None, workdir=workdir, index=index)
    first.run()
    kinds = first.facts.kinds()
    if not kinds:
        return None, first.checks.warnings()
    written = {}
    for family in kinds:
        plan = _Plan(family=family, multi=first.facts.multi[family], nulls=family == kinds[0])
        if first.written is not None and _same(first.written.plan, plan, nulls=first.facts.nulls):
            written[family] = first.written
            continue
        again = _Pass(chunks, info, plan=plan, workdir=workdir, index=index)
        again.run()
        assert again.written is not None
        written[family] = again.written
    return _parts(first, written, kinds), first.checks.warnings()


def _same(guess: _Plan, plan: _Plan, *, nulls: int) -> bool:
    """The first pass wrote what the whole layer calls for (where no row lacks a geometry, which
    kind would take them does not matter)."""
    return (guess.family, guess.multi) == (plan.family, plan.multi) and (
        not nulls or guess.nulls == plan.nulls
    )


class _Pass:
    """One read of the layer: every batch checked; the rows of one kind written (``plan``), or, on the
    first pass, of the kind the first batch suggests."""

    def __init__(
        self, chunks: Chunks, info: LayerInfo, *, plan: _Plan | None, workdir: Path, index: int
    ) -> None:
        self.chunks, self.info, self.plan = chunks, info, plan
        self.guessing = plan is None
        self.doomed = False  # the first pass's guess proved wrong: it only learns the layer from then on
        self.schema: pa.Schema | None = None
        self.workdir, self.index = workdir, index
        self.checks = _Checks(info)
        self.facts = _Facts()
        self.written: _Written | None = None
        self.columns: Columns | None = None  # names and types (renamed), from the first batch
        self.renamed: list[str] = []

    def run(self) -> None:
        relay = _Relay()
        batches = relay.guard(self._batches())
        try:
            first = next(batches)
        except StopIteration:
            return  # nothing to write in this pass (no geometry in the first batch): facts only
        plan = self.plan
        assert plan is not None and self.written is not None and self.checks.crs is not None
        reader = pa.RecordBatchReader.from_batches(first.schema, chain([first], batches))
        geometry_type = (geo.MULTI_TYPES if plan.multi else geo.SINGLE_TYPES)[plan.family]
        try:
            pyogrio.raw.write_arrow(
                reader,
                str(self.written.target),
                layer=layer_name(self.info.title),
                driver="GPKG",
                geometry_name="geom",
                geometry_type=geometry_type,
                crs=self.checks.crs,
            )
        except Exception:
            if relay.error is not None:
                raise relay.error from None
            raise
        if relay.error is not None:
            raise relay.error
        if self.doomed:  # what was written follows a wrong guess: the kind gets a pass of its own
            self.written.target.unlink()
            self.written = None

    def _batches(self) -> Iterator[pa.RecordBatch]:
        for chunk in self.chunks():
            if not chunk.columns.length:
                continue
            shapes = self.checks.apply(chunk.shapes, chunk.start)
            type_ids = shapely.get_type_id(shapes)
            families = geo.family_index(type_ids)
            multi = geo.is_multi(type_ids)
            self.facts.add(families, multi)
            if self.columns is None:
                self._name_columns(chunk.columns)
            if self.plan is None:
                if chunk.start == 0 and (families >= 0).any():
                    code = int(families[families >= 0].min())
                    guess = _Plan(
                        family=geo.FAMILIES[code], multi=bool(multi[families == code].any()), nulls=True
                    )
                    self.plan = guess
                    self._open(guess)
                else:
                    self.doomed = True
            if self.doomed:
                continue
            plan = self.plan
            code = geo.FAMILIES.index(plan.family)
            if self.guessing and (
                # written as singles so far, or an earlier kind takes the rows without geometry:
                # the kind needs a pass of its own; this one only learns the layer from now on.
                (multi[families == code].any() and not plan.multi)
                or (self.facts.nulls and any(geo.FAMILIES.index(f) < code for f in self.facts.multi))
            ):
                self.doomed = True
                continue
            rows = (families == code) | ((families < 0) & plan.nulls)
            if not rows.any():
                continue
            yield self._record(chunk.columns, shapes, rows)

    def _name_columns(self, columns: Columns) -> None:
        names, self.renamed = safe_names(columns.names, reserved=True)
        self.columns = Columns(names, [], list(columns.types), 0)
        utc = [name in columns.utc for name in columns.names]
        self.columns.utc = frozenset(n for n, known in zip(names, utc, strict=True) if known)
        self.schema = pa.schema(
            [
                pa.field(name, _arrow_type(kind, utc=known))
                for name, kind, known in zip(names, columns.types, utc, strict=True)
            ]
            + [pa.field("geom", pa.binary())]
        )

    def _open(self, plan: _Plan) -> None:
        target = self.workdir / f"part-{self.index}-{plan.family}.gpkg"
        target.unlink(missing_ok=True)  # left by a first pass whose guess proved wrong
        self.written = _Written(plan=plan, target=target)

    def _record(self, columns: Columns, shapes: np.ndarray, rows: np.ndarray) -> pa.RecordBatch:
        assert self.plan is not None and self.columns is not None
        if self.written is None:
            self._open(self.plan)
        take = None if rows.all() else np.flatnonzero(rows)
        part = columns if take is None else columns.take(take)
        part = Columns(self.columns.names, part.arrays, part.types, part.length)
        kept = shapes if take is None else shapes[take]
        if self.plan.multi:
            kept = geo.promote(kept, self.plan.family)
        self.written.add(part, kept)
        arrays = [_arrow_array(array, kind) for array, kind in zip(part.arrays, part.types, strict=True)]
        # UTC date-times are held naive in NumPy: they take the schema's zone here.
        arrays = [
            a if a.type == f.type else a.cast(f.type) for a, f in zip(arrays, self.schema, strict=False)
        ]
        arrays.append(pa.array(shapely.to_wkb(kept), type=pa.binary()))
        return pa.RecordBatch.from_arrays(arrays, schema=self.schema)


def _arrow_type(kind: str, *, utc: bool = False) -> pa.DataType:
    """A UTC date-time column is written by GDAL with its UTC flag (the GeoPackage writes "Z")."""
    if kind == "datetime" and utc:
        return pa.timestamp("ms", tz="UTC")
    return {
        "integer": pa.int64(),
        "boolean": pa.bool_(),
        "number": pa.float64(),
        "date": pa.date32(),
        "datetime": pa.timestamp("ms"),
    }.get(kind, pa.string())


def _arrow_array(array: np.ndarray, kind: str) -> pa.Array:
    """One column for GDAL: integers and booleans keep their type with nulls, NaN is null."""
    if kind in ("integer", "boolean"):
        target = np.int64 if kind == "integer" else np.bool_
        if array.dtype.kind == "f":
            mask = np.isnan(array)
            return pa.array(np.where(mask, 0, array).astype(target), mask=mask)
        return pa.array(array.astype(target))
    if kind == "number":
        return pa.array(array.astype(np.float64), from_pandas=True)
    if kind == "date":
        return pa.array(array.astype("datetime64[D]"), from_pandas=True)
    if kind == "datetime":
        return pa.array(array.astype("datetime64[ms]"), from_pandas=True)
    try:
        return pa.array(array, type=pa.string(), from_pandas=True)
    except (pa.ArrowTypeError, pa.ArrowInvalid):  # times, and anything else that is not text yet
        return pa.array([None if v is None else str(v) for v in array.tolist()], type=pa.string())


def _parts(first: _Pass, written: dict[str, _Written], kinds: list[str]) -> list[Part]:
    info, checks = first.info, first.checks
    assert first.columns is not None and checks.crs is not None
    warnings = checks.warnings()
    if first.renamed:
        warnings.append(
            IngestMessage(
                "fields_renamed", {"filename": info.filename, "names": ", ".join(first.renamed[:10])}
            )
        )
    split = len(kinds) > 1
    if split:
        warnings.append(
            IngestMessage(
                "split_by_geometry", {"filename": info.filename, "layer": info.label, "families": kinds}
            )
        )
    parts = []
    for family in kinds:
        result = written[family]
        part = Part(
            kind="vector",
            base_title=info.title,
            layer=info.name,
            family=family,
            split=split,
            geometry_type=(geo.MULTI_TYPES if result.plan.multi else geo.SINGLE_TYPES)[family],
            warnings=list(warnings),
        )
        if result.missing and not info.from_table:
            part.warnings.append(
                IngestMessage(
                    "features_without_geometry",
                    {"filename": info.filename, "layer": info.label, "count": result.missing},
                )
            )
        part.normalised, part.normalised_format = result.target, "gpkg"
        part.crs = crs_label(checks.crs)
        part.fields = first.columns.fields()
        part.row_count = result.rows
        part.bbox_4326 = bbox_from_bounds(result.bounds, checks.crs)
        part.temporal = result.temporal(first.columns)
        parts.append(part)
    return parts
