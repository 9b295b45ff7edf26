from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("Deadline alerts")

    def ready(self):
        from django.db.models.signals import post_save

        from accounts.permissions import Perm
        from core.navigation import register
        from incidents.models import Detention

        from . import policy  # noqa: F401 - registers who may see its records
        from .signals import detention_saved

        register(
            "alerts:inbox",
            _("Alerts"),
            _("Deadlines that fell due: expiry, welfare checks, reviews, transfers and targets."),
            Perm.VIEW_ALERTS,
            order=40,
        )
        post_save.connect(detention_saved, sender=Detention, dispatch_uid="alerts.detention_saved")
