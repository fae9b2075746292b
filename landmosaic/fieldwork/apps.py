from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldworkConfig(AppConfig):
    name = "landmosaic.fieldwork"
    label = "fieldwork"
    verbose_name = _("Field data")

    def ready(self) -> None:
        from landmosaic.datasets.panels import register_dataset_panel
        from landmosaic.datasets.services import register_sharing_listener

        from . import services, tasks  # noqa: F401 - tasks registers the job handlers
        from .views.commons import dataset_panel

        # A form's repeat tables share exactly as its records' dataset does, and their pages link.
        register_sharing_listener(services.children_follow_sharing)
        register_dataset_panel(dataset_panel)
