"""Translatable messages for ingest errors and warnings, kept free of Django.

Each message is a stable code plus the parameters of its template, so that the text is rendered in the
reader's language when shown (warnings stored on a version are rendered per request). Parameters whose
value is one of ``LABELS`` are translated too.
"""

from __future__ import annotations

from typing import Any

from landmosaic.core.coded_messages import CodedError, CodedMessage, MessageTable, gettext_noop
from landmosaic.core.geo.messages import BoundaryError

# Words passed as parameters and translated when the message is rendered.
KIND_LABELS = {
    "vector": gettext_noop("map data (points, lines or polygons)"),
    "table": gettext_noop("a table without coordinates"),
    "raster": gettext_noop("a raster"),
    "document": gettext_noop("a document"),
}
FAMILY_LABELS = {
    "points": gettext_noop("points"),
    "lines": gettext_noop("lines"),
    "polygons": gettext_noop("polygons"),
}
#: Table Schema types as words, for messages about values that do not fit their column.
TYPE_LABELS = {
    "integer": gettext_noop("whole-number"),
    "number": gettext_noop("numeric"),
    "boolean": gettext_noop("true/false"),
    "date": gettext_noop("date"),
    "datetime": gettext_noop("date-and-time"),
}
LABELS: frozenset[str] = frozenset({*KIND_LABELS.values(), *FAMILY_LABELS.values(), *TYPE_LABELS.values()})

