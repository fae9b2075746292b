"""Writes of the data commons, in three modules: uploads (and the ingest job's work), editing
(metadata, sharing, deletion) and downloads (exports, cached)."""

from .downloads import ExportFile, check_download, download_url, version_export, version_export_build
from .editing import dataset_delete, dataset_set_sharing, dataset_update_metadata
from .uploads import check_upload, dataset_add_version, dataset_create_from_upload, dataset_ingest

__all__ = [
    "ExportFile",
    "check_download",
    "check_upload",
    "dataset_add_version",
    "dataset_create_from_upload",
    "dataset_delete",
    "dataset_ingest",
    "dataset_set_sharing",
    "dataset_update_metadata",
    "download_url",
    "version_export",
    "version_export_build",
]
