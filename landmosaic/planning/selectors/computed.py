"""Reads for computed measurements: an indicator's dataset source, and the datasets to choose from."""

from __future__ import annotations

from typing import Any

from landmosaic.core import permissions
from landmosaic.datasets import selectors as dataset_selectors
from landmosaic.datasets.models import Dataset
from landmosaic.landscapes.models import Landscape

from ..aggregate import DATES, NUMERIC
from ..models import ComputedSource, Indicator, monitoring_subject


def computed_source_get(*, actor: Any, indicator: Indicator) -> ComputedSource | None:
    """The indicator's dataset source, if any; ``visible_dataset`` is None when the caller may not see
    the dataset (its title is then not shown)."""
    permissions.check(actor, "view", indicator)
    source = ComputedSource.objects.filter(indicator=indicator).first()
    if source is not None:
        source.visible_dataset = dataset_selectors.dataset_find(actor=actor, pk=source.dataset_id)
    return source


def computable_datasets(*, actor: Any, landscape: Landscape) -> list[Dataset]:
    """The landscape's tables and vector layers (field-form records included) the caller may see, each
    with ``numeric_columns`` and ``date_columns`` of its current version."""
    permissions.check(actor, "view", monitoring_subject(landscape))
    datasets = list(
        dataset_selectors.dataset_list(actor=actor, landscape=landscape, order="title")
        .filter(kind__in=(Dataset.Kind.TABLE, Dataset.Kind.VECTOR))
        .exclude(current_version=None)
    )
    for dataset in datasets:
        fields = dataset.current_version.fields
        dataset.numeric_columns = [f["name"] for f in fields if f["type"] in NUMERIC]
        dataset.date_columns = [f["name"] for f in fields if f["type"] in DATES]
    return datasets
