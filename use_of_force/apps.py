from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UseOfForceConfig(AppConfig):
    name = "use_of_force"
    verbose_name = _("Force, search and restraint")

    def ready(self):
        from core.navigation import register

        from .policy import REVIEW

        register(
            "use_of_force:reviews",
            _("Force and restraint reviews"),
            _("Prone restraints and restraints at health-based places of safety to review."),
            REVIEW,
            order=36,
        )
