"""Driver rasters of a scenario set (distance to roads, rivers or towns; slope…): checked when chosen,
read onto the land-cover grid when a run starts, and handed to the engine scaled to 0…1."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
import rasterio.errors
from django.utils.translation import gettext as _
from rasterio.enums import Resampling
from rasterio.warp import reproject

from landmosaic.core.errors import ValidationFailed

from .commons import raster_kind
from .engine import Driver, normalise_driver

MAX_DRIVERS = 4
MAX_WEIGHT = 10.0
#: "attracts": change happens where values are high (e.g. a road density); "repels": where they are low
#: (e.g. distance to a road, or slope).
EFFECTS = {"attracts": 1, "repels": -1}


def clean_drivers(
    entries: Iterable[Mapping[str, Any]], *, rasters: Mapping[int, Any]
) -> list[dict[str, Any]]:
    """The drivers as stored on the set: a raster dataset of the landscape (its current version), a weight
    above 0 and at most ``MAX_WEIGHT``, and an effect; refused with a message naming the problem."""
    cleaned: list[dict[str, Any]] = []
    for number, entry in enumerate(entries, start=1):
        dataset = rasters.get(_int(entry.get("dataset_id")))
        if dataset is None or dataset.current_version is None:
            message = _("Driver %(number)s: choose a raster of the landscape's data.")
            raise _refuse(message, number, "dataset_id")
        if raster_kind(dataset.current_version) != "continuous":
            raise _refuse(
                _("Driver %(number)s: “%(title)s” holds classes, not measured values such as a distance "
                  "or a slope."), number, "dataset_id", title=dataset.title,
            )  # fmt: skip
        weight, effect = clean_weight_and_effect(entry, number=number)
        if any(d["dataset_id"] == dataset.pk for d in cleaned):
            raise _refuse(_("Driver %(number)s: this raster is already a driver."), number, "dataset_id")
        cleaned.append({
            "dataset_id": dataset.pk, "version": dataset.current_version.number, "title": dataset.title,
            "weight": weight, "effect": effect,
        })  # fmt: skip
    if len(cleaned) > MAX_DRIVERS:
        raise ValidationFailed(
            _("Use at most %(max)s drivers.") % {"max": MAX_DRIVERS}, details={"dataset_id": ["too many"]}
        )
    return cleaned


def clean_weight_and_effect(entry: Mapping[str, Any], *, number: int) -> tuple[float, str]:
    """A driver's weight (above 0, at most ``MAX_WEIGHT``) and effect, refused with a message."""
    weight = _float(entry.get("weight"))
    if weight is None or not 0 < weight <= MAX_WEIGHT:
        raise _refuse(
            _("Driver %(number)s: give a weight above 0 and at most %(max)s."), number, "weight",
            max=MAX_WEIGHT,
        )  # fmt: skip
    effect = entry.get("effect")
    if effect not in EFFECTS:
        raise _refuse(_("Driver %(number)s: choose whether high values attract or repel change."),
                      number, "effect")  # fmt: skip
    return weight, effect


def _refuse(message: str, number: int, field: str, **params: Any) -> ValidationFailed:
    text = message % {"number": number, **params}
    return ValidationFailed(text, code="invalid_driver", details={field: [text]})


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _float(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def read_driver(path: Path, *, profile: Mapping[str, Any], valid: np.ndarray, title: str) -> np.ndarray:
    """A driver raster on the land-cover grid (bilinear; NaN outside it or where it has no data), scaled
    to 0…1 over the valid land-cover cells."""
    values = np.full((profile["height"], profile["width"]), np.nan, dtype=np.float32)
    try:
        with rasterio.open(path) as source:
            reproject(
                source=rasterio.band(source, 1), destination=values, dst_transform=profile["transform"],
                dst_crs=profile["crs"], dst_nodata=np.nan, resampling=Resampling.bilinear,
            )  # fmt: skip
    except (rasterio.errors.RasterioError, ValueError) as exc:
        raise ValidationFailed(
            _("The driver “%(title)s” could not be read onto the land-cover map.") % {"title": title},
            code="driver_unreadable",
        ) from exc
    if not np.isfinite(values[valid]).any():
        raise ValidationFailed(
            _("The driver “%(title)s” does not cover the land-cover map.") % {"title": title},
            code="driver_outside",
        )
    return normalise_driver(values=values, valid=valid)


def engine_driver(values: np.ndarray, entry: Mapping[str, Any]) -> Driver:
    return Driver(values=values, weight=float(entry["weight"]), sign=EFFECTS[entry["effect"]])
