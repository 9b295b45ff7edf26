"""Mental health tactical advisers: who is on duty for each function, and the advice they gave.

Shift instants are stored in UTC; pages take Europe/London local times (see advisers.forms), so a
night shift 22:00-07:00 across the October change is 10 elapsed hours and across the March change
8 hours.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.history import HarbourHistory


class Function(models.TextChoices):
    RESPONSE = "response", _("Response")
    FORCE_CONTACT = "force_contact", _("Force Contact")
    CUSTODY = "custody", _("Custody")


class RosterShiftQuerySet(models.QuerySet):
    def visible_to_organisation(self, organisation_id):
        return self.filter(force_id=organisation_id)

    def at(self, instant):
        """Shifts running at `instant` (start inclusive, end exclusive)."""
        return self.filter(starts_at__lte=instant, ends_at__gt=instant)

    def overlapping(self, start, end):
        return self.filter(starts_at__lt=end, ends_at__gt=start)


class RosterShift(models.Model):
    force = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="roster_shifts",
        verbose_name=_("force"),
    )
    function = models.CharField(_("function"), max_length=20, choices=Function.choices)
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="roster_shifts",
        verbose_name=_("adviser"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RosterShiftQuerySet.as_manager()
    history = HarbourHistory()

    class Meta:
        ordering = ["starts_at", "function"]
        verbose_name = _("roster shift")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="rostershift_ends_after_start"
            )
        ]
        indexes = [
            models.Index(fields=["force", "function", "starts_at"], name="roster_force_fn_start"),
            models.Index(fields=["adviser", "starts_at"], name="roster_adviser_start"),
        ]

    def __str__(self):
        return f"{self.get_function_display()}: {self.adviser} {self.starts_at:%Y-%m-%d %H:%M}Z"

    @property
    def duration(self):
        return self.ends_at - self.starts_at

    @property
    def elapsed_hours(self) -> str:
        """Real elapsed hours ('10', '8.5'): at the clock changes, not the wall-clock difference."""
        hours = self.duration.total_seconds() / 3600
        return f"{hours:g}" if hours == int(hours) else f"{hours:.1f}"


class AdviceRecordQuerySet(models.QuerySet):
    def visible_to_organisation(self, organisation_id):
        return self.filter(force_id=organisation_id)


class AdviceRecord(models.Model):
    """Advice a tactical adviser gave about an incident or a detention (who, when, what)."""

    force = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="advice_records",
        verbose_name=_("force"),
    )
    incident = models.ForeignKey(
        "incidents.Incident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="advice_records",
    )
    detention = models.ForeignKey(
        "detentions.Detention",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="advice_records",
    )
    function = models.CharField(_("function"), max_length=20, choices=Function.choices)
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="advice_given",
        verbose_name=_("adviser"),
    )
    adviser_name = models.CharField(
        _("adviser's name"),
        max_length=200,
        blank=True,
        help_text=_("When the adviser is not a Harbour user (for example a neighbouring force's)."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="advice_requested",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("advice requested at"))
    advice_given_at = models.DateTimeField(_("advice given at"))
    advice = models.TextField(_("advice given"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AdviceRecordQuerySet.as_manager()
    history = HarbourHistory()

    class Meta:
        ordering = ["-advice_given_at", "-id"]
        verbose_name = _("advice record")
        constraints = [
            models.CheckConstraint(
                condition=Q(incident__isnull=False) | Q(detention__isnull=False),
                name="advice_about_incident_or_detention",
            ),
            models.CheckConstraint(
                condition=Q(adviser__isnull=False) | ~Q(adviser_name=""),
                name="advice_names_its_adviser",
            ),
            models.CheckConstraint(
                condition=Q(advice_given_at__gte=F("requested_at")),
                name="advice_given_after_request",
            ),
        ]

    def __str__(self):
        return f"{self.get_function_display()} advice {self.advice_given_at:%Y-%m-%d %H:%M}Z"

    @property
    def adviser_label(self) -> str:
        return str(self.adviser) if self.adviser_id else self.adviser_name
