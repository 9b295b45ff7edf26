from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incidents, people and detentions")

    def ready(self):
        from accounts.permissions import Perm
        from core.navigation import register

        # Detention pages (incidents/detention_urls.py).
        register(
            "detention-board",
            _("Active detentions"),
            _("Every active s136 and s135 detention, sorted by time left, with checks due."),
            Perm.VIEW_DETENTIONS,
            order=20,
        )
        register(
            "detention-start",
            _("Start a detention"),
            _("Record a section 136 or 135(1) detention from the street."),
            Perm.RECORD_DETENTIONS,
            in_menu=False,
            order=21,
        )
