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


def megabytes(size: int) -> str:
    """Size for messages: "50", "2.5", and never "0" for a small but non-zero limit."""
    value = size / MB
    if value >= 1:
        return f"{value:.1f}".removesuffix(".0")
    return f"{max(value, 0.01):.2f}"
