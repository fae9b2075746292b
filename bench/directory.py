"""Directory benchmark: server time and SQL queries of the directory, a landscape page and the API.

Builds a throw-away SQLite database (or uses DATABASE_URL) with 1,000 then 10,000 landscapes whose
boundaries are real-sized (a few hundred vertices), then times requests through Django's full stack
in-process (middleware, templates, ORM) — the server time a user waits for, without network.

    python bench/directory.py            # 1,000 and 10,000
    python bench/directory.py --smoke    # 200 landscapes, a few requests: for CI
Budget (DESIGN.md §5): p95 < 100 ms at 1,000 landscapes; queries constant as landscapes grow.
"""

from __future__ import annotations

import argparse
import gzip
import math
import os
import random
import statistics
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
os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from landmosaic.accounts.models import User  # noqa: E402
from landmosaic.landscapes.models import Landscape, Membership, Partnership, Term  # noqa: E402

BUDGET_P95_MS = 100.0


def ring(lon: float, lat: float, radius_deg: float, vertices: int, rng: random.Random) -> list[list[float]]:
    points = []
    for i in range(vertices):
        angle = 2 * math.pi * i / vertices
        r = radius_deg * (1 + 0.2 * math.sin(5 * angle) + 0.05 * rng.random())
        points.append([round(lon + r * math.cos(angle), 6), round(lat + r * math.sin(angle), 6)])
    return [*points, points[0]]


def populate(total: int, *, vertices: int, owner: User) -> None:
    """Add landscapes until there are ``total``; every fifth one private, half with a partnership."""
    rng = random.Random(total)
    existing = Landscape.objects.count()
    ecosystems = list(Term.objects.filter(vocabulary="ecosystem"))
    countries = ["BR", "PE", "KE", "TZ", "ID", "IN", "GT", "MX", "ET", "GH", "CO", "FR", "ES", "PT"]
    batch = []
    for i in range(existing, total):
        lon, lat = rng.uniform(-170, 170), rng.uniform(-50, 60)
        geometry = {"type": "Polygon", "coordinates": [ring(lon, lat, 0.3, vertices, rng)]}
        display = {"type": "Polygon", "coordinates": [ring(lon, lat, 0.3, 40, rng)]}
        batch.append(
            Landscape(
                name=f"Landscape {i:05d}",
                slug=f"landscape-{i:05d}",
                country=rng.choice(countries),
                description="A landscape partnership working on water, forests and farms. " * 5,
                visibility="private" if i % 5 == 0 else "public",
                boundary_kind="polygon",
                boundary_geojson=geometry,
                boundary_display_geojson=display,
                area_ha=rng.uniform(1e4, 1e6),
                centroid_lon=lon,
                centroid_lat=lat,
                bbox_west=lon - 0.4,
                bbox_south=lat - 0.4,
                bbox_east=lon + 0.4,
                bbox_north=lat + 0.4,
                population=rng.randint(1000, 10**6),
            )
        )
    Landscape.objects.bulk_create(batch, batch_size=500)
    new = list(Landscape.objects.filter(pk__gt=0).order_by("pk")[existing:])
    Partnership.objects.bulk_create(
        [Partnership(landscape=x, status="active" if x.pk % 2 else "exploring") for x in new], batch_size=1000
    )
    Membership.objects.bulk_create(
        [Membership(landscape=x, user=owner, role="manager") for x in new[::10]], batch_size=1000
    )
    through = Landscape.ecosystems.through
    through.objects.bulk_create(
        [through(landscape_id=x.pk, term_id=rng.choice(ecosystems).pk) for x in new], batch_size=1000
    )


def measure(client: Client, url: str, repeats: int) -> dict:
    client.get(url)  # warm-up
    times, queries, size, gz = [], 0, 0, 0
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured.captured_queries)
        size = len(response.content)
        gz = len(gzip.compress(response.content))
    times.sort()
    return {
        "p50": statistics.median(times),
        "p95": times[max(0, math.ceil(0.95 * len(times)) - 1)],
        "queries": queries,
        "bytes": size,
        "gzip": gz,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true", help="small and quick, for CI")
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--repeats", type=int, default=60)
    parser.add_argument("--vertices", type=int, default=400)
    args = parser.parse_args()
    sizes = [200] if args.smoke else [int(s) for s in args.sizes.split(",")]
    repeats = 5 if args.smoke else args.repeats

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command(
        "collectstatic", "--noinput", verbosity=0
    )  # production-like: hashed, compressed static files
    owner = User.objects.filter(email="bench@example.org").first() or User.objects.create_user(
        "bench@example.org", "bench-password-123", name="Bench"
    )
    anonymous, member = Client(), Client()
    member.force_login(owner)

    print(
        f"{'landscapes':>10} {'caller':>9} {'page':<26} {'p50 ms':>8} {'p95 ms':>8} {'p95/budget':>10} "
        f"{'queries':>7} {'KB':>6} {'KB gz':>6}"
    )
    rows = []
    for total in sizes:
        t0 = time.perf_counter()
        populate(total, vertices=args.vertices, owner=owner)
        build_s = time.perf_counter() - t0
        target = Landscape.objects.filter(visibility="public").order_by("pk").first()
        pages = [
            ("directory", "/landscapes/"),
            ("directory ?country=BR", "/landscapes/?country=BR&partnership=yes"),
            ("directory map points", "/landscapes/points.geojson"),
            ("landscape page", f"/landscapes/{target.slug}/"),
            ("GET /api/v1/landscapes", "/api/v1/landscapes"),
            ("GET /api/v1/landscapes/x", f"/api/v1/landscapes/{target.slug}"),
        ]
        for caller_name, client in (("anonymous", anonymous), ("member", member)):
            for name, url in pages:
                r = measure(client, url, repeats)
                rows.append((total, caller_name, name, r))
                print(
                    f"{total:>10} {caller_name:>9} {name:<26} {r['p50']:>8.1f} {r['p95']:>8.1f} "
                    f"{r['p95'] / BUDGET_P95_MS:>10.2f} {r['queries']:>7} {r['bytes'] / 1024:>6.1f} "
                    f"{r['gzip'] / 1024:>6.1f}"
                )
        print(f"  ({total} landscapes built in {build_s:.1f} s)")
    # Queries must not grow with the number of landscapes.
    by_page: dict[tuple, set] = {}
    for _total, caller_name, name, r in rows:
        if name != "directory map points":
            by_page.setdefault((caller_name, name), set()).add(r["queries"])
    constant = all(len(v) == 1 for v in by_page.values())
    print(f"queries constant as landscapes grow: {'yes' if constant else 'NO'}")


if __name__ == "__main__":
    main()
