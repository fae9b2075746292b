from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LandscapesConfig(AppConfig):
    name = "landmosaic.landscapes"
    label = "landscapes"
    verbose_name = _("Landscapes")

    def ready(self) -> None:
        from landmosaic.core import permissions

        from . import selectors, tasks  # noqa: F401 - registers the job handlers

        permissions.register_role_source(
            roles=selectors.roles_for_user, principals=selectors.principals_for_user
        )
