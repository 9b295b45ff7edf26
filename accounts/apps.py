from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from . import attention  # the home page's panels (core/attention.py)

        attention.install()
        from core import idempotency, navigation

        from . import schema  # noqa: F401  (registers the OpenAPI security scheme)
        from .authentication import usable_key_id
        from .permissions import Perm, has_perm

        # core knows no app; what it needs from accounts is installed here.
        navigation.use_permission_check(has_perm)
        idempotency.use_api_key_lookup(usable_key_id)
        navigation.register(
            "api-docs",
            _("API documentation"),
            _("The partner REST API and its OpenAPI schema."),
            Perm.MANAGE_ORGANISATION,
            in_menu=False,
            order=950,
        )
        navigation.register(
            "sign-in-settings",
            _("Sign-in and roles"),
            _("Your identity provider, and which of its groups give which role in Harbour."),
            Perm.MANAGE_ORGANISATION,
            in_menu=False,
            order=942,
        )
