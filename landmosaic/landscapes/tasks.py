"""Job handlers of the landscapes app."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from landmosaic.accounts.models import User
from landmosaic.core.jobs import JobContext, job_handler

from . import boundaries
from .models import Landscape
from .services import landscape_set_boundary


@job_handler("landscapes.boundary_parse")
def boundary_parse(context: JobContext) -> dict[str, Any]:
    """Parse a large uploaded boundary file and set it on the landscape."""
    params = context.params
    context.progress(5, _("Reading the file"))
    with default_storage.open(params["path"], "rb") as handle:
        data = handle.read()
    context.progress(30, _("Checking the boundary"))
    try:
        boundary = boundaries.from_file(data=data, filename=params["filename"])
        landscape = Landscape.objects.get(pk=params["landscape_id"])
        actor = User.objects.get(pk=context.job.created_by_id)
        context.progress(80, _("Saving the boundary"))
        landscape_set_boundary(actor=actor, landscape=landscape, boundary=boundary, source=params["filename"])
    finally:
        default_storage.delete(params["path"])
    return {"landscape": landscape.slug, "area_ha": boundary.area_ha, "vertices": boundary.vertex_count}
