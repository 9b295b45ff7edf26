"""Reporting: population figures (for rates per 1,000 by ethnic group) and CSV exports."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.history import HarbourHistory


class EthnicGroup(models.TextChoices):
    """The report groups of the police 18+1 codes (domain.md)."""

    WHITE = "white", _("White")
    MIXED = "mixed", _("Mixed")
    ASIAN = "asian", _("Asian")
    BLACK = "black", _("Black")
    OTHER = "other", _("Other")
    NOT_STATED = "not_stated", _("Not stated")


# Groups that have a population (people who did not state an ethnicity have none).
POPULATION_GROUPS = [g for g in EthnicGroup if g != EthnicGroup.NOT_STATED]


class PopulationFigure(models.Model):
    """The resident population of a force's area in one ethnic group (for example from the
    2021 Census), used for detention rates per 1,000 and the relative rate against White."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="population_figures",
        verbose_name=_("force"),
        limit_choices_to={"kind": "police_force"},
    )
    group = models.CharField(
        _("ethnic group"),
        max_length=20,
        choices=[(g.value, g.label) for g in POPULATION_GROUPS],
    )
    population = models.PositiveIntegerField(_("population"), validators=[MinValueValidator(1)])
    source_year = models.PositiveSmallIntegerField(
        _("source year"), validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    source = models.CharField(_("source"), max_length=200, blank=True)

    history = HarbourHistory()

    class Meta:
        ordering = ["organisation", "group"]
        verbose_name = _("population figure")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "group"], name="population_one_figure_per_group"
            )
        ]

    def __str__(self):
        return f"{self.organisation}: {self.get_group_display()} {self.population}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ExportKind(models.TextChoices):
    INCIDENTS = "incidents", _("Incidents (one row each)")
    DETENTIONS = "detentions", _("s136 detentions (one row each)")


class Export(models.Model):
    """A long CSV export, built by a Celery task (reporting.tasks.run_export). Only the requester
    and reporting users of their organisation may download it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="exports")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports"
    )
    kind = models.CharField(_("what"), max_length=20, choices=ExportKind.choices)
    params = models.JSONField(_("filters"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    total_rows = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    history = HarbourHistory(excluded_fields=["rows_written"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def progress(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(99, int(100 * self.rows_written / self.total_rows))
