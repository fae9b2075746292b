"""The one place a dataset row is made, whichever way it comes (upload, rows published by the
platform: field records, scenario results): metadata the creator did not give takes the landscape's
defaults, so every path gets the same ones."""

from __future__ import annotations

from typing import Any

from landmosaic.landscapes.licences import check_license
from landmosaic.landscapes.models import Landscape

from ..models import Dataset
from .versions import unique_slug


def landscape_defaults(landscape: Landscape) -> dict[str, Any]:
    """What a new dataset of ``landscape`` gets unless told otherwise."""
    return {"license": landscape.default_license}


def dataset_new(
    *, landscape: Landscape, title: str, kind: str, created_by: Any, metadata: dict[str, Any], slug: str = ""
) -> Dataset:
    """Create the dataset row (its versions are written by ``version_write``); ``metadata`` is clean."""
    values = {**landscape_defaults(landscape), **{k: v for k, v in metadata.items() if v not in (None, "")}}
    check_license(values["license"])  # a default set before the list shrank must not slip through
    return Dataset.objects.create(
        landscape=landscape,
        title=title,
        slug=unique_slug(landscape.pk, title, base=slug),
        kind=kind,
        created_by=created_by,
        **values,
    )
