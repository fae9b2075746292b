"""Downloads of any version: the original, the normalised copy, or an export, cached in storage.

Every zip handed out carries a Frictionless ``datapackage.json`` (the zipped shapefile, and any
format asked for with ``package``); single files (GeoPackage, GeoJSON, CSV, KML, XLSX, COG) stay
plain so that GIS tools and spreadsheets open them as they are.

Exports are produced from the normalised file on first request (by a job when the version is
large) and kept under the version's folder, keyed by format. Every download is permission-checked
with the dataset's download access and written to the audit log.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from landmosaic.core import permissions
from landmosaic.core.audit import audit_record
from landmosaic.core.errors import Forbidden, ValidationFailed
from landmosaic.core.jobs import job_start
from landmosaic.core.models import AuditEvent, Job

from .. import storage
from ..exports import EXPORT_FORMATS, NORMALISED_FORMATS, formats_for, produce
from ..exports.datapackage import add_descriptor, resource, write_package, zip_member_resources
from ..metadata import datapackage_descriptor
from ..models import Dataset, DatasetVersion

EXPORT_JOB = "datasets.export"


@dataclass(frozen=True)
class ExportFile:
    """A file to stream: its storage name, the name the browser saves it as, and its media type."""

    name: str
    filename: str
    content_type: str


def check_download(actor: Any, dataset: Dataset) -> None:
    """404 for who may not see the dataset, 403 for who may see but not download it."""
    permissions.check(actor, "view", dataset)
    if not permissions.can(actor, "download", dataset.download_subject()):
        raise Forbidden(_("Only members of the landscape may download this dataset."))


def download_url(dataset: Dataset, version: DatasetVersion, fmt: str, *, package: bool = False) -> str:
    url = reverse(
        "datasets:download",
        kwargs={
            "slug": dataset.landscape.slug,
            "dataset": dataset.slug,
            "number": version.number,
            "fmt": fmt,
        },
    )
    return f"{url}?package=1" if package else url


def _base_name(dataset: Dataset, version: DatasetVersion) -> str:
    return f"{dataset.slug}-v{version.number}"


def is_zip(fmt: str) -> bool:
    """An export that is a zip (the shapefile) carries its own ``datapackage.json``: asking for the
    package of it gives the same file. Single files stay plain, so GIS tools open them as they are."""
    return fmt != "original" and EXPORT_FORMATS[fmt].suffix == ".zip"


def _cache_name(version: DatasetVersion, fmt: str, package: bool) -> str:
    if is_zip(fmt):  # a name of its own: zips cached before they were described are not served
        return f"{version.storage_prefix}/exports/{fmt}-datapackage.zip"
    suffix = ".zip" if package else EXPORT_FORMATS[fmt].suffix
    return f"{version.storage_prefix}/exports/{fmt}{'-package' if package else ''}{suffix}"


def _check_format(dataset: Dataset, version: DatasetVersion, fmt: str) -> None:
    if fmt == "original":
        return
    allowed = [f.code for f in formats_for(dataset.kind)] if version.normalised_path else []
    if fmt not in allowed:
        raise ValidationFailed(
            _("This dataset cannot be downloaded as %(format)s. Choose one of: %(formats)s.")
            % {"format": fmt, "formats": ", ".join(["original", *allowed])},
            code="unknown_format",
        )


def _export_file(dataset: Dataset, version: DatasetVersion, fmt: str, package: bool, name: str) -> ExportFile:
    base = _base_name(dataset, version)
    if package:
        return ExportFile(name=name, filename=f"{base}-{fmt}-datapackage.zip", content_type="application/zip")
    export = EXPORT_FORMATS[fmt]
    return ExportFile(name=name, filename=f"{base}{export.suffix}", content_type=export.media_type)


def version_export(
    *, actor: Any, dataset: Dataset, version: DatasetVersion, fmt: str, package: bool = False
) -> ExportFile | Job:
    """The file to stream for a download, or the job producing it when it is large and not cached."""
    check_download(actor, dataset)
    _check_format(dataset, version, fmt)
    package = package and not is_zip(fmt)
    if fmt == "original":
        export = ExportFile(version.original_path, version.original_filename, version.media_type)
        package = False
    elif fmt == NORMALISED_FORMATS.get(dataset.kind) and not package:
        export = ExportFile(
            version.normalised_path,
            f"{_base_name(dataset, version)}{EXPORT_FORMATS[fmt].suffix}",
            EXPORT_FORMATS[fmt].media_type,
        )
    else:
        name = _cache_name(version, fmt, package)
        if not storage.exists(name):
            large = (version.row_count or 0) > settings.DATASET_EXPORT_SYNC_MAX_ROWS
            if large and getattr(actor, "is_authenticated", False):
                return job_start(
                    kind=EXPORT_JOB,
                    actor=actor,
                    landscape_id=dataset.landscape_id,
                    params={
                        "dataset_id": dataset.pk,
                        "number": version.number,
                        "format": fmt,
                        "package": package,
                    },
                )
            name = version_export_build(dataset=dataset, version=version, fmt=fmt, package=package)
        export = _export_file(dataset, version, fmt, package, name)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DOWNLOAD,
        object_type="dataset",
        object_id=dataset.pk,
        landscape_id=dataset.landscape_id,
        summary=f"Version {version.number} of “{dataset.title}” downloaded as {fmt}"
        + (" package" if package else ""),
        data={"version": version.number, "format": fmt, "package": package},
    )
    return export


def version_export_build(*, dataset: Dataset, version: DatasetVersion, fmt: str, package: bool) -> str:
    """Produce an export (and its data package) into the storage cache; returns its storage name.

    Callers check the download permission first; the export job checks it again when it runs."""
    package = package and not is_zip(fmt)
    name = _cache_name(version, fmt, package)
    base = _base_name(dataset, version)
    with (
        tempfile.TemporaryDirectory(prefix="landmosaic-export-") as folder,
        storage.local_copy(version.normalised_path) as source,
    ):
        workdir = Path(folder)
        fields = version.fields
        if fmt == NORMALISED_FORMATS.get(dataset.kind):
            data = workdir / f"{base}{EXPORT_FORMATS[fmt].suffix}"
            data.symlink_to(source.resolve())
        else:
            data, fields = produce(
                fmt,
                source=source,
                kind=dataset.kind,
                fields=version.fields,
                geometry_family=version.geometry_family,
                workdir=workdir,
                name=base,
            )
        if is_zip(fmt):
            resources = zip_member_resources(data, name=base)
            add_descriptor(data, descriptor=datapackage_descriptor(dataset, version, resources))
        elif package:
            export = EXPORT_FORMATS[fmt]
            entry = resource(data, name=base, format_code=fmt, media_type=export.media_type, fields=fields)
            target = workdir / "package.zip"
            write_package(data, descriptor=datapackage_descriptor(dataset, version, [entry]), target=target)
            data = target
        return storage.save_file(data, name=name)
