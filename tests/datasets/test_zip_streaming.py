"""Zipped shapefiles and KMZ are read from the stored file and extracted member by member: no member
is ever held whole in memory, and the bomb, size, nesting and traversal guards still hold."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import numpy as np
import pytest
import shapely

from landmosaic.core.geo.limits import MB, BoundaryLimits
from landmosaic.core.geo.messages import BoundaryError
from landmosaic.core.geo.safezip import SafeZip, open_zip
from tests.datasets.builders import ingest, kml_bytes, placemark, refused, zip_bytes, zipped_shapefile


def noise(size: int, seed: int) -> bytes:
    return np.random.default_rng(seed).bytes(size)


def archive_file(tmp_path, members: dict[str, bytes], *, method: int = zipfile.ZIP_DEFLATED):
    path = tmp_path / "upload.zip"
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_a_large_member_is_extracted_without_holding_it_in_memory(tmp_path):
    path = archive_file(tmp_path, {"big.bin": noise(24 * MB, seed=1)}, method=zipfile.ZIP_STORED)
    safe = open_zip(path=path, filename="big.zip", limits=BoundaryLimits(max_uncompressed_bytes=64 * MB))
    tracemalloc.start()
    try:
        target = safe.extract(safe.members[0], tmp_path / "out.bin")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert target.stat().st_size == 24 * MB
    assert peak < 2 * MB, f"peak Python allocation {peak / MB:.1f} MB while extracting 24 MB"
    safe.archive.close()


def test_extraction_enforces_the_ratio_even_if_the_directory_check_was_passed(tmp_path):
    path = archive_file(tmp_path, {"doc.kml": b"\x00" * (3 * MB)})
    archive = zipfile.ZipFile(path)
    safe = SafeZip(archive=archive, filename="a.kmz", limits=BoundaryLimits(), members=archive.infolist())
    with pytest.raises(BoundaryError) as info:
        safe.extract(archive.infolist()[0], tmp_path / "doc.kml")
    assert info.value.code == "zip_compression_ratio"
    assert (tmp_path / "doc.kml").stat().st_size <= 3 * MB  # stopped at the cap, not written whole
    archive.close()


def test_extraction_enforces_the_total_budget(tmp_path):
    path = archive_file(tmp_path, {"a.bin": noise(MB, seed=1), "b.bin": noise(MB, seed=2)})
    safe = open_zip(path=path, filename="a.zip", limits=BoundaryLimits(max_uncompressed_bytes=3 * MB))
    safe.extract(safe.members[0], tmp_path / "a.bin")
    safe.remaining = MB // 2  # as if the directory had under-declared the first member
    with pytest.raises(BoundaryError) as info:
        safe.extract(safe.members[1], tmp_path / "b.bin")
    assert info.value.code == "zip_too_large"
    safe.archive.close()


def test_a_zip_hidden_inside_a_kmz_is_refused_when_extracted(tmp_path):
    inner = zip_bytes({"doc.kml": kml_bytes(placemark("W", "<Point><coordinates>1,2</coordinates></Point>"))})
    refused(tmp_path, zip_bytes({"doc.kml": inner}), "area.kmz", "zip_nested")


def test_paths_escaping_the_archive_never_reach_the_disk(tmp_path):
    members = {"doc.kml": kml_bytes(""), "../../escape.kml": b"<kml/>"}
    refused(tmp_path, zip_bytes(members), "trick.kmz", "zip_unsafe_path")
    assert not list(tmp_path.parent.glob("escape.kml")) and not list(tmp_path.rglob("escape.kml"))


def test_a_large_zipped_shapefile_and_kmz_still_ingest(tmp_path):
    squares = [shapely.box(i * 0.01, 0, i * 0.01 + 0.005, 0.005) for i in range(2000)]
    result = ingest(tmp_path, zipped_shapefile(squares, stem="plots"), "plots.zip")
    assert [(p.kind, p.geometry_type) for p in result.parts] == [("vector", "Polygon")]
    kml = kml_bytes("".join(placemark(f"P{i}", f"<Point><coordinates>{i % 180},1</coordinates></Point>")
                            for i in range(500)))  # fmt: skip
    kmz = io.BytesIO()
    with zipfile.ZipFile(kmz, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("doc.kml", kml)
    [part] = ingest(tmp_path, kmz.getvalue(), "points.kmz").parts
    assert part.geometry_type == "Point"
