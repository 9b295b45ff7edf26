from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UseOfForceConfig(AppConfig):
    name = "use_of_force"
    verbose_name = _("Force, search and restraint")

    def ready(self):
        from core.navigation import register
        from detentions import history_sources

        from .models import ProtectiveSearch, UseOfForce
        from .policy import REVIEW

        # Force and searches are part of the detention's history (its history API).
        history_sources.add("use_of_force", UseOfForce, before="unlawful_act")
        history_sources.add("protective_search", ProtectiveSearch, before="unlawful_act")

        register(
            "use_of_force:reviews",
            _("Force and restraint reviews"),
            _("Prone restraints and restraints at health-based places of safety to review."),
            REVIEW,
            order=36,
        )
