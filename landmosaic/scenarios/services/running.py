"""Runs: started (or found again) from a scenario's inputs, cancelled, and the job's work: project,
then store the yearly maps and the indicator table as datasets of the commons in one transaction."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from landmosaic.core import permissions
from landmosaic.core.errors import DomainError, NotFound, ValidationFailed
from landmosaic.core.jobs import job_cancel, job_run, job_start
from landmosaic.core.models import AuditEvent, Job

from .. import commons, runs
from ..models import Run, Scenario, ScenarioSet
from ._common import RUN_JOB, audit, max_years


def scenario_run_start(*, actor: Any, scenario: Scenario, force: bool = False) -> Run:
    """Start (or find) the run of a scenario's current inputs. A run of the same inputs that is under
    way, or finished with its datasets still in the commons, is returned instead of a new one."""
    permissions.check(actor, "run", scenario)
    scenario_set = scenario.scenario_set
    if scenario_set.t0_version is None or scenario_set.t1_version is None:
        raise ValidationFailed(
            _("A land-cover map of this set was deleted from the data; create the set again with two maps."),
            code="map_deleted",
        )
    if scenario_set.horizon_years > max_years():
        raise ValidationFailed(
            _("Project at most %(max)s years ahead.") % {"max": max_years()}, code="horizon_too_long"
        )
    codes = {int(e["code"]) for e in scenario_set.legend}
    missing = sorted(codes - {int(r["lucode"]) for r in scenario_set.carbon_pools})
    if missing:
        raise ValidationFailed(
            _("The carbon pools table has no row for the classes %(codes)s.")
            % {"codes": ", ".join(str(c) for c in missing)},
            code="pools_missing_classes",
        )
    key = runs.fingerprint(scenario)
    with transaction.atomic():
        existing = (
            Run.objects.select_for_update()
            .filter(scenario=scenario, fingerprint=key)
            .exclude(status__in=[Job.Status.FAILED, Job.Status.CANCELLED])
            .order_by("-created_at")
            .first()
        )
        if existing is not None and not existing.is_finished:
            return existing
        if existing is not None and not force and existing.landcover_dataset_id and existing.table_dataset_id:
            return existing
        run = Run.objects.create(
            scenario=scenario,
            fingerprint=key,
            set_fingerprint=runs.set_fingerprint(scenario_set),
            base_year=scenario_set.t1_year,
            final_year=scenario_set.final_year,
            created_by=actor,
        )
        run.job = job_start(
            kind=RUN_JOB, actor=actor, landscape_id=scenario_set.landscape_id, params={"run_id": run.pk}
        )
        run.save(update_fields=["job"])
    return run


def scenario_run_now(
    *,
    actor: Any,
    scenario: Scenario,
    force: bool = False,
    on_progress: Callable[[int, str], None] | None = None,
) -> Run:
    """Start (or find) a scenario's run and compute it in this process, for the demo and the command
    line. Not one transaction: the job keeps its own progress and stores its results atomically. A run
    a worker has already taken is returned as it is."""
    run = scenario_run_start(actor=actor, scenario=scenario, force=force)
    if run.job_id and not run.is_finished:
        job_run(str(run.job_id), on_progress=on_progress)
        run.refresh_from_db()
    return run


def scenario_run_cancel(*, actor: Any, run: Run) -> Run:
    """Cancel a queued or running run; a running projection stops before its next year."""
    permissions.check(actor, "cancel", run)
    if run.is_finished:
        return run
    with transaction.atomic():
        if run.job is not None:
            job_cancel(job=run.job)
        Run.objects.filter(pk=run.pk).exclude(status=Job.Status.SUCCEEDED).update(
            status=Job.Status.CANCELLED, finished_at=timezone.now()
        )
    run.refresh_from_db()
    return run


def scenario_run_execute(
    *,
    run_id: int,
    actor: Any,
    job_id: Any,
    progress: Callable[[int, str], None],
    cancelled: Callable[[], bool],
) -> dict[str, Any]:
    """The job's work: project, then store the maps and table as datasets with the run, all at once."""
    run = (
        Run.objects.select_related(
            "scenario__scenario_set__landscape",
            "scenario__scenario_set__t0_version__dataset",
            "scenario__scenario_set__t1_version__dataset",
        )
        .filter(pk=run_id)
        .first()
    )
    if run is None:
        raise NotFound(_("This run was deleted."))
    if run.succeeded:
        return _job_result(run)  # idempotent: a finished run is not computed again
    permissions.check(actor, "run", run.scenario)  # the role may have changed since the run was asked for
    Run.objects.filter(pk=run.pk).update(status=Job.Status.RUNNING)
    scenario_set = run.scenario.scenario_set

    def keep_change(change: dict[str, Any]) -> None:
        # Stored at once, so every later run of the set uses these very numbers.
        ScenarioSet.objects.filter(pk=scenario_set.pk).update(change={**change})

    try:
        with tempfile.TemporaryDirectory(prefix="landmosaic-run-") as folder:
            output = runs.project_run(
                scenario=run.scenario,
                folder=Path(folder),
                progress=progress,
                cancelled=cancelled,
                on_change=keep_change,
            )
            progress(runs.YEARS_TO + 2, _("Saving the maps and indicators in the landscape's data"))
            _store_results(run=run, output=output, actor=actor, job_id=job_id, cancelled=cancelled)
    except runs.RunCancelled:
        Run.objects.filter(pk=run.pk).update(status=Job.Status.CANCELLED, finished_at=timezone.now())
        return {}
    except DomainError as exc:
        Run.objects.filter(pk=run.pk).update(
            status=Job.Status.FAILED, error=exc.message, finished_at=timezone.now()
        )
        raise
    except Exception:
        Run.objects.filter(pk=run.pk).update(
            status=Job.Status.FAILED, error=_("The run failed unexpectedly."), finished_at=timezone.now()
        )
        raise
    run.refresh_from_db()
    return _job_result(run)


