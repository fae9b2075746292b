"""Reads of core records, permission-checked."""

from __future__ import annotations

import uuid
from typing import Any

from django.utils.translation import gettext as _

from . import permissions
from .errors import NotFound
from .models import Job


def job_get(*, actor: Any, job_id: uuid.UUID | str, action: str = "view") -> Job:
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        raise NotFound(_("Job not found."))
    permissions.check(actor, action, job)
    return job
