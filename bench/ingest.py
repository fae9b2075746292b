"""Ingest benchmark: a 1,000,000-row CSV with coordinates and 10 columns, from upload to previewable.

End to end through the service and the job, as the worker runs it: the upload is hashed and stored,
the job sniffs, reads, checks and writes the GeoPackage with its spatial index, and the dataset
page's preview (first rows and map features) is read back. Anchor, measured in the same run on the
same file: a bare pyogrio CSV -> GeoPackage conversion (read with X/Y columns, write).

    python bench/ingest.py              # 1,000,000 rows
    python bench/ingest.py --rows 20000 # smoke size, for CI
    python bench/ingest.py --zip-mb 300 # peak memory of unpacking a 300 MB zipped shapefile
The ingest job's peak resident memory is measured too (Linux: /proc/self/status VmHWM, reset
before the job), as growth over the process's memory before the job.
Budget (DESIGN.md §5): < 60 s on 2 cores. Reference: CKAN XLoader 206 s for a similar file.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
if "DATABASE_URL" not in os.environ:
    os.environ["LANDMOSAIC_VAR_DIR"] = tempfile.mkdtemp(prefix="landmosaic-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "landmosaic.config.settings.local")
os.environ["DEBUG"] = "false"
os.environ["LOG_LEVEL"] = "WARNING"

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
import pyogrio.raw  # noqa: E402
import shapely  # noqa: E402
from django.core.files import File  # noqa: E402
from django.core.management import call_command  # noqa: E402

from landmosaic.accounts.models import User  # noqa: E402
from landmosaic.core.jobs import job_run  # noqa: E402
from landmosaic.datasets import selectors, services  # noqa: E402
from landmosaic.datasets.ingest import ingest_file  # noqa: E402
from landmosaic.datasets.ingest.archives import extract_shapefile, open_archive  # noqa: E402
from landmosaic.datasets.models import Dataset  # noqa: E402
from landmosaic.datasets.services.uploads import ingest_limits  # noqa: E402
from landmosaic.landscapes.models import Landscape, Membership  # noqa: E402

BUDGET_S = 60.0
CKAN_XLOADER_S = 206.0
SPECIES = np.array(["acacia", "baobab", "mango", "teak", "neem", "miombo", "cashew"])


def generate(path: Path, rows: int) -> None:
    """Ten columns: id, latitude, longitude, site, species, count, height_m, observed, observer, notes."""
    rng = np.random.default_rng(2024)
    chunk = 100_000
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("id,latitude,longitude,site,species,count,height_m,observed,observer,notes\r\n")
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            ids = np.arange(start, start + n)
            lat = rng.uniform(-9.0, -7.0, n)
            lon = rng.uniform(35.0, 37.0, n)
            count = rng.integers(0, 40, n)
            height = rng.uniform(0.2, 30.0, n)
            month, day = rng.integers(1, 13, n), rng.integers(1, 29, n)
            species = SPECIES[rng.integers(0, len(SPECIES), n)]
            lines = [
                f"{i},{la:.6f},{lo:.6f},S{i % 5000},{sp},{c},{h:.1f},2023-{m:02d}-{d:02d},person {i % 50},"
                f"{'checked' if i % 3 else ''}\r\n"
                for i, la, lo, sp, c, h, m, d in zip(
                    ids.tolist(),
                    lat.tolist(),
                    lon.tolist(),
                    species.tolist(),
                    count.tolist(),
                    height.tolist(),
                    month.tolist(),
                    day.tolist(),
                    strict=True,
                )
            ]
            handle.writelines(lines)


def bare_pyogrio(source: Path, target: Path) -> float:
    start = time.perf_counter()
    meta, _fids, geometry, fields = pyogrio.raw.read(
        str(source), X_POSSIBLE_NAMES="longitude", Y_POSSIBLE_NAMES="latitude", AUTODETECT_TYPE="YES"
    )
    pyogrio.raw.write(
        str(target),
        geometry,
        fields,
        fields=meta["fields"],
        geometry_type="Point",
        crs="EPSG:4326",
        driver="GPKG",
    )
    return time.perf_counter() - start


def zipped_points(path: Path, target_mb: int) -> None:
    """A zipped shapefile of points whose attribute table (a 200-character text column) weighs
    about ``target_mb``; stored without compression so the zip is as large as its members."""
    rows = target_mb * 1_000_000 // 215
    rng = np.random.default_rng(7)
    folder = path.parent / "shp"
    folder.mkdir()
    letters = np.frombuffer(b"abcdefghijklmnopqrstuvwxyz ", dtype="S1")
    notes = rng.choice(letters, size=(rows, 200)).view("S200").ravel().astype(object)
    points = shapely.points(rng.uniform(35, 37, rows), rng.uniform(-9, -7, rows))
    pyogrio.raw.write(str(folder / "plots.shp"), shapely.to_wkb(points),
                      [np.array([n.decode() for n in notes], dtype=object)], fields=["notes"],
                      geometry_type="Point", crs="EPSG:4326", driver="ESRI Shapefile")  # fmt: skip
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for part in sorted(folder.iterdir()):
            archive.write(part, part.name)


def _peak_kb(mode: str, path: Path, workdir: Path) -> int:
    """How much a fresh interpreter's resident memory grew (KiB, at its peak) doing one ``mode``."""
    result = subprocess.run(
        [sys.executable, __file__, "--zip-child", mode, str(path), str(workdir)],
        capture_output=True, text=True,
    )  # fmt: skip
    if result.returncode:
        raise SystemExit(f"{mode} failed:\n{result.stderr[-3000:]}")
    return int(result.stdout.strip().splitlines()[-1])


