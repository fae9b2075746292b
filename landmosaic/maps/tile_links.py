"""Addresses of raster tiles for other apps' pages (Leaflet URL templates)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse


def tile_template(*, dataset: Any, number: int | str) -> str:
    """".../versions/<number>/tiles/{z}/{x}/{y}.png" of a raster dataset; ``number`` may itself be a
    placeholder such as "{v}" for pages that switch versions (the years of a scenario run)."""
    kwargs = {"slug": dataset.landscape.slug, "dataset": dataset.slug, "number": 1, "z": 0, "x": 0, "y": 0}
    prefix = reverse("maps:tile", kwargs=kwargs).rsplit("/versions/", 1)[0]
    return f"{prefix}/versions/{number}/tiles/{{z}}/{{x}}/{{y}}.png"
