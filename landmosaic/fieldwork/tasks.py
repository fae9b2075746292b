"""Job handlers of field data: the refresh of a form's dataset in the data commons."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from landmosaic.core.jobs import JobContext, job_handler
from landmosaic.core.notifications import in_language

from . import services


@job_handler(services.REFRESH_JOB)
def dataset_refresh(context: JobContext) -> dict[str, Any]:
    """Publish a form's current records as the next version of its dataset (made on the first record)."""
    # The refresh acts for the platform, not for whoever caused it: texts in the site's language.
    with in_language(None):
        context.progress(10, _("Publishing the records"))
        dataset = services.form_dataset_refresh(form_id=context.params["form_id"])
        if dataset is None:
            return {"title": _("The form has no records yet.")}
        return {"url": dataset.get_absolute_url(), "title": dataset.title, "id": dataset.pk}
