from django.urls import path

from .views import pointmaps
from .views import tiles as tile_views

app_name = "maps"

urlpatterns: list = []

# Raster tiles rendered from the commons' Cloud-Optimised GeoTIFFs.
TILE = "versions/<int:number>/tiles/<int:z>/<int:x>/<int:y>.png"
urlpatterns += [
    path(f"landscapes/<slug:slug>/data/<slug:dataset>/{TILE}", tile_views.tile, name="tile"),
    path(f"d/<slug:token>/{TILE}", tile_views.link_tile, name="link_tile"),
]

# Point maps ("data maps") configured from tables with coordinates.
POINT_MAP = "landscapes/<slug:slug>/data-maps/<slug:point_map>/"
urlpatterns += [
    path(
        "landscapes/<slug:slug>/data/<slug:dataset>/maps/new/", pointmaps.point_map_new, name="point_map_new"
    ),
    path(POINT_MAP, pointmaps.point_map, name="point_map"),
    path(f"{POINT_MAP}data.geojson", pointmaps.point_map_data, name="point_map_data"),
    path(f"{POINT_MAP}edit/", pointmaps.point_map_edit, name="point_map_edit"),
    path(f"{POINT_MAP}delete/", pointmaps.point_map_delete, name="point_map_delete"),
]
