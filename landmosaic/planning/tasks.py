"""Job handlers of the planning app: computing an indicator's measurement from a dataset, exporting a
large plan."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.translation import gettext as _

from landmosaic.core.errors import NotFound
from landmosaic.core.jobs import JobContext, job_handler
from landmosaic.core.notifications import in_language
from landmosaic.landscapes.models import Landscape

from . import selectors, services
from .models import Indicator


@job_handler(services.COMPUTE_JOB)
def measurement_compute(context: JobContext) -> dict[str, Any]:
    """Compute as the person who asked, with their permissions and in their language."""
    actor = context.job.created_by or AnonymousUser()
    indicator = Indicator.objects.select_related("landscape").get(pk=context.params["indicator_id"])
    with in_language(getattr(actor, "language", None)):
        context.progress(10, _("Reading the dataset"))
        measurement = services.measurement_compute_run(
            actor=actor, indicator=indicator, date=datetime.date.fromisoformat(context.params["date"])
        )
        url = reverse(
            "planning:indicator", kwargs={"slug": indicator.landscape.slug, "indicator_id": indicator.pk}
        )
        return {
            "url": url,
            "title": indicator.name,
            "measurement": measurement.pk,
            "value": measurement.value,
        }


@job_handler(services.EXPORT_JOB)
def plan_export(context: JobContext) -> dict[str, Any]:
    """Write a large plan's export into the cache as the person who asked (their permissions, their
    budgets view); the result links back to the export address, which serves the cached file."""
    actor = context.job.created_by or AnonymousUser()
    fmt = context.params["format"]
    with in_language(getattr(actor, "language", None)):
        landscape = Landscape.objects.filter(pk=context.params["landscape_id"]).first()
        if landscape is None:
            raise NotFound(_("Landscape not found."))
        revision = selectors.plan_revision_get(actor=actor, landscape=landscape)
        services.plan_export_build(
            actor=actor, landscape=landscape, fmt=fmt, revision=revision, progress=context.progress
        )
        return {
            "url": services.plan_export_url(landscape=landscape, fmt=fmt),
            "title": _("Landscape plan (%(format)s)") % {"format": fmt.upper()},
        }
