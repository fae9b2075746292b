from django.urls import path, re_path

from . import openrosa, views
from .views import webform

app_name = "fieldwork"

FORM = "landscapes/<slug:slug>/field-data/forms/<int:form_pk>/"
# Collect appends "/formList" to the server URL, so a URL saved with a trailing slash gives "//formList".
KEY = r"^collect/(?P<key>[A-Za-z0-9_-]{1,200})/+"

urlpatterns = [
    path("landscapes/<slug:slug>/field-data/", views.field_data, name="field_data"),
    path("landscapes/<slug:slug>/field-data/build/", views.form_build, name="form_build"),
    path("landscapes/<slug:slug>/field-data/collectors/", views.collectors, name="collectors"),
    path(
        "landscapes/<slug:slug>/field-data/collectors/<int:access_pk>/revoke/",
        views.collector_revoke,
        name="collector_revoke",
    ),
    path(FORM, views.form_detail, name="form"),
    path(f"{FORM}build/", views.form_rebuild, name="form_rebuild"),
    path(f"{FORM}fill/", webform.webform_fill, name="webform"),
    path(f"{FORM}fill/submit/", webform.webform_submit_view, name="webform_submit"),
    path("landscapes/<slug:slug>/field-data/sw.js", webform.webform_service_worker, name="webform_sw"),
    path(f"{FORM}upload/", views.form_upload_version, name="form_upload_version"),
    path(f"{FORM}status/", views.form_status, name="form_status"),
    path(f"{FORM}media/", views.media_add, name="media_add"),
    path(f"{FORM}media/<int:media_pk>/", views.media_download, name="media_download"),
    path(f"{FORM}media/<int:media_pk>/delete/", views.media_delete, name="media_delete"),
    path(
        f"{FORM}versions/<int:version_pk>/form.xlsx",
        views.version_download,
        {"kind": "xlsx"},
        name="version_xlsform",
    ),
    path(
        f"{FORM}versions/<int:version_pk>/form.xml",
        views.version_download,
        {"kind": "xml"},
        name="version_xform",
    ),
    path(f"{FORM}records/", views.records, name="records"),
    path(f"{FORM}records.geojson", views.records_geojson, name="records_geojson"),
    path(f"{FORM}records.csv", views.records_csv, name="records_csv"),
    path(f"{FORM}records/<int:record_pk>/", views.record_detail, name="record"),
    path(
        f"{FORM}records/<int:record_pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment",
    ),
    # OpenRosa 1.0 for ODK Collect / KoboCollect.
    re_path(rf"{KEY}$", openrosa.form_list, name="openrosa_root"),
    re_path(rf"{KEY}formList$", openrosa.form_list, name="openrosa_form_list"),
    re_path(rf"{KEY}submission$", openrosa.submission, name="openrosa_submission"),
    re_path(
        rf"{KEY}forms/(?P<form_id>[A-Za-z0-9_.-]+)/form\.xml$", openrosa.form_download, name="openrosa_form"
    ),
    re_path(
        rf"{KEY}forms/(?P<form_id>[A-Za-z0-9_.-]+)/manifest$", openrosa.manifest, name="openrosa_manifest"
    ),
    re_path(
        rf"{KEY}forms/(?P<form_id>[A-Za-z0-9_.-]+)/media/(?P<filename>[^/]+)$",
        openrosa.media_download,
        name="openrosa_media",
    ),
    re_path(rf"{KEY}(?P<rest>.*)$", openrosa.not_found),
]
