from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incidents")

    def ready(self):
        from . import attention  # the home page's panels (core/attention.py)

        attention.install()
        from accounts.permissions import Perm
        from core.navigation import register

        from . import policy  # noqa: F401 - registers who may see incidents

        # Incident pages (incidents/urls.py).
        register(
            "incident-list",
            _("Incidents"),
            _(
                "Mental-health-related incidents: log one, filter by date, NPU, category and outcome."
            ),
            Perm.VIEW_INCIDENTS,
            order=10,
        )
        register(
            "incident-new",
            _("Log an incident"),
            _("Record a mental-health-related incident and the Right Care Right Person decision."),
            Perm.RECORD_INCIDENTS,
            in_menu=False,
            order=11,
        )
        register(
            "incident-repeat-locations",
            _("Locations with repeated calls"),
            _("For multi-agency review: places, healthcare settings first, with repeated calls."),
            Perm.VIEW_INCIDENTS,
            in_menu=False,
            order=14,
        )
