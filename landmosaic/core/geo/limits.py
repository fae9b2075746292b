"""Upper bounds that keep a hostile or oversized upload from exhausting the server."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True, kw_only=True)
class BoundaryLimits:
    """Limits applied while parsing; the Django layer fills them from settings."""

    max_bytes: int = 50 * MB
    max_vertices: int = 500_000
    max_uncompressed_bytes: int = 200 * MB
    max_compression_ratio: float = 100.0
    max_zip_members: int = 50
