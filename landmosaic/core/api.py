"""REST endpoints for jobs. Authentication is the API's default (signed-in callers)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from .jobs import job_cancel
from .models import Job
from .selectors import job_get

router = Router(tags=["jobs"])


class JobOut(Schema):
    id: str
    kind: str
    status: str
    progress: int
    message: str
    result: dict[str, Any] | None
    error: str
    created_at: datetime
    finished_at: datetime | None


def _job(job: Job) -> dict[str, Any]:
    return {
        "id": str(job.pk),
        "kind": job.kind,
        "status": job.status,
        "progress": job.progress,
        "message": job.message,
        "result": job.result,
        "error": job.error,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }


@router.get("/jobs/{job_id}", response=JobOut, summary="A job's status and progress")
def job_detail(request: HttpRequest, job_id: uuid.UUID):
    return _job(job_get(actor=request.auth, job_id=job_id))


@router.post("/jobs/{job_id}/cancel", response=JobOut, summary="Cancel a job")
def job_cancel_endpoint(request: HttpRequest, job_id: uuid.UUID):
    return _job(job_cancel(job=job_get(actor=request.auth, job_id=job_id, action="cancel")))
