"""Private files of field data: safe names, hashes, and no orphans when a write is rolled back."""

from __future__ import annotations

import hashlib
import io
import mimetypes
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction

CHUNK = 1024 * 1024
_UNSAFE = re.compile(r"[^A-Za-z0-9 ._()+-]")
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
#: Types a browser may show inline; everything else (SVG, HTML…) is sent as a download.
INLINE_TYPES = frozenset(
    {
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/webp",
        "audio/mpeg",
        "audio/mp4",
        "audio/ogg",
        "audio/amr",
        "audio/3gpp",
        "video/mp4",
        "video/3gpp",
        "video/webm",
    }
)


def safe_filename(name: str) -> str:
    """The base name of an uploaded file with only harmless characters; "" if nothing usable remains."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    base = _UNSAFE.sub("_", base).strip(" .")
    return base[:200]


def content_type_for(name: str) -> str:
    """From the file name, never from what the client claims."""
    guessed, _encoding = mimetypes.guess_type(name)
    return guessed or "application/octet-stream"


def hashes(uploaded: Any, *, md5: bool = True) -> tuple[str, str, int]:
    """(sha256, md5, size) of an uploaded file, read in chunks; the file is rewound afterwards.

    OpenRosa manifests need md5; attachments only sha256, so they skip it (``md5=False`` gives "").
    """
    sha256 = hashlib.sha256()
    md5_hash = hashlib.md5(usedforsecurity=False) if md5 else None
    raw = getattr(uploaded, "file", uploaded)
    if isinstance(raw, io.BytesIO):
        # An upload held in memory is hashed in place, without copying it out chunk by chunk.
        with raw.getbuffer() as view:
            sha256.update(view)
            if md5_hash is not None:
                md5_hash.update(view)
            size = view.nbytes
    else:
        size = 0
        uploaded.seek(0)
        for chunk in (
            uploaded.chunks(CHUNK) if hasattr(uploaded, "chunks") else iter(lambda: uploaded.read(CHUNK), b"")
        ):
            sha256.update(chunk)
            if md5_hash is not None:
                md5_hash.update(chunk)
            size += len(chunk)
    uploaded.seek(0)
    return sha256.hexdigest(), md5_hash.hexdigest() if md5_hash is not None else "", size


@contextmanager
def removed_on_error() -> Iterator[list[str]]:
    """Collect storage names written inside a transaction; delete them if it fails or rolls back."""
    written: list[str] = []
    try:
        yield written
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise


def delete_on_commit(name: str) -> None:
    """Remove a replaced file only once the database no longer points to it."""
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))
