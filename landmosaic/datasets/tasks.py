"""Job handlers of the data commons: ingest of uploads, rows published in bulk, and large exports."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from landmosaic.accounts.models import User
from landmosaic.core.errors import NotFound
from landmosaic.core.jobs import JobContext, job_handler
from landmosaic.core.notifications import in_language

from . import services
from .ingest import STEPS
from .models import Dataset


def _actor(context: JobContext) -> User:
    actor = User.objects.filter(pk=context.job.created_by_id).first()
    if actor is None:
        raise NotFound(_("The person who started this job no longer has an account."))
    return actor


@job_handler(services.uploads.INGEST_JOB)
def ingest(context: JobContext) -> dict[str, Any]:
    """Sniff, read, check and normalise an uploaded file; the result links to its datasets."""
    actor = _actor(context)
    # Messages (progress, warnings, refusals) in the language of the person who uploaded.
    with in_language(actor.language):
        datasets = services.dataset_ingest(
            actor=actor,
            params=context.params,
            job_id=context.job.pk,
            progress=lambda percent, step: context.progress(percent, _(STEPS[step])),
        )
        links = [{"title": d.title, "url": d.get_absolute_url(), "id": d.pk} for d in datasets]
        return {"url": links[0]["url"], "title": links[0]["title"], "links": links}


@job_handler(services.publish.PUBLISH_JOB)
def publish_rows(context: JobContext) -> dict[str, Any]:
    """Normalise many published rows into a new dataset or version; the result links to it."""
    try:
        actor = services.SYSTEM if context.params.get("system") else _actor(context)
        with in_language(getattr(actor, "language", None)):
            dataset = services.publish_staged_rows(
                actor=actor,
                params=context.params,
                job_id=context.job.pk,
                progress=lambda percent, step: context.progress(percent, _(STEPS[step])),
            )
            return {"url": dataset.get_absolute_url(), "title": dataset.title, "id": dataset.pk}
    finally:
        services.discard_staged_rows(params=context.params)


@job_handler(services.downloads.EXPORT_JOB)
def export(context: JobContext) -> dict[str, Any]:
    """Produce a large export into the cache; the result is the (permission-checked) download link."""
    actor = _actor(context)
    params = context.params
    with in_language(actor.language):
        dataset = Dataset.objects.select_related("landscape").filter(pk=params["dataset_id"]).first()
        if dataset is None:
            raise NotFound(_("Dataset not found."))
        services.check_download(actor, dataset)
        version = dataset.versions.get(number=params["number"])
        context.progress(10, _("Writing the file"))
        services.version_export_build(
            dataset=dataset, version=version, fmt=params["format"], package=params["package"]
        )
        url = services.download_url(dataset, version, params["format"], package=params["package"])
        return {"url": url, "title": _("Download the file")}
