"""Ingest of uploaded files into datasets, free of Django: sniff, read, check, normalise, inspect.

Everything here works on local files and raises ``IngestError`` (a stable code with the file,
layer, row or feature concerned); the datasets app stores the results and renders the messages.

Rules an upload follows (each produced dataset is a ``Part``):
- Each layer of a multi-layer file (GeoPackage, KML folders, GPX waypoints/routes/tracks) becomes
  its own dataset; empty layers are skipped with a warning. A zip holds one shapefile or a KMZ.
- A layer mixing points, lines and polygons is split into one dataset per kind; singles and multis
  of one kind become multis. Geometry collections of one kind are taken, mixed ones refused.
- Curves are linearised, heights and measures dropped (the original keeps them), with a warning.
- The archival copy keeps the file's CRS; without one, longitude/latitude is assumed only when
  every coordinate fits it. Invalid lines and polygons are repaired with make_valid when the
  result keeps their kind, and the repaired features are named.
- Tables: latitude/longitude columns (or a WKT column) make points; otherwise a UTF-8 CSV with a
  Frictionless Table Schema. Bad coordinates refuse the file, naming the row; nothing is swapped.
- Rasters: a Cloud-Optimised GeoTIFF in the original CRS, statistics, and a quicklook PNG.
- Rows given by code (``ingest_rows``: field records, generated tables) go through the same writers.
- Vector layers and CSV points are read, checked and written in batches (``IngestLimits.batch_rows``,
  see ``stream``), so memory stays bounded whatever the size of the layer.
"""

from .limits import IngestLimits
from .messages import MESSAGES, IngestError, IngestMessage
from .normalise import Part
from .pipeline import STEPS, IngestResult, ingest_file, ingest_rows
from .sniff import FORMATS, Format, sniff_head

__all__ = [
    "FORMATS",
    "MESSAGES",
    "STEPS",
    "Format",
    "IngestError",
    "IngestLimits",
    "IngestMessage",
    "IngestResult",
    "Part",
    "ingest_file",
    "ingest_rows",
    "sniff_head",
]
