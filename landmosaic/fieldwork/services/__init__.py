"""Writes for field data (DESIGN.md §2: services), split by concern and re-exported here."""

from .builder import form_build
from .collectors import TOKEN_PREFIX, collector_create, collector_revoke
from .commons import REFRESH_JOB, children_follow_sharing, form_dataset_refresh, form_dataset_schedule
from .forms import (
    form_media_add,
    form_media_delete,
    form_missing_media,
    form_publish,
    form_unpublish,
    form_update,
    form_upload,
    issue_as_dict,
)
from .submissions import Received, submission_receive, submission_review

__all__ = [
    "REFRESH_JOB",
    "TOKEN_PREFIX",
    "Received",
    "children_follow_sharing",
    "collector_create",
    "collector_revoke",
    "form_build",
    "form_dataset_refresh",
    "form_dataset_schedule",
    "form_media_add",
    "form_media_delete",
    "form_missing_media",
    "form_publish",
    "form_unpublish",
    "form_update",
    "form_upload",
    "issue_as_dict",
    "submission_receive",
    "submission_review",
]
