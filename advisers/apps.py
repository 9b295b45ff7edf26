from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvisersConfig(AppConfig):
    name = "advisers"
    verbose_name = _("Mental health tactical advisers")

    def ready(self):
        from accounts.permissions import Perm
        from core.navigation import register

        from . import policy  # noqa: F401 - registers who may see its records

        register(
            "advisers:roster",
            _("Roster"),
            _(
                "Who is on duty as mental health tactical adviser for Response, Contact and Custody."
            ),
            Perm.VIEW_ROSTER,
            order=60,
        )
