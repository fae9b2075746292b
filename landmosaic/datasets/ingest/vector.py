"""Vector files read with pyogrio: GeoJSON, KML/KMZ, GPX, zipped shapefile, GeoPackage, FlatGeobuf."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyogrio
import pyogrio.raw

from landmosaic.core.geo.messages import BoundaryError
from landmosaic.core.geo.read_geojson import GEOMETRY_TYPES, load_json
from landmosaic.core.geo.safezip import SafeZip

from .archives import check_xml, extract_kml, extract_shapefile
from .batches import Batch, BatchReader
from .columns import Columns, columns_from_ogr
from .limits import IngestLimits
from .messages import IngestError, IngestMessage
from .sniff import Format
from .workspace import GDAL_ERRORS, linked, quiet_gdal

# GPX point layers repeat the vertices of routes and tracks, one row each: not worth a dataset.
GPX_LAYERS = ("waypoints", "routes", "tracks")
# Fields the LIBKML driver adds to every layer; dropped when they hold nothing but defaults.
KML_PRESENTATION_FIELDS = frozenset(
    {
        "id",
        "timestamp",
        "begin",
        "end",
        "altitudeMode",
        "tessellate",
        "extrude",
        "visibility",
        "drawOrder",
        "icon",
        "snippet",
    }
)
_KML_DEFAULTS = (None, "", -1, 0)
CURVED_TYPES = frozenset(
    {
        "CIRCULARSTRING",
        "COMPOUNDCURVE",
        "CURVEPOLYGON",
        "MULTICURVE",
        "MULTISURFACE",
        "CURVE",
        "SURFACE",
        "POLYHEDRALSURFACE",
        "TIN",
        "TRIANGLE",
    }
)
_CURVE_FORMATS = ("gpkg", "fgb")
_MEASURED_WARNING = "Measured (M) geometry types are not supported"


@dataclass
class Layer:
    """One layer held in memory: attributes, WKB geometries (None for attribute tables), CRS, notes."""

    name: str
    columns: Columns
    wkb: np.ndarray | None
    crs: str | None
    warnings: list[IngestMessage] = field(default_factory=list)


@dataclass
class LayerSource:
    """One layer of a file, read batch by batch when it is checked and written."""

    source: Path
    name: str
    filename: str
    crs: str | None
    has_geometry: bool
    warnings: list[IngestMessage] = field(default_factory=list)
    drop: frozenset[str] = frozenset()  # KML presentation fields that hold nothing but defaults
    title: str = ""  # the name of a single-layer file's only layer
    curved: bool = False  # holds curves, which GDAL's Arrow stream leaves as they are
    zones: bool = False  # date-times state their time zone value by value (GeoJSON): kept, in UTC

    def batches(self, *, batch_rows: int) -> Iterator[Batch]:
        try:
            batches = self._linearised(batch_rows) if self.curved else self._streamed(batch_rows)
            for batch in batches:
                if self.drop:
                    batch.columns = batch.columns.without(set(self.drop))
                yield batch
        except GDAL_ERRORS as exc:
            raise IngestError("corrupt_layer", filename=self.filename, layer=self.name) from exc

    def _streamed(self, batch_rows: int) -> Iterator[Batch]:
        with BatchReader(self.source, batch_rows=batch_rows, layer=self.name, zones=self.zones) as reader:
            yield from reader

    def _linearised(self, batch_rows: int) -> Iterator[Batch]:
        """pyogrio's plain read linearises curves; GeoPackage and FlatGeobuf (the formats that have
        curves) start a read at any row without reading those before, so slices cost little more."""
        start = 0
        while True:
            with quiet_gdal():
                meta, _fids, wkb, arrays = pyogrio.raw.read(
                    str(self.source), layer=self.name, skip_features=start, max_features=batch_rows
                )
            length = len(wkb)
            if not length:
                return
            yield Batch(columns_from_ogr(meta, arrays, length), wkb, start)
            start += length

    def columns(self, *, batch_rows: int) -> Columns:
        """All rows at once (layers without geometry become tables)."""
        return Columns.concat([batch.columns for batch in self.batches(batch_rows=batch_rows)])


def read_layers(
    path: Path, fmt: Format, *, filename: str, workdir: Path, limits: IngestLimits, archive: SafeZip | None
) -> tuple[list[LayerSource], list[IngestMessage]]:
    """Every non-empty layer of the file; empty ones are named in a warning. Only the first row of
    each is read here: the rows are read in batches as they are checked and written."""
    source, single_name = _source(path, fmt, filename=filename, workdir=workdir, archive=archive)
    try:
        with quiet_gdal():
            names = [str(name) for name in pyogrio.list_layers(str(source))[:, 0]]
    except GDAL_ERRORS as exc:
        if fmt.code == "geojson":
            _diagnose_json(path, filename=filename, limits=limits)
        raise IngestError("corrupt_file", filename=filename, format=fmt.label) from exc
    if fmt.code == "gpx":
        names = [name for name in names if name in GPX_LAYERS]
    layers, empty = [], []
    for name in names:
        layer = _open_layer(source, name, fmt, filename=filename, batch_rows=limits.batch_rows)
        if layer is not None:
            if single_name and len(names) == 1:
                layer.title = single_name
            layers.append(layer)
        else:
            empty.append(name)
    if not layers:
        raise IngestError("no_features", filename=filename)
    warnings = []
    if empty and fmt.code != "gpx":  # GPX files always declare all five layers
        warnings.append(
            IngestMessage("empty_layers_skipped", {"filename": filename, "names": ", ".join(empty)})
        )
    return layers, warnings


def _source(
    path: Path, fmt: Format, *, filename: str, workdir: Path, archive: SafeZip | None
) -> tuple[Path, str]:
    """The file GDAL reads, under a name of our choosing, and a layer name for single-layer formats."""
    stem = Path(filename).stem
    if fmt.code == "shapefile":
        assert archive is not None
        return extract_shapefile(archive, workdir=workdir)
    if fmt.code == "kmz":
        assert archive is not None
        return extract_kml(archive, workdir=workdir), ""
    if fmt.code in ("kml", "gpx"):
        check_xml(path, filename=filename, format_label=fmt.label)
    return linked(path, workdir / f"source{fmt.suffix}"), stem if fmt.code in ("geojson", "fgb") else ""


def _open_layer(
    source: Path, name: str, fmt: Format, *, filename: str, batch_rows: int
) -> LayerSource | None:
    """The layer's CRS, kind and notes from its first row; None when it has none."""
    try:
        with BatchReader(source, batch_rows=1, layer=name) as reader:
            first = next(iter(reader), None)
            meta, notes = reader.meta, reader.notes
    except GDAL_ERRORS as exc:
        raise IngestError("corrupt_layer", filename=filename, layer=name) from exc
    if first is None or not first.columns.length:
        return None
    has_geometry = first.wkb is not None
    warnings = []
    if any(_MEASURED_WARNING in note for note in notes):
        warnings.append(IngestMessage("m_dropped", {"filename": filename, "layer": name}))
    if fmt.code in _CURVE_FORMATS and has_geometry:
        curved = _curved_types(source, name)
        if curved:
            warnings.append(
                IngestMessage("curves_linearised", {"filename": filename, "layer": name, "types": curved})
            )
    layer = LayerSource(source, name, filename, meta.get("crs"), has_geometry, warnings)
    layer.curved = any(w.code == "curves_linearised" for w in warnings)
    layer.zones = fmt.code == "geojson"
    if fmt.code in ("kml", "kmz"):
        layer.drop = _unused_kml_fields(layer, first.columns, batch_rows=batch_rows)
    return layer


