from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit")

    def ready(self):
        from . import attention  # the home page's panels (core/attention.py)

        attention.install()
        from accounts.permissions import Perm
        from core import openapi
        from core.navigation import register

        from . import access, policy  # noqa: F401 - policy: who may read history

        openapi.use_access_log(access.is_logged_api_path)
        from detentions.handover_views import use_link_access_log

        from .handover_links import log_link_use

        use_link_access_log(log_link_use)  # one-time handover links (no account to log)

        register(
            "audit:search",
            _("Audit"),
            _("Search the history of every record: who changed what, and when. Export as CSV."),
            Perm.VIEW_AUDIT,
            order=800,
        )
        register(
            "audit:access-log",
            _("Access log"),
            _("Who viewed a person, a detention or a referral, when, from where and why."),
            Perm.VIEW_AUDIT,
            in_menu=False,
            order=810,
        )
