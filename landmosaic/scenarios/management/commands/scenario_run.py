"""Run a land-use scenario from the command line, with a progress bar.

    manage.py scenario_run 12 --as editor@example.org
    manage.py scenario_run --as editor@example.org --landscape kilombero-valley \\
        --t0 lc2015.tif --t0-year 2015 --t1 lc2020.tif --t1-year 2020 [--years 20] [--pools pools.csv]

The second form is for people who script: it uploads both maps to the landscape's data commons, makes a
scenario set (default legend, the given carbon pools) and runs its business-as-usual scenario, exactly as
the pages would. Either way the run is computed in this process and its results are stored as datasets.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils.translation import gettext as _

from landmosaic.core.errors import DomainError
from landmosaic.landscapes.selectors import landscape_get
from landmosaic.scenarios import commons, results, selectors, services
from landmosaic.scenarios.models import Run, Scenario

BAR_WIDTH = 30


class ProgressBar:
    """One line redrawn in place on a terminal; one line per new message elsewhere (logs, pipes)."""

    def __init__(self, out: Any, *, tty: bool) -> None:
        self.out, self.tty, self.last = out, tty, ""

    def __call__(self, percent: int, message: str) -> None:
        filled = BAR_WIDTH * percent // 100
        line = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {percent:3d}% {message}"
        if self.tty:
            self.out.write(f"\r{line[:110]:<110}", ending="")
            self.out.flush()
        elif message != self.last:
            self.out.write(line)
        self.last = message

    def done(self, *, succeeded: bool) -> None:
        """Close the bar: full when the run was computed here and succeeded (the job's end is not a
        progress report of its own)."""
        if self.last and succeeded:
            self(100, _("Done"))
        if self.last and self.tty:
            self.out.write("")


class Command(BaseCommand):
    help = "Run a scenario by id, or business as usual from two land-cover GeoTIFFs, with a progress bar."

    def add_arguments(self, parser):
        parser.add_argument("scenario", nargs="?", type=int, help="id of the scenario to run")
        parser.add_argument("--as", dest="email", required=True, help="e-mail of the editor who runs it")
        parser.add_argument(
            "--force", action="store_true", help="compute again even if a run of the same inputs exists"
        )
        files = parser.add_argument_group("from two files (instead of a scenario id)")
        files.add_argument("--landscape", help="slug of the landscape whose commons receives the maps")
        files.add_argument("--t0", type=Path, help="the earlier land-cover GeoTIFF")
        files.add_argument("--t1", type=Path, help="the later land-cover GeoTIFF")
        files.add_argument("--t0-year", type=int)
        files.add_argument("--t1-year", type=int)
        files.add_argument("--years", type=int, default=20, help="years to project (default 20)")
        files.add_argument("--pools", type=Path, help="InVEST carbon pools CSV (lucode, c_above, …)")
        files.add_argument("--title", default="", help="title of the scenario set")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = get_user_model()._default_manager.filter(email__iexact=options["email"]).first()
        if actor is None:
            raise CommandError(f"No account with the e-mail {options['email']}.")
        try:
            scenario = self._scenario(actor, options)
            bar = ProgressBar(self.stdout, tty=self.stdout.isatty())
            run = services.scenario_run_now(
                actor=actor, scenario=scenario, force=options["force"], on_progress=bar
            )
            bar.done(succeeded=run.succeeded)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self._report(actor, run)

    def _scenario(self, actor: Any, options: dict[str, Any]) -> Scenario:
        if options["scenario"] is not None:
            return selectors.scenario_get(actor=actor, scenario_id=options["scenario"], action="run")
        needed = ("landscape", "t0", "t1", "t0_year", "t1_year")
        missing = [f"--{name.replace('_', '-')}" for name in needed if options[name] is None]
        if missing:
            raise CommandError(f"Give a scenario id, or {', '.join(missing)}.")
        for name in ("t0", "t1", "pools"):
            if options[name] is not None and not options[name].is_file():
                raise CommandError(f"{options[name]} is not a file.")
        landscape = landscape_get(actor=actor, slug=options["landscape"], action="add_content")
        maps = []
        for name in ("t0", "t1"):
            self.stdout.write(f"Uploading {options[name].name} to the data of {landscape.name}…")
            maps.append(commons.upload_now(actor=actor, landscape=landscape, path=options[name]))
        scenario_set = services.scenario_set_create(
            actor=actor,
            landscape=landscape,
            title=options["title"] or f"{maps[0].title} → {maps[1].title}",
            t0_dataset_id=maps[0].pk,
            t1_dataset_id=maps[1].pk,
            t0_year=options["t0_year"],
            t1_year=options["t1_year"],
            horizon_years=options["years"],
        )
        if options["pools"] is not None:
            services.scenario_set_import_table(
                actor=actor,
                scenario_set=scenario_set,
                table="carbon_pools",
                data=options["pools"].read_bytes(),
            )
        self.stdout.write(f"Scenario set {scenario_set.pk}: {scenario_set.title}")
        return scenario_set.scenarios.get(kind=Scenario.Kind.BAU)

    def _report(self, actor: Any, run: Run) -> None:
        if run.status == Run.Status.FAILED:
            raise CommandError(run.error or _("The run failed."))
        if not run.succeeded:
            self.stdout.write(f"Run {run.pk} is {run.status}: a worker is computing it.")
            return
        reference = selectors.reference_run(actor=actor, run=run)
        figures = results.class_figures(run, reference, run.scenario.scenario_set)
        self.stdout.write(
            self.style.SUCCESS(f"Run {run.pk} of “{run.scenario.name}”: {run.base_year}–{run.final_year}")
        )
        for sentence in results.summary(run, reference, figures):
            self.stdout.write(f"  {sentence}")
        landscape = run.scenario.scenario_set.landscape
        self.stdout.write(f"Results: {reverse('scenarios:results', args=[landscape.slug, run.pk])}")
        self.stdout.write(
            f"Yearly maps: dataset {run.landcover_dataset_id}; indicators: dataset {run.table_dataset_id}"
        )
