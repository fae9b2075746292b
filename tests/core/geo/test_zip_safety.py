"""Hostile and broken zip archives: bombs, path tricks, nesting, encryption, truncation."""

from __future__ import annotations

import random
import struct
import zipfile

import pytest
import shapely

from landmosaic.core.geo import BoundaryError, BoundaryLimits
from landmosaic.core.geo.limits import MB
from landmosaic.core.geo.safezip import SafeZip, is_unsafe_name, open_zip

from .builders import kml, kml_polygon, patch_zip_header, shapefile_parts, square, zip_bytes, zipped_shapefile

KML = kml(kml_polygon(square()))


def noise(size: int, seed: int = 20) -> bytes:
    """Incompressible bytes, the same on every run and whatever the test order."""
    return random.Random(seed).randbytes(size)


def test_truncated_zip(refused):
    data = zipped_shapefile([shapely.Polygon(square())])
    refused("corrupt_zip", data[: len(data) // 2], "boundary.zip")


def test_random_bytes_named_zip(refused):
    refused("corrupt_zip", noise(2000), "boundary.zip")
    refused("corrupt_zip", b"PK\x03\x04" + noise(2000), "boundary.kmz")


def test_flipped_bytes_in_compressed_data(refused):
    data = bytearray(zip_bytes({"doc.kml": KML * 20}))
    middle = 30 + len("doc.kml") + 20
    data[middle : middle + 8] = b"\xff" * 8
    refused("corrupt_zip", bytes(data), "area.kmz")


@pytest.mark.parametrize(
    "name",
    [
        "../evil.kml",
        "/etc/doc.kml",
        "C:/Windows/doc.kml",
        "d:doc.kml",
        "a/../../doc.kml",
        "a\\..\\..\\doc.kml",
    ],
)
def test_members_escaping_the_archive(refused, name):
    members = {"doc.kml": KML, name: KML}
    error = refused("zip_unsafe_path", zip_bytes(members), "area.kmz")
    assert error.params["member"] == name


def test_unsafe_names():
    assert is_unsafe_name("a\x00b.kml")
    assert is_unsafe_name("")
    assert not is_unsafe_name("folder/sub/doc.kml")
    assert not is_unsafe_name("..hidden/doc..kml")


def test_too_many_members(refused):
    members = {f"file{i}.txt": b"x" for i in range(51)}
    error = refused("zip_too_many_members", zip_bytes(members), "many.zip")
    assert error.params == {"filename": "many.zip", "count": 51, "limit": 50}


@pytest.mark.parametrize("inner", ["layer.zip", "data/area.KMZ", "x.tar.gz"])
def test_nested_archive_by_name(refused, inner):
    refused("zip_nested", zip_bytes({"doc.kml": KML, inner: b"PK\x05\x06" + b"\x00" * 18}), "a.zip")


def test_nested_archive_hidden_under_another_name(refused):
    inner = zip_bytes({"doc.kml": KML})
    error = refused("zip_nested", zip_bytes({"doc.kml": inner}), "area.kmz")
    assert error.params["member"] == "doc.kml"


def test_encrypted_member(refused):
    data = patch_zip_header(zip_bytes({"doc.kml": KML}), local_offset=6, central_offset=8, value=b"\x01\x00")
    refused("zip_encrypted", data, "secret.kmz")


def test_compression_bomb_is_caught_from_the_directory(refused):
    bomb = zip_bytes({"doc.kml": b"\x00" * (20 * MB)})
    assert len(bomb) < 100_000
    error = refused("zip_compression_ratio", bomb, "bomb.kmz")
    assert error.params["member"] == "doc.kml"
    assert "zip bomb" in error.message


def test_total_uncompressed_size_is_limited(refused):
    members = {f"noise{i}.bin": noise(MB, seed=i) for i in range(3)}  # incompressible: ratio is fine
    refused("zip_too_large", zip_bytes(members), "big.zip", max_uncompressed_bytes=2 * MB)


def test_lying_sizes_cannot_inflate_beyond_what_they_declare(refused):
    # The directory claims 1 000 bytes for 20 MB of zeros: reading stops there and the CRC fails.
    bomb = zip_bytes({"doc.kml": b"\x00" * (20 * MB)})
    lying = patch_zip_header(bomb, local_offset=22, central_offset=24, value=struct.pack("<I", 1000))
    refused("corrupt_zip", lying, "bomb.kmz")


def test_reading_enforces_the_ratio_even_if_the_directory_check_was_passed():
    data = zip_bytes({"doc.kml": b"\x00" * (3 * MB)})
    archive = zipfile.ZipFile(__import__("io").BytesIO(data))
    safe = SafeZip(archive=archive, filename="a.kmz", limits=BoundaryLimits(), members=archive.infolist())
    with pytest.raises(BoundaryError) as info:
        safe.read(archive.infolist()[0])
    assert info.value.code == "zip_compression_ratio"


def test_reading_enforces_the_total_budget():
    data = zip_bytes({"a.bin": noise(MB, seed=1), "b.bin": noise(MB, seed=2)})
    safe = open_zip(data=data, filename="a.zip", limits=BoundaryLimits(max_uncompressed_bytes=3 * MB))
    safe.read(safe.members[0])
    safe.remaining = MB // 2  # as if the directory had under-declared the first member
    with pytest.raises(BoundaryError) as info:
        safe.read(safe.members[1])
    assert info.value.code == "zip_too_large"


def test_small_sidecar_files_may_compress_very_well():
    parts = shapefile_parts([shapely.Polygon(square())])
    parts["boundary.cpg"] = b" " * 100_000  # far above the ratio, but far below the floor for bombs
    assert zip_bytes(parts) and open_zip(data=zip_bytes(parts), filename="a.zip", limits=BoundaryLimits())


def test_directories_in_the_archive_are_fine():
    data = zip_bytes({"folder/": b"", "folder/doc.kml": KML})
    assert [
        info.filename for info in open_zip(data=data, filename="a.kmz", limits=BoundaryLimits()).members
    ] == ["folder/doc.kml"]