def _unpack_streamed(path: Path, workdir: Path) -> None:
    _format, archive = open_archive(path, filename=path.name, limits=ingest_limits())
    extract_shapefile(archive, workdir=workdir)
    archive.archive.close()


def _unpack_in_memory(path: Path, workdir: Path) -> None:
    """The previous way, as the anchor: the whole zip read into memory, each member read whole."""
    archive = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    for info in archive.infolist():
        (workdir / f"memory-{info.filename}").write_bytes(archive.read(info))


def _ingest(path: Path, workdir: Path) -> None:
    ingest_file(path=path, filename=path.name, workdir=workdir, limits=ingest_limits())


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    raise SystemExit(f"no {field} in /proc/self/status (this measurement needs Linux)")


ZIP_WORK = {
    "streamed": lambda path, workdir: _unpack_streamed(path, workdir),
    "in memory": lambda path, workdir: _unpack_in_memory(path, workdir),
    "ingest": lambda path, workdir: _ingest(path, workdir),
}


def zip_memory(target_mb: int) -> None:
    with tempfile.TemporaryDirectory(prefix="landmosaic-bench-zip-") as folder:
        path = Path(folder) / "plots.zip"
        generate_started = time.perf_counter()
        zipped_points(path, target_mb)
        zip_mb = path.stat().st_size / 2**20
        print(
            f"generated a zipped shapefile of {zip_mb:.0f} MiB "
            f"in {time.perf_counter() - generate_started:.1f} s"
        )
        runs = {}
        for name in ("streamed", "in memory", "ingest"):
            workdir = Path(folder) / name.replace(" ", "-")
            workdir.mkdir()
            runs[name] = _peak_kb(name, path, workdir) / 1024
        streamed_mb = max(runs["streamed"], 1.0)  # below 1 MiB the figure is noise: count it as 1
        print(f"unpack, member by member (now):    +{runs['streamed'] * 1024:7.0f} KiB peak resident memory")
        print(f"anchor, zip and members in memory: +{runs['in memory']:7.1f} MiB "
              f"-> ratio >= {runs['in memory'] / streamed_mb:.0f}x")  # fmt: skip
        print(f"whole ingest of the zip (GDAL reads the layer): +{runs['ingest']:7.1f} MiB "
              f"({runs['ingest'] / zip_mb:.2f} x the zip's size)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--zip-mb", type=int, default=0, help="measure unpacking a zip this large instead")
    parser.add_argument("--zip-child", nargs=3, help=argparse.SUPPRESS)  # mode, zip, folder
    args = parser.parse_args()
    if args.zip_child:
        mode, path, workdir = args.zip_child
        before = _status_kb("VmRSS:")
        Path("/proc/self/clear_refs").write_text("5")  # Linux: the peak (VmHWM) restarts from now
        ZIP_WORK[mode](Path(path), Path(workdir))
        print(_status_kb("VmHWM:") - before)
        return
    if args.zip_mb:
        zip_memory(args.zip_mb)
        return

    call_command("migrate", verbosity=0)
    user = User.objects.create_user(email="bench@example.org", password="bench-password-123")
    landscape = Landscape.objects.create(name="Bench", slug="bench", visibility="private")
    Membership.objects.create(landscape=landscape, user=user, role="editor")

    with tempfile.TemporaryDirectory(prefix="landmosaic-bench-data-") as folder:
        source = Path(folder) / "observations.csv"
        started = time.perf_counter()
        generate(source, args.rows)
        size_mb = source.stat().st_size / 1e6
        took = time.perf_counter() - started
        print(f"generated {args.rows:,} rows x 10 columns, {size_mb:.1f} MB in {took:.1f} s")

        start = time.perf_counter()
        with source.open("rb") as handle:
            job = services.dataset_create_from_upload(
                actor=user, landscape=landscape, upload=File(handle, name=source.name), title="Observations"
            )
        stored = time.perf_counter()
        rss_before = _status_kb("VmRSS:")
        Path("/proc/self/clear_refs").write_text("5")  # Linux: the peak (VmHWM) restarts from now
        job = job_run(str(job.pk))  # what the worker does with the queued job
        ingested = time.perf_counter()
        job_peak_mb = (_status_kb("VmHWM:") - rss_before) / 1024
        if job.status != "succeeded":
            raise SystemExit(f"ingest failed: {job.error}")
        dataset = Dataset.objects.get(pk=job.result["links"][0]["id"])
        version = dataset.current_version
        preview = selectors.version_preview(actor=user, dataset=dataset, version=version)
        features = selectors.version_features(actor=user, dataset=dataset, version=version)
        end = time.perf_counter()
        # After the job, so that the anchor's memory (its whole layer, freed but kept by the
        # allocator) does not hide the job's own peak.
        anchor = bare_pyogrio(source, Path(folder) / "bare.gpkg")

    total = end - start
    print(f"upload hashed and stored:          {stored - start:6.2f} s")
    ratio = job_peak_mb * 2**20 / 1e6 / size_mb
    print(f"ingest job (sniff..GeoPackage):    {ingested - stored:6.2f} s")
    print(f"ingest job peak resident memory:   +{job_peak_mb:5.0f} MiB ({ratio:.2f} x the CSV's size)")
    shown = f"{len(preview['rows'])} rows, {features['numberReturned']} map features"
    print(f"preview ({shown}):  {end - ingested:6.2f} s")
    print(
        f"end to end, upload -> previewable: {total:6.2f} s  (budget {BUDGET_S:.0f} s: "
        f"{'OK' if total < BUDGET_S else 'OVER'})"
    )
    print(f"anchor, bare pyogrio CSV->GPKG:    {anchor:6.2f} s  -> ratio {total / anchor:.2f}x")
    print(
        f"CKAN XLoader reference {CKAN_XLOADER_S:.0f} s -> {CKAN_XLOADER_S / total:.1f}x faster "
        f"(rows: {version.row_count:,}, GeoPackage {version.normalised_size / 1e6:.0f} MB)"
    )


if __name__ == "__main__":
    main()
