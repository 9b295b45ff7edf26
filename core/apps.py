import logging

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Harbour core"

    def ready(self):
        from . import history  # noqa: F401  (connects the history actor signal)

        # Python warnings become log records too (JSON lines in production, with a request id).
        logging.captureWarnings(True)
