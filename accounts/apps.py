from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from core.navigation import register

        from . import schema  # noqa: F401  (registers the OpenAPI security scheme)
        from .permissions import Perm

        register(
            "sign-in-settings",
            _("Sign-in and roles"),
            _("Your identity provider, and which of its groups give which role in Harbour."),
            Perm.MANAGE_ORGANISATION,
            in_menu=False,
            order=942,
        )
