from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Mental health training")

    def ready(self):
        from accounts.permissions import Perm
        from core.navigation import register

        from . import policy  # noqa: F401 - registers who may see its records

        register(
            "training:dashboard",
            _("Training"),
            _("Officers' mental health training: coverage per NPU and function, refreshers due."),
            Perm.VIEW_TRAINING,
            order=63,
        )
        register(
            "training:import",
            _("Import training records"),
            _("Import completions from the learning system's CSV export."),
            Perm.MANAGE_TRAINING,
            in_menu=False,
            order=64,
        )