def _curved_types(source: Path, layer: str) -> list[str]:
    """Curve types in the layer (pyogrio reads them already linearised, so GDAL is asked by SQL)."""
    quoted = layer.replace('"', '""')
    try:
        with quiet_gdal():
            _meta, _fids, _geometry, fields = pyogrio.raw.read(
                str(source),
                # Read-only OGR SQL on the scratch copy; the layer name is quoted as an identifier.
                sql=f'SELECT DISTINCT OGR_GEOMETRY FROM "{quoted}"',  # noqa: S608
                sql_dialect="OGRSQL",
                read_geometry=False,
            )
    except GDAL_ERRORS:
        return []
    return sorted({str(t) for t in fields[0].tolist() if t} & CURVED_TYPES) if fields else []


def _unused_kml_fields(layer: LayerSource, first: Columns, *, batch_rows: int) -> frozenset[str]:
    """The presentation fields that hold nothing but defaults in the whole layer."""
    unused = {name for name in first.names if name in KML_PRESENTATION_FIELDS}
    for batch in layer.batches(batch_rows=batch_rows):
        columns = batch.columns
        for name in list(unused):
            array = columns.column(name)
            if array.dtype.kind == "M":
                still = np.isnat(array).all()
            else:
                still = all(v in _KML_DEFAULTS or v != v for v in array.tolist())
            if not still:
                unused.discard(name)
        if not unused:
            break
    return frozenset(unused)


def _diagnose_json(path: Path, *, filename: str, limits: IngestLimits) -> None:
    """GDAL only says it cannot read the file; Python's parser says where it breaks."""
    if path.stat().st_size > limits.max_json_diagnosis_bytes:
        return
    try:
        document = load_json(data=path.read_bytes(), filename=filename)
    except BoundaryError as exc:
        raise IngestError("invalid_json", **exc.params) from exc
    kind = document.get("type") if isinstance(document, dict) else None
    if kind not in ("FeatureCollection", "Feature", "Topology", *GEOMETRY_TYPES):
        raise IngestError("not_geojson", filename=filename)