MESSAGES: dict[str, str] = {
    # --- The file as a whole ------------------------------------------------------------------
    "empty_file": gettext_noop(
        "%(filename)s is empty. Choose the file again; the upload may have been interrupted."
    ),
    "file_too_large": gettext_noop(
        "%(filename)s is %(size_mb)s MB, more than the %(limit_mb)s MB allowed for one file. "
        "Split the data into smaller files, or ask the platform's operators to raise the limit."
    ),
    "unrecognised_format": gettext_noop(
        "%(filename)s is not in a format Landmosaic can read. Upload CSV, XLSX, GeoJSON, KML, KMZ, GPX, "
        "a zipped shapefile, GeoPackage, FlatGeobuf, GeoTIFF, or a document (PDF, DOCX, PPTX, image)."
    ),
    "legacy_excel": gettext_noop(
        "%(filename)s is an old Excel workbook (.xls), which Landmosaic cannot read. "
        "Open it in a spreadsheet application, save it as .xlsx or CSV, and upload that file."
    ),
    "osm_not_supported": gettext_noop(
        "%(filename)s is an OpenStreetMap extract, which Landmosaic cannot read yet. Open it in QGIS, "
        "save the layers you need as GeoPackage, and upload that file."
    ),
    "sqlite_not_geopackage": gettext_noop(
        "%(filename)s is an SQLite database but not a GeoPackage. Export the layers as GeoPackage "
        "(for example from QGIS) and upload that file."
    ),
    "shapefile_not_zipped": gettext_noop(
        "%(filename)s is only one part of a shapefile. Put the .shp, .shx, .dbf and .prj files "
        "together in one zip archive and upload the zip."
    ),
    "binary_not_text": gettext_noop(
        "%(filename)s is named like a text table but contains binary data. "
        "Export the table again as CSV (comma- or semicolon-separated text) and upload it."
    ),
    "corrupt_file": gettext_noop(
        "%(filename)s could not be read as %(format)s; it may be damaged or truncated. "
        "Export it again from the application that made it and upload the new file."
    ),
    "corrupt_layer": gettext_noop(
        "Layer “%(layer)s” of %(filename)s could not be read; it may be damaged. "
        "Export the layer again and upload the new file."
    ),
    "invalid_json": gettext_noop(
        "%(filename)s is not valid JSON: it breaks at line %(line)s, column %(column)s. "
        "The file may be truncated; export it again."
    ),
    "not_geojson": gettext_noop(
        "%(filename)s is JSON but not GeoJSON: it is not a FeatureCollection, a Feature or a geometry. "
        "Export the layer as GeoJSON."
    ),
    "xml_forbidden": gettext_noop(
        "%(filename)s contains XML declarations (DOCTYPE or ENTITY) that are refused for security "
        "reasons. Export the file again from a mapping application, which does not add them."
    ),
    "corrupt_xml": gettext_noop(
        "%(filename)s could not be read as %(format)s: the XML breaks at line %(line)s, column "
        "%(column)s. The file may be truncated; export it again."
    ),
    # --- Zip archives ---------------------------------------------------------------------------
    "corrupt_zip": gettext_noop(
        "%(filename)s is not a readable zip archive; it may be truncated or damaged. "
        "Create the zip again and upload it."
    ),
    "zip_no_data": gettext_noop(
        "%(filename)s contains no shapefile (.shp) and no KML file. "
        "Zip the .shp, .shx, .dbf and .prj files of one layer, or upload other files without zipping them."
    ),
    "zip_multiple_shapefiles": gettext_noop(
        "%(filename)s contains %(count)s shapefiles (%(names)s). Landmosaic cannot tell which one you "
        "mean: upload one zip per shapefile."
    ),
    "zip_too_many_members": gettext_noop(
        "%(filename)s contains %(count)s files, more than the %(limit)s allowed. "
        "Zip only the files of the layer you want to upload."
    ),
    "zip_unsafe_path": gettext_noop(
        "%(filename)s contains a file with an unsafe path (%(member)s), so it was refused. "
        "Create the zip again from the folder that holds the files."
    ),
    "zip_nested": gettext_noop(
        "%(filename)s contains another archive (%(member)s). Unpack it and zip the files directly."
    ),
    "zip_encrypted": gettext_noop(
        "%(filename)s is protected by a password (%(member)s). Create the zip again without a password."
    ),
    "zip_too_large": gettext_noop(
        "%(filename)s unpacks to more than %(limit_mb)s MB. Zip fewer files, or split the layer."
    ),
    "zip_compression_ratio": gettext_noop(
        "%(member)s in %(filename)s is compressed more than %(limit)s times, which is how zip bombs "
        "look, so the archive was refused. Zip the files again with ordinary settings."
    ),
    "shapefile_missing_parts": gettext_noop(
        "The shapefile %(member)s in %(filename)s is missing %(missing)s. "
        "A shapefile needs its .shp, .shx and .dbf files (and .prj): zip them together."
    ),
    # --- Coordinate reference systems ----------------------------------------------------------
    "no_crs_not_lonlat": gettext_noop(
        "Layer “%(layer)s” of %(filename)s has no coordinate reference system (.prj file) and its "
        "coordinates (for example %(x)s, %(y)s) are not longitude/latitude. "
        "Add the .prj file that came with the shapefile to the zip."
    ),
    "unknown_crs": gettext_noop(
        "The coordinate reference system of %(filename)s (%(crs)s) is not recognised. "
        "Export the layer again with an EPSG coordinate system, for example EPSG:4326."
    ),
    "coordinates_not_lonlat": gettext_noop(
        "Feature %(feature)s of layer “%(layer)s” in %(filename)s has coordinates (%(x)s, %(y)s) outside "
        "the longitude/latitude range that %(crs)s requires; they are probably projected. "
        "Export the layer again with its correct coordinate system."
    ),
    "wkt_not_lonlat": gettext_noop(
        "The geometries in column %(column)s of %(filename)s are not longitude/latitude (for example "
        "%(x)s, %(y)s). WKT in a table is read as longitude/latitude (EPSG:4326): export the table again "
        "in EPSG:4326."
    ),
    # --- Tables ---------------------------------------------------------------------------------
    "no_header": gettext_noop(
        "The first row of %(filename)s is empty. The first row must hold the column names; "
        "remove the empty rows above the table and upload it again."
    ),
    "no_rows": gettext_noop(
        "%(filename)s has column names but no rows of data. Check that you exported the right sheet or file."
    ),
    "coordinate_not_number": gettext_noop(
        "Row %(row)s of %(filename)s: the %(column)s value “%(value)s” is not a number. Coordinates must "
        "be decimal degrees such as -8.1234. Correct the row (or leave both coordinates empty) and "
        "upload the file again."
    ),
    "coordinate_missing_pair": gettext_noop(
        "Row %(row)s of %(filename)s has a value in column %(present)s but none in column %(missing)s. "
        "Give both coordinates, or neither, and upload the file again."
    ),
    "latitude_out_of_range": gettext_noop(
        "Row %(row)s of %(filename)s: the latitude %(value)s in column %(column)s is outside -90 to 90. "
        "Correct the row and upload the file again."
    ),
    "longitude_out_of_range": gettext_noop(
        "Row %(row)s of %(filename)s: the longitude %(value)s in column %(column)s is outside -180 to "
        "180. Correct the row and upload the file again."
    ),
    "coordinates_swapped": gettext_noop(
        "In %(filename)s every value of the latitude column %(lat)s is outside -90 to 90, while every "
        "value of the longitude column %(lon)s would be a valid latitude: the two columns look swapped. "
        "Exchange the names of the two columns and upload the file again."
    ),
    "invalid_wkt": gettext_noop(
        "Row %(row)s of %(filename)s: the %(column)s value “%(value)s” is not a geometry in WKT (such as "
        "POINT (36.1 -8.2)). Correct the row and upload the file again."
    ),
    # --- Vector layers --------------------------------------------------------------------------
    "no_features": gettext_noop(
        "%(filename)s contains no features. Check that you exported the right layer and that it is not empty."
    ),
    "malformed_geometry": gettext_noop(
        "Feature %(feature)s of layer “%(layer)s” in %(filename)s has a malformed geometry that cannot be "
        "read. Export the layer again from the application that made it."
    ),
    "coordinate_not_finite": gettext_noop(
        "Feature %(feature)s of layer “%(layer)s” in %(filename)s has a coordinate that is not a number "
        "(NaN or infinite). Fix the feature in a GIS and upload the file again."
    ),
    "coordinate_too_large": gettext_noop(
        "Feature %(feature)s of layer “%(layer)s” in %(filename)s has a coordinate of %(value)s, too "
        "large for any map. Check the feature in a GIS and upload the file again."
    ),
    "unrepairable_geometry": gettext_noop(
        "Feature %(feature)s of layer “%(layer)s” in %(filename)s has an invalid geometry (%(reason)s) "
        "that cannot be repaired without changing its kind. Fix it in a GIS and upload the file again."
    ),
    "mixed_collection": gettext_noop(
        "Feature %(feature)s of layer “%(layer)s” in %(filename)s mixes points, lines and polygons in "
        "one geometry collection. Split it into separate features and upload the file again."
    ),
    # --- New versions ---------------------------------------------------------------------------
    "version_kind_mismatch": gettext_noop(
        "%(filename)s holds %(found)s, but this dataset holds %(expected)s. Upload a file of the same "
        "kind as a new version, or create a new dataset with it."
    ),
    "version_several_parts": gettext_noop(
        "%(filename)s contains %(count)s layers (%(names)s), but a new version must hold exactly one. "
        "Upload a file with only this dataset's layer."
    ),
    # --- Rasters --------------------------------------------------------------------------------
    "raster_too_large": gettext_noop(
        "%(filename)s is %(width)s × %(height)s pixels (%(megapixels)s million), more than the "
        "%(limit)s million pixels allowed for one raster. Cut it into tiles or resample it to a coarser "
        "resolution (for example in QGIS or with gdal_translate) and upload the parts."
    ),
    # --- Rows published by the platform (field data, tables made by a service) ------------------
    "rows_no_columns": gettext_noop("%(filename)s: no columns were given, so there is no table to publish."),
    "rows_duplicate_column": gettext_noop(
        "%(filename)s: the column %(column)s is given twice. Give every column a different name."
    ),
    "rows_geometry_column_missing": gettext_noop(
        "%(filename)s: the position is to be read from column %(column)s, which is not among the columns."
    ),
    # --- Warnings: accepted, but the user should know ------------------------------------------
    "encoding_fallback": gettext_noop(
        "%(filename)s is not UTF-8 text; it was read as %(encoding)s. Check that accented letters look "
        "right in the preview."
    ),
    "extension_mismatch": gettext_noop(
        "%(filename)s is named like another format but contains %(format)s; it was read as %(format)s."
    ),
    "assumed_wgs84": gettext_noop(
        "Layer “%(layer)s” of %(filename)s has no coordinate reference system (.prj file); its "
        "coordinates look like longitude/latitude, so EPSG:4326 (WGS 84) was assumed."
    ),
    "invalid_repaired": gettext_noop(
        "%(count)s invalid geometries in layer “%(layer)s” of %(filename)s were repaired "
        "(features %(features)s); check them on the map."
    ),
    "z_dropped": gettext_noop(
        "Layer “%(layer)s” of %(filename)s has heights (Z values); the archival copy keeps only the "
        "horizontal position. The original file keeps the heights."
    ),
    "m_dropped": gettext_noop(
        "Layer “%(layer)s” of %(filename)s has measures (M values), which were dropped from the "
        "archival copy. The original file keeps them."
    ),
    "curves_linearised": gettext_noop(
        "Layer “%(layer)s” of %(filename)s has curved geometries (%(types)s); they were converted to "
        "straight segments in the archival copy. The original file keeps the curves."
    ),
    "rows_without_coordinates": gettext_noop(
        "%(count)s rows of %(filename)s have no coordinates (for example row %(row)s); they are kept "
        "without a position."
    ),
    "features_without_geometry": gettext_noop(
        "%(count)s features of layer “%(layer)s” in %(filename)s have no geometry; they are kept without one."
    ),
    "empty_layers_skipped": gettext_noop("Empty layers of %(filename)s were skipped: %(names)s."),
    "projected_xy_kept_as_table": gettext_noop(
        "Columns %(x)s and %(y)s of %(filename)s do not hold longitude/latitude, so the file was kept as "
        "a table without a map."
    ),
    "split_by_geometry": gettext_noop(
        "Layer “%(layer)s” of %(filename)s mixes %(families)s; each kind became its own dataset."
    ),
    "fields_renamed": gettext_noop(
        "Some column names of %(filename)s could not be kept as they were and were renamed: %(names)s."
    ),
    "rows_column_as_text": gettext_noop(
        "Column %(column)s of %(filename)s should hold %(type)s values, but row %(row)s holds “%(value)s”; "
        "the column was kept as text."
    ),
    "rows_datetime_zones_mixed": gettext_noop(
        "Column %(column)s of %(filename)s mixes date-times with and without a time zone (row %(row)s has "
        "none); the column was stored without time zones, as local times."
    ),
    "raster_no_preview": gettext_noop(
        "No map preview could be drawn for %(filename)s; the raster itself was stored and can be downloaded."
    ),
    "no_crs_raster": gettext_noop(
        "%(filename)s has no coordinate reference system, so it is kept as an image, not a map layer."
    ),
}


