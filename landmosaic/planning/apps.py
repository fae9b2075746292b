from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "landmosaic.planning"
    label = "planning"
    verbose_name = _("ILM planning")

    def ready(self) -> None:
        from . import tasks  # noqa: F401 - registers the job handler
