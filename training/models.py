"""Completions of mental health training, with the date each falls due for a refresher."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.history import HarbourHistory

from .courses import Course


class Source(models.TextChoices):
    MANUAL = "manual", _("Recorded in Harbour")
    IMPORT = "import", _("Imported from the learning system")


class TrainingRecordQuerySet(models.QuerySet):
    def visible_to_organisation(self, organisation_id):
        return self.filter(user__membership__organisation_id=organisation_id)


class TrainingRecord(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="training_records",
        verbose_name=_("officer"),
    )
    course = models.CharField(_("course"), max_length=20, choices=Course.choices)
    completed_on = models.DateField(_("completed on"))
    refresher_due_on = models.DateField(_("refresher due on"), db_index=True)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.MANUAL
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TrainingRecordQuerySet.as_manager()
    history = HarbourHistory()

    class Meta:
        ordering = ["user", "course", "-completed_on"]
        verbose_name = _("training record")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course", "completed_on"], name="training_once_per_completion"
            ),
            models.CheckConstraint(
                condition=models.Q(refresher_due_on__gt=models.F("completed_on")),
                name="training_refresher_after_completion",
            ),
        ]
        indexes = [models.Index(fields=["user", "course", "-completed_on"], name="training_latest")]

    def __str__(self):
        return f"{self.user} {self.course} {self.completed_on:%Y-%m-%d}"