_TABLE = MessageTable(templates=MESSAGES, labels=LABELS)


class IngestMessage(CodedMessage):
    """A warning: a stable code and the parameters of its template."""

    table = _TABLE


class IngestError(CodedError):
    """Refusal of an upload, with a stable ``code`` and the ``params`` of its template."""

    table = _TABLE


# Zip safety checks come from core.geo.safezip and speak of boundaries; the same codes get the
# dataset wording here, with the same parameters.
_ZIP_CODES = {
    "corrupt_zip",
    "zip_too_many_members",
    "zip_unsafe_path",
    "zip_nested",
    "zip_encrypted",
    "zip_too_large",
    "zip_compression_ratio",
    "xml_forbidden",
}


def from_boundary_error(exc: BoundaryError, *, format_label: str = "") -> IngestError:
    """The dataset wording of a refusal raised by the shared zip/XML safety helpers."""
    if exc.code in _ZIP_CODES:
        return IngestError(exc.code, **exc.params)
    if exc.code in ("corrupt_kml", "corrupt_gpx"):
        return IngestError("corrupt_xml", format=format_label, **exc.params)
    return IngestError("corrupt_file", filename=exc.params.get("filename", ""), format=format_label)


def short_list(items: list[Any], *, limit: int = 5) -> str:
    """ "1, 4, 9" or "1, 4, 9, 12, 15 …" for messages that name examples."""
    shown = ", ".join(str(item) for item in items[:limit])
    return shown + (" …" if len(items) > limit else "")
