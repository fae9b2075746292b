"""Upper bounds that keep a hostile or oversized upload from exhausting the worker."""

from __future__ import annotations

from dataclasses import dataclass

from landmosaic.core.geo.limits import MB, BoundaryLimits

from .batches import DEFAULT_BATCH_ROWS


@dataclass(frozen=True, kw_only=True)
class IngestLimits:
    """Filled from settings by the Django layer; the defaults suit tests and scripts."""

    max_bytes: int = 500 * MB
    max_uncompressed_bytes: int = 2048 * MB
    max_compression_ratio: float = 100.0
    max_zip_members: int = 1000
    # Broken JSON is parsed again in Python to say where it breaks; only up to this size.
    max_json_diagnosis_bytes: int = 50 * MB
    # Rasters: width × height of one band; above it statistics and the COG copy would take too long.
    max_raster_pixels: int = 500_000_000
    # Rows of a vector layer or CSV read, checked and written at a time: bounds the memory an
    # ingest takes, whatever the file's size (see ``batches.DEFAULT_BATCH_ROWS``).
    batch_rows: int = DEFAULT_BATCH_ROWS

    def zip_limits(self) -> BoundaryLimits:
        """The same bounds in the shape the shared zip safety checks take."""
        return BoundaryLimits(
            max_bytes=self.max_bytes,
            max_uncompressed_bytes=self.max_uncompressed_bytes,
            max_compression_ratio=self.max_compression_ratio,
            max_zip_members=self.max_zip_members,
        )
