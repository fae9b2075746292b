"""Pages of field data (DESIGN.md §2: views), split by concern and re-exported for urls.py."""

from .builder import form_build, form_rebuild
from .collectors import collector_revoke, collectors
from .forms import (
    field_data,
    form_detail,
    form_status,
    form_upload_version,
    media_add,
    media_delete,
    media_download,
    version_download,
)
from .records import attachment_download, record_detail, records, records_csv, records_geojson

__all__ = [
    "attachment_download",
    "collector_revoke",
    "collectors",
    "field_data",
    "form_build",
    "form_detail",
    "form_rebuild",
    "form_status",
    "form_upload_version",
    "media_add",
    "media_delete",
    "media_download",
    "record_detail",
    "records",
    "records_csv",
    "records_geojson",
    "version_download",
]
