from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesOfSafetyConfig(AppConfig):
    name = "places_of_safety"
    verbose_name = _("Places of safety")
