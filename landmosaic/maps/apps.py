from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MapsConfig(AppConfig):
    name = "landmosaic.maps"
    label = "maps"
    verbose_name = _("Maps")

    def ready(self) -> None:
        from landmosaic.datasets import panels

        from .views import pointmaps

        # The data commons' pages list point maps through its panels, since it cannot import maps.
        panels.register_dataset_panel(pointmaps.dataset_panel)
        panels.register_landscape_data_panel(pointmaps.landscape_data_panel)
