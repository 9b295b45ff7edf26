"""Retention reviews: a recorded decision (delete, or keep until a date) about one record that is
past its retention period. Deletion only follows a `delete` decision, through
privacy.services.delete_reviewed_record, and is itself recorded here and in history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.history import HarbourHistory


class RecordType(models.TextChoices):
    INCIDENTS = "incidents", _("Incidents")
    DETENTIONS = "detentions", _("Detentions")
    PEOPLE = "people", _("People")
    REFERRALS = "referrals", _("Referrals")


class Decision(models.TextChoices):
    DELETE = "delete", _("Delete the record")
    KEEP = "keep", _("Keep it for longer")


class RetentionReview(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="retention_reviews"
    )
    record_type = models.CharField(_("record type"), max_length=20, choices=RecordType.choices)
    record_id = models.BigIntegerField(_("record id"))
    record_label = models.CharField(_("record"), max_length=200)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    reason = models.TextField(_("reason"))
    keep_until = models.DateField(_("keep until"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"))
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HarbourHistory()

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("retention review")
        indexes = [models.Index(fields=["record_type", "record_id", "-decided_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision="delete") | models.Q(keep_until__isnull=False),
                name="retention_keep_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(deleted_at__isnull=True) | models.Q(decision="delete"),
                name="retention_deleted_only_after_delete_decision",
            ),
        ]

    def __str__(self):
        return f"{self.get_record_type_display()} {self.record_id}: {self.get_decision_display()}"
