from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Data protection")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from accounts.permissions import Perm
        from core import navigation, security

        # Idle sign-out (core/security.py) starts its clock at sign-in.
        user_logged_in.connect(security.start_activity_clock, dispatch_uid="harbour-idle-clock")
        navigation.register(
            "privacy:retention",
            _("Retention review"),
            _("Records kept longer than their retention period, and decisions about them."),
            Perm.MANAGE_ORGANISATION,
            order=95,
        )
        navigation.register(  # auditors see the same list (read only)
            "privacy:retention",
            _("Retention review"),
            _("Records kept longer than their retention period, and decisions about them."),
            Perm.VIEW_AUDIT,
            order=95,
        )
