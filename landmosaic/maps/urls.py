from django.urls import path

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
urlpatterns += []
