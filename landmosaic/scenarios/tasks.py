"""Job handler of the scenarios app: a run projects a scenario and stores its results as datasets."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from landmosaic.accounts.models import User
from landmosaic.core.errors import NotFound
from landmosaic.core.jobs import JobContext, job_handler
from landmosaic.core.notifications import in_language

from . import services


@job_handler(services.RUN_JOB)
def run(context: JobContext) -> dict[str, Any]:
    """Project year by year ("Year k of N"), stopping at the next year when cancelled."""
    actor = User.objects.filter(pk=context.job.created_by_id).first()
    if actor is None:
        raise NotFound(_("The person who started this run no longer has an account."))
    with in_language(actor.language):
        return services.scenario_run_execute(
            run_id=context.params["run_id"],
            actor=actor,
            job_id=context.job.pk,
            progress=context.progress,
            cancelled=context.cancelled,
        )


@job_handler(services.HINDCAST_JOB)
def hindcast(context: JobContext) -> dict[str, Any]:
    """Calibrate, project to the later map's year, compare; the figures are stored with the hindcast."""
    actor = User.objects.filter(pk=context.job.created_by_id).first()
    if actor is None:
        raise NotFound(_("The person who asked for this hindcast no longer has an account."))
    with in_language(actor.language):
        return services.scenario_set_hindcast_execute(
            actor=actor,
            set_id=context.params["set_id"],
            version_id=context.params["version_id"],
            t2_year=context.params["t2_year"],
            progress=context.progress,
            hindcast_id=context.params.get("hindcast_id"),
        )
