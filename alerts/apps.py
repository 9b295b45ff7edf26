from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _alert_unlawful_act(sender, *, detention, happened_at, place, now, **kwargs):
    """R1: the force's mental health lead and the inspector for the place are told, once."""
    from .models import AlertKind
    from .services import raise_now

    raise_now(
        AlertKind.UNLAWFUL_ACT_RECORDED,
        detention=detention,
        due_at=happened_at,
        place=place,
        now=now,
        reason="unlawful act recorded as it happened (R1)",
    )


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("Deadline alerts")

    def ready(self):
        from . import attention  # the home page's panels (core/attention.py)

        attention.install()
        from django.db.models.signals import post_save

        from accounts.permissions import Perm
        from core.metrics import register_database_collector
        from core.navigation import register
        from detentions.models import Detention
        from detentions.services import unlawful_act_recorded

        from . import (
            metrics,
            policy,  # noqa: F401 - registers who may see its records
        )
        from .signals import detention_saved

        register_database_collector(metrics.collect)
        from .webhooks import register as register_webhook_kind

        register_webhook_kind()  # alert.raised: the alert as partners' systems receive it
        from core import events

        from . import handover

        events.listen(handover.on_event)  # A4 requests and answers (alerts/handover.py)
        unlawful_act_recorded.connect(_alert_unlawful_act, dispatch_uid="alerts-unlawful-act")
        from .approvals import connect as connect_approvals

        connect_approvals()

        register(
            "alerts:inbox",
            _("Alerts"),
            _("Deadlines that fell due: expiry, welfare checks, reviews, transfers and targets."),
            Perm.VIEW_ALERTS,
            order=40,
        )
        post_save.connect(detention_saved, sender=Detention, dispatch_uid="alerts.detention_saved")
