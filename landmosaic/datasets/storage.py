"""Dataset files in Django's default storage (a local folder, or S3-compatible object storage).

Every version lives under ``datasets/<random hex>/``: nothing in a name can be guessed from a
dataset's id or title, and nothing is ever served from a storage URL; downloads stream through
permission-checked views. GDAL needs local files, so readers ask for ``local_copy``.
"""

from __future__ import annotations

import hashlib
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.core.files import File
from django.core.files.storage import default_storage
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
