"""Raster tiles of the data commons: any raster version the caller may see, by its dataset's address
or by a share link. Versions never change, so a tile is cached by the browser and revalidated by ETag."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from landmosaic.core.errors import NotFound, ValidationFailed
from landmosaic.datasets import selectors, storage
from landmosaic.datasets.models import Dataset

from .. import tiles

#: A year for private tiles (the URL carries the version and the page adds its checksum); public
#: tiles may sit in shared caches, for a day only, since a dataset may be made private again.
PRIVATE_CACHE = "private, max-age=31536000, immutable"
PUBLIC_CACHE = "public, max-age=86400"


def tile(request: HttpRequest, slug: str, dataset: str, number: int, z: int, x: int, y: int) -> HttpResponse:
    item = selectors.dataset_get(actor=request.user, landscape_slug=slug, slug=dataset)
    return _tile(request, item, number, z, x, y)


def link_tile(request: HttpRequest, token: str, number: int, z: int, x: int, y: int) -> HttpResponse:
    item, _link = selectors.dataset_by_link(token=token)
    return _tile(request, item, number, z, x, y)


def _tile(request: HttpRequest, item: Dataset, number: int, z: int, x: int, y: int) -> HttpResponse:
    if not tiles.valid_tile(z, x, y):
        raise ValidationFailed(
            _(
                "There is no tile %(z)s/%(x)s/%(y)s: the zoom goes from 0 to %(max)s, "
                "and x and y from 0 to 2^zoom - 1."
            )
            % {"z": z, "x": x, "y": y, "max": tiles.MAX_ZOOM}
        )
    version = selectors.version_get(actor=request.user, dataset=item, number=number)
    style = tiles.style_for(version.details or {})
    if item.kind != Dataset.Kind.RASTER or version.normalised_format != "cog" or style is None:
        raise NotFound(_("This version has no map tiles."))
    etag = f'"{version.original_sha256[:20]}-{version.pk}-{tiles.RENDER_VERSION}-{z}-{x}-{y}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    elif not tiles.tile_overlaps(z, x, y, version.bbox_4326):
        response = HttpResponse(tiles.empty_png(), content_type="image/png")
    else:
        with storage.version_file(version.normalised_path) as path:
            png = tiles.render_tile(path, z=z, x=x, y=y, style=style, bbox_4326=version.bbox_4326)
        response = HttpResponse(png, content_type="image/png")
    response["ETag"] = etag
    public = item.visibility == "public" and not item.restricted
    response["Cache-Control"] = PUBLIC_CACHE if public else PRIVATE_CACHE
    response["X-Content-Type-Options"] = "nosniff"
    response["Vary"] = "Cookie"
    return response
