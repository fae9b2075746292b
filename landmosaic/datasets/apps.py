from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DatasetsConfig(AppConfig):
    name = "landmosaic.datasets"
    label = "datasets"
    verbose_name = _("Data commons")

    def ready(self) -> None:
        from . import tasks  # noqa: F401 - registers the job handlers
