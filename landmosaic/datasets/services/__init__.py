"""Writes of the data commons: uploads (and the ingest job's work), rows published by the platform
(field records, generated tables), editing (metadata, sharing, deletion) and downloads (exports,
cached); versions holds what uploads and published rows share."""

from .downloads import (
    ExportFile,
    check_download,
    download_url,
    is_zip,
    version_export,
    version_export_build,
)
from .editing import dataset_delete, dataset_set_sharing, dataset_update_metadata, share_targets
from .following import dataset_follow_sharing, register_sharing_listener
from .grants import dataset_grant, dataset_grant_revoke
from .links import dataset_link_create, dataset_link_revoke, dataset_link_used, link_path
from .publish import SYSTEM, dataset_publish_rows, discard_staged_rows, publish_staged_rows
from .uploads import check_upload, dataset_add_version, dataset_create_from_upload, dataset_ingest

__all__ = [
    "SYSTEM",
    "ExportFile",
    "check_download",
    "check_upload",
    "dataset_add_version",
    "dataset_create_from_upload",
    "dataset_delete",
    "dataset_follow_sharing",
    "dataset_grant",
    "dataset_grant_revoke",
    "dataset_ingest",
    "dataset_link_create",
    "dataset_link_revoke",
    "dataset_link_used",
    "dataset_publish_rows",
    "dataset_set_sharing",
    "dataset_update_metadata",
    "discard_staged_rows",
    "download_url",
    "is_zip",
    "link_path",
    "publish_staged_rows",
    "register_sharing_listener",
    "share_targets",
    "version_export",
    "version_export_build",
]
