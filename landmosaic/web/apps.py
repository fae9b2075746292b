from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "landmosaic.web"
    label = "web"
