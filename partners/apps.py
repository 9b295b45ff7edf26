from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners and referrals")

    def ready(self):
        from accounts.permissions import Perm
        from core.metrics import register_database_collector
        from core.navigation import register

        from . import metrics

        register_database_collector(metrics.collect)

        from core import events

        from .events import deliver

        events.listen(deliver)  # every domain event -> webhooks for whoever may see the record

        from people import related

        from . import policy  # noqa: F401 - registers who may see its records
        from .related import incident_referrals, person_referrals

        related.add_timeline_source("referral", person_referrals, lambda r: r.created_at)
        related.add_incident_records("referrals", incident_referrals)
        related.add_plan_subjects(policy.referral_people)

        register(
            "referrals-inbox",
            _("Referrals received"),
            _("Referrals sent to your organisation: acknowledge, accept or decline them."),
            Perm.RESPOND_REFERRALS,
            order=60,
        )
        register(
            "referrals-outbox",
            _("Referrals sent"),
            _("Referrals your organisation has sent to partners, and where each one is."),
            Perm.SEND_REFERRALS,
            order=61,
        )
        register(
            "api-keys",
            _("API keys"),
            _("Issue, rotate and revoke your organisation's API keys."),
            Perm.MANAGE_ORGANISATION,
            in_menu=False,
            order=940,
        )
        register(
            "webhooks",
            _("Webhooks"),
            _("Send your systems signed notices of referrals and alerts."),
            Perm.MANAGE_ORGANISATION,
            in_menu=False,
            order=941,
        )
