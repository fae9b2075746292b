"""Jobs: long work run by the worker with status and progress (DESIGN.md §4.3).

A service calls ``job_start`` inside its transaction; the task is enqueued only after commit,
so the worker never sees a job whose inputs are not stored yet. Handlers are registered by kind
(``@job_handler("landscapes.boundary_parse")``) by the app that owns the work; one django-tasks
task, ``execute_job``, runs them all. Handlers write their results inside ``transaction.atomic()``.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from .errors import DomainError
from .models import Job

logger = logging.getLogger(__name__)


class JobContext:
    """Handed to handlers: report progress, read parameters."""

    def __init__(self, job: Job, on_progress: Callable[[int, str], None] | None = None):
        self.job = job
        self.on_progress = on_progress

    @property
    def params(self) -> dict[str, Any]:
        return self.job.params

    def progress(self, percent: int, message: str = "") -> None:
        percent = max(0, min(100, int(percent)))
        Job.objects.filter(pk=self.job.pk).update(progress=percent, message=message[:500])
        self.job.progress, self.job.message = percent, message
        if self.on_progress is not None:
            self.on_progress(percent, message)

    def cancelled(self) -> bool:
        return Job.objects.filter(pk=self.job.pk, status=Job.Status.CANCELLED).exists()


JobHandler = Callable[[JobContext], dict[str, Any] | None]
_handlers: dict[str, JobHandler] = {}


def job_handler(kind: str) -> Callable[[JobHandler], JobHandler]:
    def register(func: JobHandler) -> JobHandler:
        _handlers[kind] = func
        return func

    return register


def job_start(*, kind: str, actor: Any, landscape_id: int | None = None, params: dict[str, Any]) -> Job:
    """Create a queued job and enqueue it when the surrounding transaction commits."""
    if kind not in _handlers:
        raise LookupError(f"No job handler registered for {kind!r}")
    job = Job.objects.create(
        kind=kind,
        params=params,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        landscape_id=landscape_id,
        message=_("Waiting for a worker…"),
    )
    job_id = str(job.pk)
    transaction.on_commit(lambda: execute_job.enqueue(job_id))
    return job


def job_cancel(*, job: Job) -> Job:
    if not job.is_finished:
        Job.objects.filter(pk=job.pk).update(status=Job.Status.CANCELLED, finished_at=timezone.now())
        job.refresh_from_db()
    return job


def job_run(job_id: str, *, on_progress: Callable[[int, str], None] | None = None) -> Job:
    """Run a job now in this process. Idempotent: a finished job is not run again. ``on_progress``
    also hears each progress report (command-line progress bars)."""
    # Claim the job atomically so two workers never run it twice.
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now(), message=_("Started")
    )
    job = Job.objects.get(pk=job_id)
    if not claimed:
        return job
    context = JobContext(job, on_progress=on_progress)
    try:
        # Not wrapped in a transaction: progress must be visible while the job runs, and a long job
        # must not hold the database's write lock. Handlers keep their *results* in one atomic block,
        # so a worker killed mid-job leaves nothing half-visible.
        result = _handlers[job.kind](context)
    except DomainError as exc:
        _finish(job, status=Job.Status.FAILED, error=exc.message)
    except Exception:
        logger.exception("Job %s (%s) crashed", job.pk, job.kind)
        _finish(
            job,
            status=Job.Status.FAILED,
            error=_("The job failed unexpectedly."),
            trace=traceback.format_exc(),
        )
    else:
        if context.cancelled():
            return Job.objects.get(pk=job_id)
        _finish(job, status=Job.Status.SUCCEEDED, result=result or {})
    return Job.objects.get(pk=job_id)


def _finish(job: Job, *, status: str, result: dict | None = None, error: str = "", trace: str = "") -> None:
    Job.objects.filter(pk=job.pk).exclude(status=Job.Status.CANCELLED).update(
        status=status,
        progress=100 if status == Job.Status.SUCCEEDED else job.progress,
        result=result,
        error=error,
        message=_("Done") if status == Job.Status.SUCCEEDED else error[:500],
        finished_at=timezone.now(),
        params={**job.params, "_trace": trace} if trace else job.params,
    )


@task()
def execute_job(job_id: str) -> None:
    job_run(job_id)
