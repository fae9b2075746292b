from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "landmosaic.planning"
    label = "planning"
    verbose_name = _("ILM planning")

    def ready(self) -> None:
        from . import demo, tasks  # noqa: F401 - register the demo step and the job handler
