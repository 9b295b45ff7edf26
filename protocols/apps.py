from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtocolsConfig(AppConfig):
    name = "protocols"
    verbose_name = _("Joint protocols with partners")

    def ready(self):
        from accounts.permissions import Perm
        from core.navigation import register

        from . import policy  # noqa: F401 - registers who may see its records

        register(
            "protocols:list",
            _("Protocols"),
            _("Joint protocols agreed with health and social care partners, and their reviews."),
            Perm.VIEW_PROTOCOLS,
            order=61,
        )
        register(
            "protocols:overdue",
            _("Protocols overdue for review"),
            _("Protocols whose review date has passed, and those due in the next 30 days."),
            Perm.VIEW_PROTOCOLS,
            in_menu=False,
            order=62,
        )
