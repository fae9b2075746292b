from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldworkConfig(AppConfig):
    name = "landmosaic.fieldwork"
    label = "fieldwork"
    verbose_name = _("Field data")

    def ready(self) -> None:
        from . import tasks  # noqa: F401 - registers the job handlers
