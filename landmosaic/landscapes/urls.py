from django.urls import path

from . import views

app_name = "landscapes"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("points.geojson", views.directory_points, name="directory_points"),
    path("new/", views.create, name="create"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/image/", views.image, name="image"),
    path("<slug:slug>/boundary/", views.boundary, name="boundary"),
    path("<slug:slug>/profile/", views.profile, name="profile"),
    path("<slug:slug>/partnership/", views.partnership, name="partnership"),
    path("<slug:slug>/delete/", views.delete, name="delete"),
    path("<slug:slug>/members/", views.members, name="members"),
    path("<slug:slug>/members/<int:member_id>/role/", views.member_role, name="member_role"),
    path("<slug:slug>/members/<int:member_id>/remove/", views.member_remove, name="member_remove"),
    path(
        "<slug:slug>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("<slug:slug>/join/", views.join_request_create, name="join"),
    path(
        "<slug:slug>/join-requests/<int:request_id>/", views.join_request_decide, name="join_request_decide"
    ),
    path("<slug:slug>/audit/", views.audit, name="audit"),
]
