"""Cross-cutting models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyRecord(models.Model):
    """The first response to a POST carrying an `Idempotency-Key` (core.idempotency).

    A replay cache, not a record of the change itself (the change has its own history), so it
    keeps no history of its own (see tests/test_history_coverage.py). `response_status` is null
    while the first request is still being handled.
    """

    caller = models.CharField(_("caller"), max_length=200)
    key = models.CharField(_("idempotency key"), max_length=255)
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=500)
    request_hash = models.CharField(_("request body SHA-256"), max_length=64)
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True)
    response_body = models.BinaryField(_("response body"), default=b"")
    response_content_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        constraints = [
            models.UniqueConstraint(fields=["caller", "key"], name="idempotency_caller_key"),
        ]

    def __str__(self):
        return f"{self.caller} {self.key}"
