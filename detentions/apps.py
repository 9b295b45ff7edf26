from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _may_start(user) -> bool:
    from accounts.principal import resolve

    from .policy import may_start

    return bool(may_start(resolve(user)))


def _may_approve(user) -> bool:
    from accounts.principal import resolve

    from .policy import decidable_kinds

    return bool(decidable_kinds(resolve(user)))


class DetentionsConfig(AppConfig):
    name = "detentions"
    verbose_name = _("Detentions")

    def ready(self):
        from . import attention  # the home page's panels (core/attention.py)

        attention.install()
        from accounts.permissions import Perm
        from core.api_errors import use_recordable_codes
        from core.navigation import register
        from law import RECORDABLE_CODES
        from places_of_safety import occupancy

        from . import (
            policy,  # noqa: F401 - registers who may see detentions
            selectors,
        )

        use_recordable_codes(RECORDABLE_CODES)
        occupancy.install(selectors)  # how full a place is: a question about detentions

        # Detention pages (detentions/urls.py).
        register(
            "detention-board",
            _("Active detentions"),
            _("Every active s136 and s135 detention, sorted by time left, with checks due."),
            Perm.VIEW_DETENTIONS,
            order=20,
        )
        register(
            "detention-start",
            _("Start a detention"),
            _("Record a section 136 or 135(1) detention from the street."),
            # Police only: health staff may record detention events but not use the power.
            _may_start,
            in_menu=False,
            order=21,
        )
        register(
            "approvals:waiting",
            _("Approvals waiting"),
            _("Police station use and extensions at a station waiting for your approval."),
            _may_approve,
            order=23,
        )
        register(
            "detention-find",
            _("Find a detention by reference"),
            _("By Harbour's reference, the custody record number or the CAD incident number."),
            Perm.VIEW_DETENTIONS,
            in_menu=False,
            order=24,
        )
        register(
            "unlawful-acts",
            _("Unlawful acts to review"),
            _("Acts that broke a rule but happened, recorded with an account (R1): review each."),
            Perm.REVIEW_UNLAWFUL_ACTS,
            in_menu=False,
            order=22,
        )
