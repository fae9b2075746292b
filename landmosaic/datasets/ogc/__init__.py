"""OGC API - Features (Part 1: Core, GeoJSON, HTML, OpenAPI 3.0) over the data commons, under ``/ogc/``.

Every vector dataset the caller may see is a collection: anonymous callers get the public ones;
a bearer token (``Authorization: Bearer <token>``, as QGIS and GDAL send it) or the browser session
adds the private and shared ones the person may see. Restricted and invisible datasets never
appear, and asking for one directly answers 404, never 403.

Collection ids are ``<landscape-slug>.<dataset-slug>``: stable (neither slug ever changes; a new
version keeps the id and serves the latest version), URL-safe (slugs hold only letters, digits,
``-`` and ``_``, so the dot separates them unambiguously) and readable in a GIS layer list.
Feature ids are the GeoPackage fids of the current version.

Features come from the version's normalised GeoPackage: the page is chosen with SQL on the
GeoPackage itself (its R-tree spatial index for ``bbox``, bound parameters for every value), then
read with pyogrio by fid and reprojected to CRS84. Reads are not written to the audit log.
"""
