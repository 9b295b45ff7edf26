from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """`manage.py seed_demo`: the fictional Midshire Police and its partners (domain.md). It uses
    every app, so it sits above them all (docs/architecture.md "Layers")."""

    name = "demo"
    verbose_name = _("Demo data")
