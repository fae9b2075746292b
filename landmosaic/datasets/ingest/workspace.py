"""The scratch folder of one ingest and the GDAL conventions every reader shares."""

from __future__ import annotations

import logging
import os
import shutil
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyogrio
import pyogrio.errors

GDAL_ERRORS = (
    pyogrio.errors.DataSourceError,
    pyogrio.errors.DataLayerError,
    pyogrio.errors.FeatureError,
    pyogrio.errors.FieldError,
    pyogrio.errors.GeometryError,
    pyogrio.errors.CRSError,
    RuntimeError,
    OSError,
    ValueError,
    TypeError,
)

# Normalised files are written fresh into a scratch folder and discarded if anything fails,
# so SQLite's fsync on every commit buys nothing there and costs a third of the write time.
pyogrio.set_gdal_config_options({"OGR_SQLITE_SYNCHRONOUS": "OFF"})
# pyogrio logs every write ("Created 3 records") at INFO; the worker's log has better things to say.
logging.getLogger("pyogrio").setLevel(logging.WARNING)


def linked(source: Path, target: Path) -> Path:
    """``source`` under the name ``target`` (a symbolic link, or a copy where links are refused).

    GDAL chooses drivers and sidecar files by name, so readers look at a name of our choosing,
    alone in the scratch folder, never at the stored file's own name and neighbours.
    """
    try:
        os.symlink(source.resolve(), target)
    except OSError:
        shutil.copyfile(source, target)
    return target


@contextmanager
def quiet_gdal() -> Iterator[list[str]]:
    """Collect the warnings GDAL and pyogrio emit (e.g. dropped M values) instead of printing them."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        messages: list[str] = []
        try:
            yield messages
        finally:
            messages.extend(str(w.message) for w in caught)
