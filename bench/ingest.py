"""Ingest benchmark: a 1,000,000-row CSV with coordinates and 10 columns, from upload to previewable.

End to end through the service and the job, as the worker runs it: the upload is hashed and stored,
the job sniffs, reads, checks and writes the GeoPackage with its spatial index, and the dataset
page's preview (first rows and map features) is read back. Anchor, measured in the same run on the
same file: a bare pyogrio CSV -> GeoPackage conversion (read with X/Y columns, write).

    python bench/ingest.py              # 1,000,000 rows
    python bench/ingest.py --rows 20000 # smoke size, for CI
Budget (DESIGN.md §5): < 60 s on 2 cores. Reference: CKAN XLoader 206 s for a similar file.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
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
from django.core.files import File  # noqa: E402
from django.core.management import call_command  # noqa: E402

from landmosaic.accounts.models import User  # noqa: E402
from landmosaic.core.jobs import job_run  # noqa: E402
from landmosaic.datasets import selectors, services  # noqa: E402
from landmosaic.datasets.models import Dataset  # noqa: E402
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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()

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

        anchor = bare_pyogrio(source, Path(folder) / "bare.gpkg")

        start = time.perf_counter()
        with source.open("rb") as handle:
            job = services.dataset_create_from_upload(
                actor=user, landscape=landscape, upload=File(handle, name=source.name), title="Observations"
            )
        stored = time.perf_counter()
        job = job_run(str(job.pk))  # what the worker does with the queued job
        ingested = time.perf_counter()
        if job.status != "succeeded":
            raise SystemExit(f"ingest failed: {job.error}")
        dataset = Dataset.objects.get(pk=job.result["links"][0]["id"])
        version = dataset.current_version
        preview = selectors.version_preview(actor=user, dataset=dataset, version=version)
        features = selectors.version_features(actor=user, dataset=dataset, version=version)
        end = time.perf_counter()

    total = end - start
    print(f"upload hashed and stored:          {stored - start:6.2f} s")
    print(f"ingest job (sniff..GeoPackage):    {ingested - stored:6.2f} s")
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
