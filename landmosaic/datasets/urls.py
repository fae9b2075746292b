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
    path(f"{DATASET}sharing/links/", views.link_create, name="link_create"),
    path(f"{DATASET}sharing/links/<int:link_id>/revoke/", views.link_revoke, name="link_revoke"),
    path(f"{DATASET}sharing/people/", views.grant_create, name="grant_create"),
    path(f"{DATASET}sharing/people/<int:grant_id>/revoke/", views.grant_revoke, name="grant_revoke"),
    path(f"{DATASET}versions/new/", views.version_new, name="version_new"),
    path(f"{DATASET}versions/<int:number>/download/<slug:fmt>/", views.download, name="download"),
    path(f"{DATASET}delete/", views.delete, name="delete"),
    # "Anyone with the link": the token is the only key, so these pages name no landscape.
    path("d/<slug:token>/", views.link_detail, name="link"),
    path("d/<slug:token>/features.geojson", views.link_features, name="link_features"),
    path("d/<slug:token>/versions/<int:number>/quicklook.png", views.link_quicklook, name="link_quicklook"),
    path(
        "d/<slug:token>/versions/<int:number>/download/<slug:fmt>/", views.link_download, name="link_download"
    ),
]
