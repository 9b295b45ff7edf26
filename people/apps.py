from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("People")

    def ready(self):
        from accounts.permissions import Perm
        from core.navigation import register

        from . import policy  # noqa: F401 - registers who may see people

        # People pages (people/urls.py).
        register(
            "people-search",
            _("People"),
            _("Find a person by name, date of birth or NHS number, and see their timeline."),
            Perm.VIEW_PEOPLE,
            order=12,
        )
        register(
            "plans-list",
            _("Response plans"),
            _("Agreed responses and warning markers for people: write, approve, withdraw."),
            Perm.VIEW_PLANS,
            in_menu=False,
            order=14,
        )
        register(
            "people-repeated-contact",
            _("People with repeated contact"),
            _("For multi-agency care planning: people with several incidents in a short time."),
            Perm.VIEW_PEOPLE,
            in_menu=False,
            order=13,
        )
