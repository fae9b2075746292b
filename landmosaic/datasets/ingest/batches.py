"""Layers read in batches of rows through pyogrio's Arrow stream: one open of the source, a bounded
number of rows in memory at a time, whatever the size of the layer.

Each batch comes as ``Columns`` with the values ``pyogrio.raw.read`` would give (integers and
booleans with nulls as floats with NaN, dates as ``datetime64``), so every check and writer works
on a batch exactly as on a whole layer. Date-times with a time zone come in UTC.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyogrio.raw

from .columns import Columns, columns_from_ogr
from .workspace import quiet_gdal

#: Rows read, checked and written at a time. A batch takes about 15 times its rows' size on the way
#: through (Arrow, NumPy, shapely, Arrow again, GDAL's features): 20,000 rows of a ten-column CSV
#: peak at about +100 MiB, 100,000 at +290 MiB, and are no faster (bench/ingest.py).
DEFAULT_BATCH_ROWS = 20_000


@dataclass
class Batch:
    """Rows ``start`` to ``start + columns.length`` of a layer (0-based)."""

    columns: Columns
    wkb: np.ndarray | None
    start: int


def _zoned(kind: pa.DataType) -> bool:
    return pa.types.is_timestamp(kind) and kind.tz is not None


def _numpy(array: pa.ChunkedArray | pa.Array) -> np.ndarray:
    kind = array.type
    if pa.types.is_boolean(kind) and array.null_count:
        # pyogrio gives booleans with nulls as 1.0/0.0/NaN floats; so do we.
        return np.asarray(array.cast(pa.float64()).to_numpy(zero_copy_only=False), dtype=np.float64)
    if pa.types.is_timestamp(kind) and kind.tz is not None:
        array = array.cast(pa.timestamp(kind.unit))  # to UTC
    if pa.types.is_date(kind):
        return array.to_numpy(zero_copy_only=False).astype("datetime64[D]")
    if isinstance(kind, pa.ExtensionType):
        array = array.storage
    values = array.to_numpy(zero_copy_only=False)
    if values.dtype.kind in "OU" or pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return np.asarray(values, dtype=object)
    return values


class BatchReader:
    """``with BatchReader(path, batch_rows=…) as reader``: ``reader.meta`` as ``pyogrio.raw.read`` gives
    it, then ``for batch in reader``. GDAL's warnings (e.g. dropped M values) collect in ``notes``."""

    def __init__(
        self,
        source: Path,
        *,
        batch_rows: int,
        layer: str | None = None,
        read_geometry: bool = True,
        zones: bool = False,
        **options: Any,
    ) -> None:
        #: Date-time fields GDAL gives with a time zone are known moments: marked UTC (``Columns.utc``).
        #: Only for sources that state zones value by value (GDAL reads every GeoPackage DATETIME as UTC,
        #: "Z" or not).
        self.zones = zones
        self._open = pyogrio.raw.open_arrow(
            str(source),
            batch_size=batch_rows,
            read_geometry=read_geometry,
            use_pyarrow=True,
            **({"layer": layer} if layer is not None else {}),
            **options,
        )
        self.meta: dict[str, Any] = {}
        self.notes: list[str] = []
        self._reader: pa.RecordBatchReader | None = None

    def __enter__(self) -> BatchReader:
        with quiet_gdal() as notes:
            self.meta, self._reader = self._open.__enter__()
        self.notes.extend(notes)
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._open.__exit__(*exc_info)

    def __iter__(self) -> Iterator[Batch]:
        assert self._reader is not None, "use BatchReader in a with block"
        fields = [str(name) for name in self.meta["fields"]]
        start = 0
        while True:
            # Each pull alone is watched for warnings: the caller's code runs between pulls.
            with quiet_gdal() as notes:
                try:
                    record = self._reader.read_next_batch()
                except StopIteration:
                    return
            self.notes.extend(notes)
            names = record.schema.names
            arrays = [_numpy(record.column(names.index(name))) for name in fields]
            extra = [name for name in names if name not in fields]
            wkb = _numpy(record.column(extra[0])) if extra else None
            columns = columns_from_ogr(self.meta, arrays, record.num_rows)
            if self.zones:
                columns.utc = frozenset(name for name in fields if _zoned(record.schema.field(name).type))
            yield Batch(columns=columns, wkb=wkb, start=start)
            start += record.num_rows
