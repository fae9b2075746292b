"""OGC API - Features benchmark: 100-feature bbox pages from a 1,000,000-feature dataset.

Builds a throw-away SQLite database (or uses DATABASE_URL) and a public point dataset of
1,000,000 features ingested through the data commons' own service and job (a GeoPackage written
with pyogrio is uploaded as a user would), starts gunicorn on loopback with the local settings
and DEBUG off, then runs concurrent clients (threads with http.client) that each ask, for about
30 seconds, for random ``/ogc/collections/{id}/items?bbox=…&limit=100`` pages. Each box is
sized to hold a few hundred features, so every page is full.

Printed: client-side p50/p95/p99 (what a GIS waits for, queueing included), the server's own time
per request (gunicorn's access log), throughput, and the ratio of p95 to the 150 ms budget. Anchor
measured in the same run on the same file: a bare pyogrio read of 100 features in a random box
(spatial index, no HTTP, no Django, no permission check).

    python bench/ogc.py                              # 1,000,000 features, 4 clients, 30 s
    python bench/ogc.py --smoke                      # 20,000 features, 2 clients, 5 s: for CI
    python bench/ogc.py --workers 2 --threads 2      # gthread workers instead of sync ones

Budget (DESIGN.md §5): p95 < 150 ms.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
VAR_DIR = tempfile.mkdtemp(prefix="landmosaic-bench-ogc-")
if "DATABASE_URL" not in os.environ:
    os.environ["LANDMOSAIC_VAR_DIR"] = VAR_DIR
os.environ["MEDIA_ROOT"] = str(Path(VAR_DIR) / "media")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "landmosaic.config.settings.local")
os.environ["DEBUG"] = "false"
os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost"
os.environ["LOG_LEVEL"] = "ERROR"

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
import pyogrio.raw  # noqa: E402
import shapely  # noqa: E402
from django.core.files import File  # noqa: E402
from django.core.management import call_command  # noqa: E402

from landmosaic.accounts.models import User  # noqa: E402
from landmosaic.core.jobs import job_run  # noqa: E402
from landmosaic.datasets import services, storage  # noqa: E402
from landmosaic.datasets.models import Dataset  # noqa: E402
from landmosaic.landscapes.models import Landscape, Membership  # noqa: E402

BUDGET_P95_MS = 150.0
WEST, SOUTH, EAST, NORTH = 35.0, -9.0, 37.0, -7.0
SPECIES = np.array(["acacia", "baobab", "mango", "teak", "neem", "miombo", "cashew"], dtype=object)


def write_points(path: Path, count: int) -> None:
    """Points spread evenly over 2 x 2 degrees, with eight attribute columns."""
    rng = np.random.default_rng(2024)
    lon, lat = rng.uniform(WEST, EAST, count), rng.uniform(SOUTH, NORTH, count)
    fields = {
        "site": np.array([f"S{i % 5000}" for i in range(count)], dtype=object),
        "species": SPECIES[rng.integers(0, len(SPECIES), count)],
        "count": rng.integers(0, 40, count),
        "height_m": np.round(rng.uniform(0.2, 30.0, count), 1),
        "observed": np.datetime64("2023-01-01") + rng.integers(0, 365, count).astype("timedelta64[D]"),
        "observer": np.array([f"person {i % 50}" for i in range(count)], dtype=object),
        "checked": rng.integers(0, 2, count).astype(bool),
        "notes": np.where(np.arange(count) % 3 == 0, "", "checked").astype(object),
    }
    pyogrio.raw.write(
        str(path),
        shapely.to_wkb(shapely.points(lon, lat)),
        list(fields.values()),
        fields=list(fields),
        layer="observations",
        driver="GPKG",
        geometry_type="Point",
        crs="EPSG:4326",
    )


def build(features: int) -> tuple[Dataset, float]:
    """The public dataset, ingested through the service and the job as the worker runs it."""
    call_command("migrate", verbosity=0)
    user = User.objects.create_user(email="bench@example.org", password="bench-password-123")
    landscape = Landscape.objects.create(name="Bench", slug="bench", visibility="public")
    Membership.objects.create(landscape=landscape, user=user, role="manager")
    with tempfile.TemporaryDirectory(prefix="landmosaic-bench-ogc-data-") as folder:
        source = Path(folder) / "observations.gpkg"
        write_points(source, features)
        started = time.perf_counter()
        with source.open("rb") as handle:
            job = services.dataset_create_from_upload(
                actor=user, landscape=landscape, upload=File(handle, name=source.name), title="Observations"
            )
        job = job_run(str(job.pk))
        took = time.perf_counter() - started
    if job.status != "succeeded":
        raise SystemExit(f"ingest failed: {job.error}")
    dataset = Dataset.objects.get(pk=job.result["links"][0]["id"])
    services.dataset_set_sharing(actor=user, dataset=dataset, visibility="public")
    dataset.refresh_from_db()
    return dataset, took


def box_side(features: int, wanted: int = 300) -> float:
    """The side of a square box that holds about ``wanted`` features (so pages of 100 are full)."""
    density = features / ((EAST - WEST) * (NORTH - SOUTH))
    return (wanted / density) ** 0.5


def random_box(rng: random.Random, side: float) -> tuple[float, float, float, float]:
    west, south = rng.uniform(WEST, EAST - side), rng.uniform(SOUTH, NORTH - side)
    return west, south, west + side, south + side


def anchor_ms(dataset: Dataset, side: float, rounds: int = 300) -> float:
    """p50 of a bare pyogrio read of 100 features through the spatial index (same boxes)."""
    rng = random.Random(7)
    times = []
    with storage.local_copy(dataset.current_version.normalised_path) as path:
        for _ in range(rounds):
            box = random_box(rng, side)
            start = time.perf_counter()
            pyogrio.raw.read(str(path), bbox=box, max_features=100)
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, workers: int, threads: int, access_log: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "landmosaic.config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "120",
        "--log-level",
        "warning",
        "--access-logfile",
        str(access_log),
        "--access-logformat",
        "%(D)s %(s)s",
    ]
    if threads > 1:
        command += ["--worker-class", "gthread", "--threads", str(threads)]
    server = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy())
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/ogc/?f=json")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def client(
    port: int, path: str, side: float, until: float, seed: int, times: list[float], errors: list[str]
) -> None:
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.perf_counter() < until:
        west, south, east, north = random_box(rng, side)
        url = f"{path}?bbox={west:.6f},{south:.6f},{east:.6f},{north:.6f}&limit=100"
        start = time.perf_counter()
        try:
            connection.request("GET", url, headers={"Accept": "application/geo+json"})
            response = connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException) as exc:
            errors.append(repr(exc))
            connection.close()
            continue
        elapsed = (time.perf_counter() - start) * 1000
        if response.status != 200:
            errors.append(f"HTTP {response.status}: {body[:200]!r}")
            continue
        if len(times) % 50 == 0 and json.loads(body)["numberReturned"] != 100:
            errors.append("a page was not full")
        times.append(elapsed)


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q)) if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--features", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (gthread when > 1)")
    parser.add_argument("--smoke", action="store_true", help="20,000 features, 2 clients, 5 s")
    args = parser.parse_args()
    if args.smoke:
        args.features, args.clients, args.seconds = 20_000, 2, 5.0

    try:
        dataset, ingest_s = build(args.features)
        version = dataset.current_version
        print(
            f"dataset: {version.row_count:,} points, GeoPackage {version.normalised_size / 1e6:.0f} MB, "
            f"ingested through the service in {ingest_s:.1f} s"
        )
        side = box_side(args.features)
        anchor = anchor_ms(dataset, side)
        collection = f"{dataset.landscape.slug}.{dataset.slug}"
        path = f"/ogc/collections/{collection}/items"
        port = free_port()
        access_log = Path(VAR_DIR) / "access.log"
        server = start_server(port, args.workers, args.threads, access_log)
        try:
            warm: list[float] = []
            client(port, path, side, time.perf_counter() + 2, 99, warm, [])
            access_log.write_text("")  # server times of the measured run only
            times: list[list[float]] = [[] for _ in range(args.clients)]
            errors: list[str] = []
            until = time.perf_counter() + args.seconds
            threads = [
                threading.Thread(target=client, args=(port, path, side, until, i, times[i], errors))
                for i in range(args.clients)
            ]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            wall = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=30)
        all_times = [t for chunk in times for t in chunk]
        server_ms = [
            int(line.split()[0]) / 1000
            for line in access_log.read_text().splitlines()
            if line.endswith(" 200")
        ]
        p50, p95, p99 = (percentile(all_times, q) for q in (50, 95, 99))
        mode = (
            f"{args.workers} sync workers" if args.threads == 1 else f"{args.workers}x{args.threads} gthread"
        )
        print(
            f"gunicorn {mode}, {args.clients} concurrent clients, {wall:.0f} s, limit=100, "
            f"box side {side:.4f} deg"
        )
        print(f"requests: {len(all_times):,} ok, {len(errors)} errors, {len(all_times) / wall:.0f} pages/s")
        print(f"client time  p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   p99 {p99:6.1f} ms")
        if server_ms:
            s50, s95 = percentile(server_ms, 50), percentile(server_ms, 95)
            print(
                f"server time  p50 {s50:6.1f} ms   p95 {s95:6.1f} ms   "
                f"(gunicorn access log, {len(server_ms):,} requests)"
            )
        verdict = "OK" if p95 < BUDGET_P95_MS else "OVER"
        print(f"budget p95 < {BUDGET_P95_MS:.0f} ms: p95/budget = {p95 / BUDGET_P95_MS:.2f}  ({verdict})")
        print(
            f"anchor, bare pyogrio bbox read of 100 features: p50 {anchor:.1f} ms -> client p50 is "
            f"{p50 / anchor:.1f}x the anchor"
        )
        if errors:
            print("first errors:", *errors[:5], sep="\n  ")
            raise SystemExit(1)
    finally:
        shutil.rmtree(VAR_DIR, ignore_errors=True)


if __name__ == "__main__":
    main()
