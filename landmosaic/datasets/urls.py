from django.urls import path

from . import views

app_name = "datasets"

DATASET = "landscapes/<slug:slug>/data/<slug:dataset>/"

urlpatterns = [
    path("landscapes/<slug:slug>/data/", views.data_list, name="list"),
    path("landscapes/<slug:slug>/data/upload/", views.upload, name="upload"),
    path("landscapes/<slug:slug>/data/upload/progress/", views.progress, name="progress"),
    path(DATASET, views.detail, name="detail"),
    path(f"{DATASET}features.geojson", views.features, name="features"),
    path(f"{DATASET}versions/<int:number>/quicklook.png", views.quicklook, name="quicklook"),
    path(f"{DATASET}edit/", views.edit, name="edit"),
    path(f"{DATASET}sharing/", views.sharing, name="sharing"),
    path(f"{DATASET}versions/new/", views.version_new, name="version_new"),
    path(f"{DATASET}versions/<int:number>/download/<slug:fmt>/", views.download, name="download"),
    path(f"{DATASET}delete/", views.delete, name="delete"),
]
