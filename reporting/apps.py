from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self):
        from . import attention  # the home page's panels (core/attention.py)

        attention.install()
        from accounts.permissions import Perm
        from core.navigation import register

        from . import policy  # noqa: F401 - registers who may see exports

        register(
            "reporting:dashboard",
            _("Reports"),
            _(
                "Demand dashboards for the force and each NPU, the annual s136 return, "
                "disproportionality and officer cost."
            ),
            Perm.VIEW_REPORTS,
            order=60,
        )
