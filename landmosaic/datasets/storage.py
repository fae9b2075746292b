"""Dataset files in Django's default storage (a local folder, or S3-compatible object storage).

Every version lives under ``datasets/<random hex>/``: nothing in a name can be guessed from a
dataset's id or title, and nothing is ever served from a storage URL; downloads stream through
permission-checked views. GDAL needs local files, so readers ask for ``local_copy``.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils.http import content_disposition_header
from django.utils.text import get_valid_filename

from .ingest.sniff import display_name

ROOT = "datasets"


@dataclass(frozen=True)
class StoredUpload:
    path: str
    filename: str
    sha256: str
    size: int


def new_prefix() -> str:
    return f"{ROOT}/{secrets.token_hex(16)}"


def safe_filename(filename: str) -> str:
    """A storage-safe version of the name the user gave (the original name is kept in the database)."""
    name = display_name(filename)
    suffix = PurePosixPath(name).suffix[:12]
    stem = get_valid_filename(PurePosixPath(name).stem)[:80] if PurePosixPath(name).stem else "file"
    return f"{stem or 'file'}{suffix}"


def save_upload(upload: Any, *, prefix: str) -> StoredUpload:
    """Hash the upload while reading it in chunks, then store it byte for byte."""
    digest = hashlib.sha256()
    size = 0
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    filename = display_name(getattr(upload, "name", "") or "file")
    path = default_storage.save(f"{prefix}/original/{safe_filename(filename)}", upload)
    return StoredUpload(path=path, filename=filename, sha256=digest.hexdigest(), size=size)


def upload_prefix(original_path: str) -> str:
    """The folder an upload was stored in (its first dataset's version folder)."""
    return original_path.rsplit("/original/", 1)[0]


def save_file(local: Path, *, name: str) -> str:
    with local.open("rb") as handle:
        return default_storage.save(name, File(handle, name=PurePosixPath(name).name))


def exists(name: str) -> bool:
    return bool(name) and default_storage.exists(name)


def open_file(name: str) -> File:
    return default_storage.open(name, "rb")


def size(name: str) -> int:
    return default_storage.size(name)


@contextmanager
def local_copy(name: str) -> Iterator[Path]:
    """A local path to a stored file: the file itself on local storage, else a temporary download."""
    try:
        path = Path(default_storage.path(name))
    except NotImplementedError:
        path = None
    if path is not None:
        yield path
        return
    suffix = PurePosixPath(name).suffix
    with tempfile.TemporaryDirectory(prefix="landmosaic-copy-") as folder:
        target = Path(folder) / f"copy{suffix}"
        with default_storage.open(name, "rb") as source, target.open("wb") as handle:
            shutil.copyfileobj(source, handle, length=1 << 20)
        yield target


# --- A local read cache of immutable version files ----------------------------------------------

#: A cached file read this recently is never evicted: a reader may be about to open it.
CACHE_GRACE_SECONDS = 120


def _cache_dir() -> Path | None:
    folder = settings.DATASET_READ_CACHE_DIR
    return Path(folder) if folder else None


@contextmanager
def version_file(name: str) -> Iterator[Path]:
    """A local path to a version's normalised file, for readers (OGC pages, previews, map data).

    Version files never change once written (their names are random and never reused), so with
    ``DATASET_READ_CACHE_DIR`` set (the default with object storage) a file is downloaded once and
    read from the local cache afterwards, instead of once per request. Without a cache: ``local_copy``.
    """
    folder = _cache_dir()
    if folder is None:
        with local_copy(name) as path:
            yield path
        return
    target = folder / f"{hashlib.sha256(name.encode()).hexdigest()}{PurePosixPath(name).suffix}"
    if target.exists():
        os.utime(target)  # recently used: kept by eviction
    else:
        _fill(name, target)
    yield target


def _fill(name: str, target: Path) -> None:
    """Download into the cache under a temporary name, then rename: readers never see half a file,
    and two workers filling the same file at once both end with a complete one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=target.parent, prefix=".partial-")
    try:
        with default_storage.open(name, "rb") as source, os.fdopen(handle, "wb") as out:
            shutil.copyfileobj(source, out, length=1 << 20)
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    evict(target.parent, keep_bytes=settings.DATASET_READ_CACHE_MAX_BYTES)


def evict(folder: Path, *, keep_bytes: int) -> list[Path]:
    """Remove the least recently used cached files until the cache holds at most ``keep_bytes``
    (files used in the last ``CACHE_GRACE_SECONDS`` stay). Returns what was removed."""
    entries = []
    for path in folder.iterdir():
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue  # evicted meanwhile by another worker
        if path.is_file() and not path.name.startswith(".partial-"):
            entries.append((stat.st_mtime, stat.st_size, path))
    total = sum(size for _mtime, size, _path in entries)
    removed = []
    recent = time.time() - CACHE_GRACE_SECONDS
    for mtime, size, path in sorted(entries, key=lambda entry: entry[0]):
        if total <= keep_bytes or mtime > recent:
            break
        path.unlink(missing_ok=True)
        total -= size
        removed.append(path)
    return removed


def presigned_url(name: str, *, filename: str, content_type: str) -> str:
    """A short-lived signed address of a stored file on object storage, for downloads the caller
    was just allowed (the server then need not relay the bytes); "" where storage cannot sign."""
    seconds = settings.DATASET_PRESIGNED_DOWNLOAD_SECONDS
    if not seconds or not getattr(default_storage, "querystring_auth", False):
        return ""
    parameters = {
        # As Django's own file responses write it: ASCII names quoted, others as RFC 6266 UTF-8
        # (the store echoes the value as a header, where raw UTF-8 reaches browsers as mojibake).
        "ResponseContentDisposition": content_disposition_header(as_attachment=True, filename=filename),
        "ResponseContentType": content_type,
        "ResponseCacheControl": "private, no-store",
    }
    return default_storage.url(name, parameters=parameters, expire=seconds)


def delete(name: str) -> None:
    if name and default_storage.exists(name):
        default_storage.delete(name)


def delete_tree(prefix: str) -> None:
    """Delete every file under ``prefix`` (folders vanish with their files on both backends)."""
    if not prefix.startswith(f"{ROOT}/"):
        raise ValueError(f"refusing to delete outside {ROOT}/: {prefix!r}")
    try:
        folders, files = default_storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in files:
        default_storage.delete(f"{prefix}/{name}")
    for folder in folders:
        delete_tree(f"{prefix}/{folder}")
    _remove_empty_folder(prefix)


def _remove_empty_folder(prefix: str) -> None:
    try:
        folder = Path(default_storage.path(prefix))
    except NotImplementedError:
        return  # object storage has no folders to leave behind
    if folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
