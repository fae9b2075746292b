from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "landmosaic.api"
    label = "api"
