from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesOfSafetyConfig(AppConfig):
    name = "places_of_safety"
    verbose_name = _("Places of safety")

    def ready(self):
        from accounts.permissions import Perm
        from core.navigation import register

        from . import policy  # noqa: F401 - registers who may see its records

        register(
            "places_of_safety:board",
            _("Places of safety"),
            _("Live availability: which places are open, full or closed, and who is on the way."),
            Perm.VIEW_PLACES,
            order=40,
        )
