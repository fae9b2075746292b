"""Pages of the data commons: a landscape's data, upload with progress, dataset, edit, share."""

from .data import data_list, delete, edit, progress, upload, version_new
from .detail import (
    detail,
    download,
    features,
    link_detail,
    link_download,
    link_features,
    link_quicklook,
    quicklook,
)
from .sharing import grant_create, grant_revoke, link_create, link_revoke, sharing

__all__ = [
    "data_list",
    "delete",
    "detail",
    "download",
    "edit",
    "features",
    "grant_create",
    "grant_revoke",
    "link_create",
    "link_detail",
    "link_download",
    "link_features",
    "link_quicklook",
    "link_revoke",
    "progress",
    "quicklook",
    "sharing",
    "upload",
    "version_new",
]
