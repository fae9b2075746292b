"""Reads of scenario sets, scenarios and runs; all permission-checked through core.permissions."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from landmosaic.core import permissions
from landmosaic.core.errors import NotFound
from landmosaic.core.models import Job
from landmosaic.core.permissions import Subject
from landmosaic.landscapes.models import Landscape
from landmosaic.landscapes.selectors import landscape_get

from . import commons
from .models import Hindcast, Run, Scenario, ScenarioSet


def scenarios_landscape_get(*, actor: Any, slug: str) -> Landscape:
    """The landscape whose scenarios are asked for; 404 if the caller may not see it."""
    return landscape_get(actor=actor, slug=slug)


def sets_subject(landscape: Landscape) -> Subject:
    """Any set of the landscape (they all follow its visibility): for "may see / may create" checks."""
    return Subject(type="scenario_set", landscape_id=landscape.pk, visibility=landscape.visibility)


def scenario_set_list(*, actor: Any, landscape: Landscape) -> QuerySet[ScenarioSet]:
    permissions.check(actor, "view", sets_subject(landscape))
    return (
        ScenarioSet.objects.filter(landscape=landscape)
        .select_related("landscape", "t0_version__dataset", "t1_version__dataset")
        .prefetch_related("scenarios")
    )


def scenario_set_get(*, actor: Any, landscape: Landscape, set_id: int, action: str = "view") -> ScenarioSet:
    scenario_set = (
        ScenarioSet.objects.filter(landscape=landscape, pk=set_id)
        .select_related("landscape", "t0_version__dataset", "t1_version__dataset")
        .first()
    )
    if scenario_set is None:
        raise NotFound(_("Scenario set not found."))
    permissions.check(actor, action, scenario_set)
    return scenario_set


def scenario_set_by_id(*, actor: Any, set_id: int, action: str = "view") -> ScenarioSet:
    scenario_set = (
        ScenarioSet.objects.filter(pk=set_id)
        .select_related("landscape", "t0_version__dataset", "t1_version__dataset")
        .first()
    )
    if scenario_set is None:
        raise NotFound(_("Scenario set not found."))
    permissions.check(actor, action, scenario_set)
    return scenario_set


def scenario_list(*, actor: Any, scenario_set: ScenarioSet) -> list[Scenario]:
    """Business as usual first, then the alternatives by name."""
    permissions.check(actor, "view", scenario_set)
    scenarios = list(scenario_set.scenarios.select_related("scenario_set__landscape"))
    return sorted(scenarios, key=lambda s: (not s.is_bau, s.name.lower(), s.pk))


def scenario_get(
    *, actor: Any, scenario_id: int, scenario_set: ScenarioSet | None = None, action: str = "view"
) -> Scenario:
    qs = Scenario.objects.select_related(
        "scenario_set__landscape", "scenario_set__t0_version__dataset", "scenario_set__t1_version__dataset"
    )
    if scenario_set is not None:
        qs = qs.filter(scenario_set=scenario_set)
    scenario = qs.filter(pk=scenario_id).first()
    if scenario is None:
        raise NotFound(_("Scenario not found."))
    permissions.check(actor, action, scenario)
    return scenario


def _synced(run: Run) -> Run:
    """A run whose job ended without it (cancelled while queued, worker lost) shows the job's end."""
    job = run.job
    if not run.is_finished and job is not None and job.is_finished and job.status != Job.Status.SUCCEEDED:
        run.status = job.status
        run.error = run.error or job.error
    return run


def _runs() -> QuerySet[Run]:
    return Run.objects.select_related(
        "job",
        "scenario__scenario_set__landscape",
        "landcover_dataset__landscape",
        "table_dataset__landscape",
    ).prefetch_related("landcover_dataset__shares")


def run_get(*, actor: Any, run_id: int, landscape: Landscape | None = None, action: str = "view") -> Run:
    qs = _runs().filter(pk=run_id)
    if landscape is not None:
        qs = qs.filter(scenario__scenario_set__landscape=landscape)
    run = qs.first()
    if run is None:
        raise NotFound(_("Run not found."))
    permissions.check(actor, action, run)
    return _synced(run)


