"""The section that field data adds to the pages of its datasets in the commons: a form's records
link to their repeat groups' tables, and each of those back to the records."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from .. import selectors


def dataset_panel(request: HttpRequest, dataset: Any) -> str:
    """Registered with the commons (apps.py); "" for a dataset no form publishes."""
    family = selectors.dataset_commons_family(actor=request.user, dataset=dataset)
    if family is None or (not family.repeat and not family.children):
        return ""
    context = {"family": family, "dataset": dataset}
    return render_to_string("fieldwork/_dataset_panel.html", context, request=request)
