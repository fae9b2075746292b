from django.urls import path
from django.views.generic import TemplateView

from . import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("language/", views.set_language, name="set_language"),
    path("notifications/", views.notifications, name="notifications"),
    path("jobs/<uuid:job_id>/", views.job, name="job"),
    path("about/", TemplateView.as_view(template_name="web/about.html"), name="about"),
]
