"""OGC API - Features, mounted at /ogc/ (paths without a trailing slash, as the standard writes them)."""

from django.urls import path

from . import views

app_name = "ogc"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("conformance", views.conformance, name="conformance"),
    path("api", views.api, name="api"),
    path("collections", views.collections, name="collections"),
    path("collections/<str:collection>", views.collection, name="collection"),
    path("collections/<str:collection>/items", views.items, name="items"),
    path("collections/<str:collection>/items/<str:feature>", views.item, name="item"),
]
