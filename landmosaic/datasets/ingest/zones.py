"""The time zones a CSV's date-time cells state, which GDAL's CSV reader drops.

GDAL reads "2024-05-01T09:00:00+03:00" as 09:00 with no zone: the local clock, not the moment. The
cells' text tells the offset; subtracting it from GDAL's value gives the moment in UTC.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

#: A zone after a time (":MM" or ":SS[.fff]" first, so that a date's "-01" is never read as an offset):
#: "Z", "+03:00", "+0300" or "+03".
_ZONE = r":\d{2}(?:[.,]\d+)?\s*(?:(?P<z>[Zz])|(?P<sign>[+-])(?P<h>\d{2}):?(?P<m>\d{2})?)\s*$"


def stated_offsets(texts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Of cells as text (None for empty): which state a zone, and its offset east of UTC in minutes
    (0 where none is stated)."""
    parts = pc.extract_regex(pa.array(texts, type=pa.string(), from_pandas=True), _ZONE)
    stated = np.asarray(parts.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    if not stated.any():
        return stated, np.zeros(len(texts), dtype=np.int64)

    def number(name: str) -> np.ndarray:
        digits = pc.if_else(pc.equal(parts.field(name), ""), "0", parts.field(name))
        return np.asarray(pc.fill_null(digits, "0").cast(pa.int64()).to_numpy(zero_copy_only=False))

    sign = np.where(
        np.asarray(pc.fill_null(parts.field("sign"), "").to_numpy(zero_copy_only=False)) == "-", -1, 1
    )
    return stated, sign * (number("h") * 60 + number("m"))


def to_utc(values: np.ndarray, stated: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """GDAL's local clock values, those that stated a zone moved to UTC."""
    if not stated.any():
        return values
    moved = values.copy()
    moved[stated] = values[stated] - offsets[stated].astype("timedelta64[m]")
    return moved