def run_list(*, actor: Any, scenario: Scenario) -> list[Run]:
    """The scenario's runs the caller may see, newest first."""
    permissions.check(actor, "view", scenario)
    return [_synced(r) for r in _runs().filter(scenario=scenario) if permissions.can(actor, "view", r)]


def latest_runs(*, actor: Any, scenario_set: ScenarioSet) -> dict[int, Run]:
    """{scenario id: its newest run the caller may see}."""
    permissions.check(actor, "view", scenario_set)
    latest: dict[int, Run] = {}
    for run in _runs().filter(scenario__scenario_set=scenario_set):
        if run.scenario_id not in latest and permissions.can(actor, "view", run):
            latest[run.scenario_id] = _synced(run)
    return latest


def reference_run(*, actor: Any, run: Run) -> Run | None:
    """The newest finished business-as-usual run of the same set inputs, to compare ``run`` with."""
    if run.scenario.is_bau:
        return None
    candidates = _runs().filter(
        scenario__scenario_set_id=run.scenario.scenario_set_id,
        scenario__kind=Scenario.Kind.BAU,
        set_fingerprint=run.set_fingerprint,
        status=Job.Status.SUCCEEDED,
    )
    for candidate in candidates:
        if permissions.can(actor, "view", candidate) and candidate.landcover_dataset_id:
            return candidate
    return None


def raster_choices(
    *, actor: Any, landscape: Landscape, kind: str | None = None, excluding: frozenset[int] = frozenset()
) -> list[Any]:
    """Rasters the actor may view in the landscape; ``kind`` "categorical" or "continuous" keeps one kind."""
    return [
        dataset
        for dataset in commons.raster_datasets(actor=actor, landscape=landscape)
        if dataset.pk not in excluding
        and (kind is None or commons.raster_kind(dataset.current_version) == kind)
    ]


def vector_choices(*, actor: Any, landscape: Landscape) -> list[Any]:
    return list(commons.vector_datasets(actor=actor, landscape=landscape))


def run_year_version(*, actor: Any, run: Run, year: int | None) -> Any:
    """The dataset version holding a year's map of a run (version k is the year base + k)."""
    permissions.check(actor, "view", run)
    dataset = run.landcover_dataset
    if dataset is None or not commons.can_view(actor=actor, dataset=dataset):
        raise NotFound(_("The maps of this run are not available."))
    year = run.final_year if year is None else year
    if not run.base_year < year <= run.final_year:
        raise NotFound(_("No map for this year."))
    version = dataset.versions.filter(number=year - run.base_year).first()
    if version is None:
        raise NotFound(_("No map for this year."))
    return version


def _hindcast_synced(hindcast: Hindcast) -> Hindcast:
    """A hindcast whose job ended without it (cancelled while queued, worker lost) shows the job's end."""
    job = hindcast.job
    ended = job is not None and job.is_finished and job.status != Job.Status.SUCCEEDED
    if not hindcast.is_finished and ended:
        hindcast.status = job.status
        hindcast.error = hindcast.error or job.error
    return hindcast


def _hindcasts() -> QuerySet[Hindcast]:
    return Hindcast.objects.select_related(
        "job", "scenario_set__landscape", "t2_version__dataset", "created_by"
    )


def hindcast_list(*, actor: Any, scenario_set: ScenarioSet) -> list[Hindcast]:
    """A set's hindcasts, newest first: whoever may see the set sees them, like its page."""
    permissions.check(actor, "view", scenario_set)
    return [_hindcast_synced(h) for h in _hindcasts().filter(scenario_set=scenario_set)]


def hindcast_get(*, actor: Any, hindcast_id: int) -> Hindcast:
    hindcast = _hindcasts().filter(pk=hindcast_id).first()
    if hindcast is None:
        raise NotFound(_("Hindcast not found."))
    permissions.check(actor, "view", hindcast.scenario_set)
    return _hindcast_synced(hindcast)
