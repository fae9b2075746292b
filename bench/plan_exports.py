"""Plan export benchmark: a 2,500-action plan exported on the spot, by the export job, and from the kept file.

Builds a throw-away SQLite database (or uses DATABASE_URL) with one landscape whose plan has 10 goals,
50 strategies and 2,500 actions, then times, in-process through Django's full stack:

- the revision key every export request computes (the cost added to small exports too);
- the work of the export job (read the plan, write the file, keep it) for JSON and Miradi XMPZ2;
- a download of the kept file (what a member waits for once the job has run);
- the same export on the spot with the threshold raised (what everyone waited for before).

    python bench/plan_exports.py
"""

from __future__ import annotations

import datetime
import os
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

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from landmosaic.accounts.models import User  # noqa: E402
from landmosaic.landscapes.models import Landscape, Membership  # noqa: E402
from landmosaic.planning import selectors, services  # noqa: E402
from landmosaic.planning.models import Action, Goal, Objective, Strategy  # noqa: E402

ACTIONS = 2500
REPEATS = 5


def build() -> tuple[Landscape, User]:
    call_command("migrate", verbosity=0)
    member = User.objects.create_user(email="bench-member@example.org", password="bench-password-2026")
    landscape = Landscape.objects.create(
        name="Bench hills",
        slug="bench-hills",
        country="KE",
        visibility="private",
        description="A bench plan.",
    )
    Membership.objects.create(landscape=landscape, user=member, role="member")
    today = datetime.date(2026, 1, 1)
    strategies = []
    for g in range(10):
        goal = Goal.objects.create(
            landscape=landscape, title=f"Goal {g}", return_kind="natural", pillar="ecosystems"
        )
        for o in range(5):
            objective = Objective.objects.create(
                landscape=landscape,
                goal=goal,
                what=f"Objective {g}.{o}",
                how_much=10,
                unit="ha",
                by_when=today,
            )
            strategies.append(
                Strategy.objects.create(landscape=landscape, objective=objective, title=f"Strategy {g}.{o}")
            )
    Action.objects.bulk_create(
        [
            Action(
                landscape=landscape,
                strategy=strategies[n % len(strategies)],
                title=f"Action {n}",
                description="Fence, plant and water the seedlings. " * 3,
                budget=1000 + n,
                currency="USD",
                start_date=today,
                end_date=today + datetime.timedelta(days=n % 400),
            )
            for n in range(ACTIONS)
        ],
        batch_size=500,
    )
    return landscape, member


def timed(func, repeats: int = REPEATS) -> float:
    func()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    landscape, member = build()
    client = Client()
    client.force_login(member)
    threshold = settings.PLAN_EXPORT_SYNC_MAX_ACTIONS
    print(f"Plan of {ACTIONS} actions, median of {REPEATS} runs (ms); job above {threshold} actions")
    key = timed(lambda: selectors.plan_revision_get(actor=member, landscape=landscape), repeats=20)
    print(f"revision key (every export request): {key:8.1f}")
    for fmt in ("json", "xmpz2"):
        url = f"/landscapes/{landscape.slug}/plan/export.{fmt}"

        def job_work(fmt=fmt):
            revision = selectors.plan_revision_get(actor=member, landscape=landscape)
            services.plan_export_build(actor=member, landscape=landscape, fmt=fmt, revision=revision)

        job = timed(job_work)

        def kept(url=url):
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        served = timed(kept)
        settings.PLAN_EXPORT_SYNC_MAX_ACTIONS = 10**9
        on_the_spot = timed(kept)
        settings.PLAN_EXPORT_SYNC_MAX_ACTIONS = 1000
        print(
            f"{fmt:5}: job work {job:8.1f}   kept file served {served:7.1f}   "
            f"on the spot {on_the_spot:8.1f}   on the spot / kept = {on_the_spot / served:5.1f}x"
        )


if __name__ == "__main__":
    main()
