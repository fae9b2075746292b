"""Zip reading that refuses bombs, path tricks, nesting and encryption before touching content."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from landmosaic.core.geo.limits import MB, BoundaryLimits, megabytes
from landmosaic.core.geo.messages import BoundaryError

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
NESTED_SUFFIXES = (".zip", ".kmz", ".7z", ".rar", ".gz", ".tgz", ".tar", ".bz2", ".xz")
# Small members cannot be bombs, and tiny sidecar files (.cpg, .prj, blank .dbf) compress absurdly well.
RATIO_FLOOR_BYTES = 1 * MB
CHUNK_BYTES = 64 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError)


def is_zip(data: bytes) -> bool:
    return data[:4] in ZIP_MAGIC


def is_unsafe_name(name: str) -> bool:
    """True for absolute paths, drive letters, `..` components and NUL bytes."""
    if not name or "\x00" in name:
        return True
    normalised = name.replace("\\", "/")
    if normalised.startswith("/") or _DRIVE.match(normalised):
        return True
    return any(part == ".." for part in normalised.split("/"))


def is_ignorable(name: str) -> bool:
    """macOS resource forks that Finder adds to every zip it makes."""
    normalised = name.replace("\\", "/")
    return normalised.startswith("__MACOSX/") or normalised.rsplit("/", 1)[-1].startswith("._")


@dataclass
class SafeZip:
    """An opened archive whose directory passed the checks; reads are bounded as they happen."""

    archive: zipfile.ZipFile
    filename: str
    limits: BoundaryLimits
    members: list[zipfile.ZipInfo]
    remaining: int = field(init=False)

    def __post_init__(self) -> None:
        self.remaining = self.limits.max_uncompressed_bytes

    def _chunks(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        """Member content in chunks; stops as soon as the bytes produced exceed the size or ratio limits."""
        ratio_cap = max(RATIO_FLOOR_BYTES, int(info.compress_size * self.limits.max_compression_ratio))
        produced = 0
        try:
            with self.archive.open(info) as stream:
                while chunk := stream.read(CHUNK_BYTES):
                    produced += len(chunk)
                    if produced > self.remaining:
                        raise _too_large(self.filename, self.limits)
                    if produced > ratio_cap:
                        raise _ratio(self.filename, info.filename, self.limits)
                    yield chunk
        except _READ_ERRORS as exc:
            raise BoundaryError("corrupt_zip", filename=self.filename) from exc
        self.remaining -= produced

    def read(self, info: zipfile.ZipInfo) -> bytes:
        """Member content, bounded as it is produced; a member that is itself a zip is refused."""
        content = b"".join(self._chunks(info))
        if is_zip(content):
            raise BoundaryError("zip_nested", filename=self.filename, member=info.filename)
        return content

    def extract(self, info: zipfile.ZipInfo, target: Path) -> Path:
        """Member content written to ``target`` chunk by chunk, under the same bounds as ``read``,
        so a member is never held whole in memory. ``target`` is the caller's name, never the member's."""
        with target.open("wb") as handle:
            for number, chunk in enumerate(self._chunks(info)):
                if number == 0 and is_zip(chunk):
                    raise BoundaryError("zip_nested", filename=self.filename, member=info.filename)
                handle.write(chunk)
        return target


def open_zip(
    *, data: bytes | None = None, path: Path | None = None, filename: str, limits: BoundaryLimits
) -> SafeZip:
    """Open and vet the archive directory: member count, names, encryption, declared sizes. From
    ``data`` in memory, or from the file at ``path`` (only its directory is read here)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data) if data is not None else path)
        infos = archive.infolist()
    except (*_READ_ERRORS, ValueError) as exc:
        raise BoundaryError("corrupt_zip", filename=filename) from exc
    if len(infos) > limits.max_zip_members:
        raise BoundaryError(
            "zip_too_many_members", filename=filename, count=len(infos), limit=limits.max_zip_members
        )
    members = []
    for info in infos:
        _check_member(info, filename=filename, limits=limits)
        if not info.is_dir() and not is_ignorable(info.filename):
            members.append(info)
    if sum(info.file_size for info in infos) > limits.max_uncompressed_bytes:
        raise _too_large(filename, limits)
    return SafeZip(archive=archive, filename=filename, limits=limits, members=members)


def _check_member(info: zipfile.ZipInfo, *, filename: str, limits: BoundaryLimits) -> None:
    name = info.filename
    if is_unsafe_name(name) or is_unsafe_name(getattr(info, "orig_filename", name)):
        raise BoundaryError("zip_unsafe_path", filename=filename, member=name[:200])
    if info.flag_bits & 0x1:
        raise BoundaryError("zip_encrypted", filename=filename, member=name)
    if name.lower().endswith(NESTED_SUFFIXES):
        raise BoundaryError("zip_nested", filename=filename, member=name)
    if (
        info.file_size > RATIO_FLOOR_BYTES
        and info.file_size > info.compress_size * limits.max_compression_ratio
    ):
        raise _ratio(filename, name, limits)


def _too_large(filename: str, limits: BoundaryLimits) -> BoundaryError:
    return BoundaryError(
        "zip_too_large", filename=filename, limit_mb=megabytes(limits.max_uncompressed_bytes)
    )


def _ratio(filename: str, member: str, limits: BoundaryLimits) -> BoundaryError:
    return BoundaryError(
        "zip_compression_ratio", filename=filename, member=member, limit=f"{limits.max_compression_ratio:g}"
    )
