from django.urls import path  # noqa: F401 - the sections below add their routes

app_name = "maps"

urlpatterns: list = []

# Raster tiles rendered from the commons' Cloud-Optimised GeoTIFFs.
urlpatterns += []

# Point maps ("data maps") configured from tables with coordinates.
urlpatterns += []
