from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScenariosConfig(AppConfig):
    name = "landmosaic.scenarios"
    label = "scenarios"
    verbose_name = _("Land-use scenarios")

    def ready(self) -> None:
        from . import tasks  # noqa: F401 - registers the job handler
