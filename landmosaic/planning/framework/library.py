"""The starter library of indicators to pick from: LandScale pillars and the themes of the four returns."""

from __future__ import annotations

from .library_base import LibraryData
from .library_landscape import ITEMS as _LANDSCAPE
from .library_people import ITEMS as _PEOPLE

__all__ = ["LIBRARY", "LibraryData"]

LIBRARY: tuple[LibraryData, ...] = (*_LANDSCAPE, *_PEOPLE)