def _job_result(run: Run) -> dict[str, Any]:
    url = reverse(
        "scenarios:results", kwargs={"slug": run.scenario.scenario_set.landscape.slug, "run_id": run.pk}
    )
    return {"url": url, "title": _("Results of “%(name)s”") % {"name": run.scenario.name}, "run_id": run.pk}


def _about(run: Run) -> dict[str, str]:
    """Titles, descriptions and provenance of a run's datasets, in the language of the person running it."""
    scenario = run.scenario
    scenario_set = scenario.scenario_set
    names = "; ".join(f"{e['code']} = {e['name']}" for e in scenario_set.legend)
    first, last = run.base_year + 1, run.final_year
    context = {"scenario": scenario.name, "set": scenario_set.title, "first": first, "last": last}
    provenance = _(
        "Projected by Landmosaic's scenario engine (run %(run)s of the scenario “%(scenario)s” in the set "
        "“%(set)s”) from %(map0)s (%(y0)s) and %(map1)s (%(y1)s), with seed %(seed)s."
    ) % {
        "run": run.pk,
        "scenario": scenario.name,
        "set": scenario_set.title,
        "map0": commons.version_label(scenario_set.t0_version),
        "y0": scenario_set.t0_year,
        "map1": commons.version_label(scenario_set.t1_version),
        "y1": scenario_set.t1_year,
        "seed": scenario_set.seed,
    }
    maps = _(
        "Yearly land-cover maps: version k is the year %(base)s + k; the current version is %(last)s."
    ) % {
        "base": run.base_year,
        "last": last,
    }
    table = _(
        "One row per year: area of each class in hectares (area_ha_<code>), carbon stock in Mg C, value of "
        "the carbon gained since the first year (%(currency)s), hectares restored and degraded since the "
        "first year, indicative water and income."
    ) % {"currency": scenario_set.currency}
    classes = _("Classes: %(legend)s.") % {"legend": names}
    return {
        "slug": slugify(f"{scenario.name}-{scenario_set.title}")[:60] or "scenario",
        "maps_title": _("%(scenario)s (%(set)s): land cover %(first)s–%(last)s") % context,
        "maps_description": f"{maps} {classes}"[:9000],
        "table_title": _("%(scenario)s (%(set)s): indicators %(base)s–%(last)s")
        % {**context, "base": run.base_year},
        "table_description": f"{table} {classes}"[:9000],
        "provenance": provenance[:5000],
    }


def _store_results(
    *, run: Run, output: runs.RunOutput, actor: Any, job_id: Any, cancelled: Callable[[], bool]
) -> None:
    """The yearly maps as the versions of one raster dataset, the indicators as a table dataset, and the
    run's results: in one transaction; the files of a failed attempt are deleted."""
    landscape = run.scenario.scenario_set.landscape
    about = _about(run)
    writer = commons.ResultWriter(actor=actor, landscape=landscape, job_id=job_id)
    (first_year, first_path), *later = output.year_files
    try:
        with transaction.atomic():
            locked = Run.objects.select_for_update().get(pk=run.pk)
            if cancelled():
                raise runs.RunCancelled
            raster = writer.create(
                path=first_path,
                filename=f"{about['slug']}-{first_year}.tif",
                note=_("Year %(year)s") % {"year": first_year},
                metadata={
                    "title": about["maps_title"],
                    "description": about["maps_description"],
                    "keywords": [_("scenario"), _("land cover"), _("projection")],
                    "provenance": about["provenance"],
                },
            )
            for year, path in later:
                writer.add_version(
                    dataset=raster,
                    path=path,
                    filename=f"{about['slug']}-{year}.tif",
                    note=_("Year %(year)s") % {"year": year},
                )
            columns, rows = runs.indicator_table(output.indicators)
            table = commons.publish_table(
                writer,
                title=about["table_title"],
                slug=f"{about['slug']}-indicators",
                columns=columns,
                rows=rows,
                method=about["provenance"],
                metadata={
                    "description": about["table_description"],
                    "keywords": [_("scenario"), _("indicators"), _("carbon")],
                },
            )
            locked.status = Job.Status.SUCCEEDED
            locked.indicators = output.indicators
            locked.warnings = output.warnings
            locked.landcover_dataset = raster
            locked.table_dataset = table
            locked.finished_at = timezone.now()
            locked.error = ""
            locked.save()
            audit(
                actor,
                AuditEvent.Action.CREATE,
                locked,
                landscape.pk,
                f"Scenario “{run.scenario.name}” run: {run.base_year}-{run.final_year}",
                landcover_dataset=raster.pk,
                table_dataset=table.pk,
            )
    except BaseException:
        writer.discard()
        raise
