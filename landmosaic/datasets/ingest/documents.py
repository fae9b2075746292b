"""Documents (and TIFFs without a CRS): kept as they are, with what can be read from them cheaply."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, UnidentifiedImageError

from .normalise import Part
from .sniff import Format


def document_part(path: Path, fmt: Format, *, title: str) -> Part:
    """A document or image: its media type, and the size in pixels of an image."""
    details: dict = {"media_type": fmt.media_type, "format": fmt.label}
    if fmt.media_type.startswith("image/"):
        try:
            with Image.open(path) as image:
                details["width"], details["height"] = image.size
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError):
            pass  # the file is kept as it is; only its size in pixels stays unknown
    return Part(kind="document", base_title=title, details=details)
