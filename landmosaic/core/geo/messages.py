"""Translatable messages for boundary errors and warnings, kept free of Django."""

from __future__ import annotations

from landmosaic.core.coded_messages import CodedError, CodedMessage, MessageTable, gettext_noop

__all__ = ["LABELS", "MESSAGES", "WARNING_CODES", "BoundaryError", "BoundaryMessage", "gettext_noop"]


# Values that readers pass as `filename` when there is no file; render() translates them too.
DRAWN_AREA = gettext_noop("the drawn area")
LABELS: frozenset[str] = frozenset({DRAWN_AREA})

MESSAGES: dict[str, str] = {
    # The file as a whole.
    "empty_file": gettext_noop(
        "%(filename)s is empty. Choose the file again; the upload may have been interrupted."
    ),
    "file_too_large": gettext_noop(
        "%(filename)s is %(size_mb)s MB, more than the %(limit_mb)s MB allowed. "
        "Simplify the boundary or upload only the outline of the landscape."
    ),
    "unrecognised_format": gettext_noop(
        "%(filename)s is not in a format Landmosaic can read. "
        "Upload GeoJSON, KML, KMZ, GPX or a zipped shapefile."
    ),
    "unsupported_format": gettext_noop(
        "%(filename)s looks like a %(format)s file, which Landmosaic cannot read. "
        "Export the boundary as GeoJSON, KML, GPX or a zipped shapefile."
    ),
    "shapefile_not_zipped": gettext_noop(
        "%(filename)s is only one part of a shapefile. Put the .shp, .shx, .dbf and .prj files "
        "together in one zip archive and upload the zip."
    ),
    "invalid_json": gettext_noop(
        "%(filename)s is not valid JSON: it breaks at line %(line)s, column %(column)s. "
        "The file may be truncated; export it again."
    ),
    "invalid_geojson": gettext_noop(
        "%(filename)s is JSON but not GeoJSON: it is not a FeatureCollection, a Feature or a geometry. "
        "Export the layer as GeoJSON."
    ),
    "corrupt_kml": gettext_noop(
        "%(filename)s could not be read as KML: the XML breaks at line %(line)s, column %(column)s. "
        "The file may be truncated; export it again."
    ),
    "corrupt_gpx": gettext_noop(
        "%(filename)s could not be read as GPX: the XML breaks at line %(line)s, column %(column)s. "
        "The file may be truncated; export it again."
    ),
    "xml_forbidden": gettext_noop(
        "%(filename)s contains XML declarations (DOCTYPE or ENTITY) that are refused for security "
        "reasons. Export the file again from a mapping application, which does not add them."
    ),
    "no_features": gettext_noop(
        "%(filename)s contains no features with a geometry. Check that you exported the layer "
        "with the boundary and that it is not empty."
    ),
    # Zip archives (shapefile, KMZ).
    "corrupt_zip": gettext_noop(
        "%(filename)s is not a readable zip archive; it may be truncated or damaged. "
        "Create the zip again and upload it."
    ),
    "zip_no_boundary": gettext_noop(
        "%(filename)s contains no shapefile (.shp) and no KML file. "
        "Zip the .shp, .shx, .dbf and .prj files of the boundary layer and upload that zip."
    ),
    "zip_multiple_layers": gettext_noop(
        "%(filename)s contains %(count)s shapefiles (%(names)s). Upload a zip with only the boundary layer."
    ),
    "zip_too_many_members": gettext_noop(
        "%(filename)s contains %(count)s files, more than the %(limit)s allowed. "
        "Zip only the files of the boundary layer."
    ),
    "zip_unsafe_path": gettext_noop(
        "%(filename)s contains a file with an unsafe path (%(member)s), so it was refused. "
        "Create the zip again from the folder that holds the boundary files."
    ),
    "zip_nested": gettext_noop(
        "%(filename)s contains another archive (%(member)s). Unpack it and zip the boundary files directly."
    ),
    "zip_encrypted": gettext_noop(
        "%(filename)s is protected by a password (%(member)s). Create the zip again without a password."
    ),
    "zip_too_large": gettext_noop(
        "%(filename)s unpacks to more than %(limit_mb)s MB. "
        "Zip only the boundary layer, or simplify it before exporting."
    ),
    "zip_compression_ratio": gettext_noop(
        "%(member)s in %(filename)s is compressed more than %(limit)s times, which is how zip bombs "
        "look, so the archive was refused. Zip the boundary files again with ordinary settings."
    ),
    "shapefile_missing_parts": gettext_noop(
        "The shapefile %(member)s in %(filename)s is missing %(missing)s. "
        "A shapefile needs its .shp, .shx and .dbf files (and .prj): zip them together."
    ),
    "corrupt_shapefile": gettext_noop(
        "The shapefile %(member)s in %(filename)s could not be read; it may be damaged. "
        "Export the layer again as a shapefile or as GeoJSON."
    ),
    # Features and their geometry.
    "malformed_geometry": gettext_noop(
        "Feature %(feature)s of %(filename)s has a malformed geometry that cannot be read. "
        "Export the layer again from the application that made it."
    ),
    "not_polygon": gettext_noop(
        "Feature %(feature)s of %(filename)s is a %(geom_type)s; a boundary must be a polygon. "
        "Draw the area or export the layer as polygons."
    ),
    "open_track": gettext_noop(
        "Track %(feature)s of %(filename)s is not a polygon: it ends %(gap_m)s m from where it starts, "
        "so it does not enclose an area. Record or draw the track back to its start."
    ),
    "invalid_coordinate": gettext_noop(
        "Feature %(feature)s of %(filename)s has a coordinate that is not a number (%(value)s). "
        "Export the layer again from the application that made it."
    ),
    "coordinate_too_large": gettext_noop(
        "Feature %(feature)s of %(filename)s has a coordinate of %(value)s, too large for any map. "
        "Check the layer in a GIS and export it again."
    ),
    "too_few_positions": gettext_noop(
        "Ring %(ring)s of feature %(feature)s in %(filename)s has %(count)s positions; a polygon ring "
        "needs at least 4 (three corners and the first one repeated). Draw the area again."
    ),
    "ring_not_closed": gettext_noop(
        "Ring %(ring)s of feature %(feature)s in %(filename)s is not closed: its last position is not "
        "its first. Close the polygon in a GIS and export it again."
    ),
    "self_intersection": gettext_noop(
        "Feature %(feature)s of %(filename)s crosses itself near longitude %(lon)s, latitude %(lat)s. "
        "Fix the outline there (edges must not cross) and upload it again."
    ),
    "invalid_polygon": gettext_noop(
        "Feature %(feature)s of %(filename)s is not a valid polygon (%(reason)s) near longitude %(lon)s, "
        "latitude %(lat)s. Fix the outline there in a GIS and upload it again."
    ),
    "zero_area": gettext_noop(
        "Feature %(feature)s of %(filename)s encloses no area: its corners lie on one line or one point. "
        "Draw the area again."
    ),
    "boundary_too_small": gettext_noop(
        "The boundary in %(filename)s is smaller than a square centimetre. "
        "Check that the layer is in the right units and draw the area again."
    ),
    "too_many_vertices": gettext_noop(
        "%(filename)s has more than %(limit)s vertices. "
        "Simplify the boundary (a tolerance of a few metres is usually enough) and upload it again."
    ),
    # Coordinate reference systems.
    "no_crs_not_lonlat": gettext_noop(
        "%(filename)s has no coordinate reference system (.prj file) and its coordinates "
        "(for example %(x)s, %(y)s) are not longitude/latitude. "
        "Add the .prj file that came with the shapefile to the zip."
    ),
    "coordinates_out_of_range": gettext_noop(
        "%(filename)s has coordinates outside the longitude/latitude range (for example %(x)s, %(y)s); "
        "they are probably projected. %(format)s must use longitude/latitude in WGS 84: "
        "export the layer again in EPSG:4326."
    ),
    "coordinates_outside_crs": gettext_noop(
        "%(filename)s declares the geographic system %(crs)s, but its coordinates (for example %(x)s, "
        "%(y)s) are not longitude/latitude. Export the layer again with its correct coordinate system."
    ),
    "unknown_crs": gettext_noop(
        "The coordinate reference system of %(filename)s (%(crs)s) is not recognised. "
        "Export the layer again in EPSG:4326 (longitude/latitude)."
    ),
    "reprojection_failed": gettext_noop(
        "The coordinates of %(filename)s could not be converted from %(crs)s to longitude/latitude; "
        "they do not fit that coordinate system. Export the layer again in EPSG:4326."
    ),
    "invalid_point": gettext_noop(
        "The point %(lon)s, %(lat)s is not a valid position: longitude must be between -180 and 180 "
        "and latitude between -90 and 90."
    ),
    # Warnings: the boundary was accepted, but the user should know.
    "assumed_wgs84": gettext_noop(
        "%(filename)s has no coordinate reference system (.prj file); its coordinates look like "
        "longitude/latitude, so EPSG:4326 was assumed."
    ),
    "reprojected": gettext_noop("%(filename)s was converted from %(crs)s to longitude/latitude (EPSG:4326)."),
    "outside_crs_area": gettext_noop(
        "The boundary in %(filename)s lies outside the area where %(crs)s is used; "
        "check on the map that it is in the right place."
    ),
    "extension_mismatch": gettext_noop(
        "%(filename)s is named like another format but contains %(format)s; it was read as %(format)s."
    ),
    "features_dissolved": gettext_noop(
        "The %(count)s polygon features of %(filename)s were merged into one boundary."
    ),
    "features_without_geometry": gettext_noop(
        "%(count)s features of %(filename)s have no geometry and were ignored."
    ),
    "track_closed": gettext_noop(
        "Track %(feature)s of %(filename)s ended %(gap_m)s m from its start; the two ends were joined "
        "to close the area."
    ),
}

# Codes that come as Boundary.warnings (the boundary was accepted); all others are refusals.
WARNING_CODES: frozenset[str] = frozenset(
    {
        "assumed_wgs84",
        "reprojected",
        "outside_crs_area",
        "extension_mismatch",
        "features_dissolved",
        "features_without_geometry",
        "track_closed",
    }
)


_TABLE = MessageTable(templates=MESSAGES, labels=LABELS)


class BoundaryMessage(CodedMessage):
    """A warning (or the content of an error): stable code plus the parameters of its template."""

    table = _TABLE


class BoundaryError(CodedError):
    """Refusal of a boundary, with a stable `code` and the `params` of its MESSAGES template."""

    table = _TABLE
