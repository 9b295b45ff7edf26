from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.history import HarbourHistory

from . import occupancy


class PlaceKind(models.TextChoices):
    HEALTH_BASED = "health_based", _("Health-based place of safety (s136 suite)")
    EMERGENCY_DEPARTMENT = "emergency_department", _("Emergency department")
    POLICE_STATION = "police_station", _("Police station")
    OTHER = "other", _("Other")


class PlaceStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FULL = "full", _("Full")
    CLOSED = "closed", _("Closed")


FLAGGED_STATUSES = (PlaceStatus.FULL, PlaceStatus.CLOSED)


class PlaceQuerySet(models.QuerySet):
    """Occupancy is a question about detentions: answered by the selectors the detentions app
    installs (places_of_safety/occupancy.py)."""

    def with_occupancy(self):
        """Annotates `occupancy` (active detentions at the place now) and `effective_status`
        (`full` whenever occupancy >= capacity, otherwise the declared status), in SQL."""
        return occupancy.selectors().with_occupancy(self)

    def for_board(self):
        """`with_occupancy()` plus `in_transit` (transfers under way towards the place) and
        `flagged_occupants` (people there now who arrived while it was full or closed)."""
        return occupancy.selectors().for_board(self)


class PlaceOfSafety(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=PlaceKind.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="places_of_safety",
        verbose_name=_("operator"),
    )
    address = models.TextField(_("address"), blank=True)
    # Health staff without an account answer a handover through a one-time link sent here.
    handover_inbox = models.EmailField(
        _("shared inbox for handovers"),
        blank=True,
        help_text=_("Health staff without a Harbour account get one-time handover links here."),
    )
    accepts_under_18 = models.BooleanField(_("accepts under-18s"), default=False)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), default=1, validators=[MinValueValidator(1)]
    )
    declared_status = models.CharField(
        _("declared status"), max_length=10, choices=PlaceStatus.choices, default=PlaceStatus.OPEN
    )
    status_reason = models.CharField(_("reason for status"), max_length=300, blank=True)
    status_updated_at = models.DateTimeField(_("status updated at"), null=True, blank=True)
    status_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    active = models.BooleanField(_("in use"), default=True)

    objects = PlaceQuerySet.as_manager()
    history = HarbourHistory()

    class Meta:
        ordering = ["name"]
        verbose_name = _("place of safety")
        verbose_name_plural = _("places of safety")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="place_capacity_positive"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("places_of_safety:detail", args=[self.pk])

    @property
    def is_police_station(self) -> bool:
        return self.kind == PlaceKind.POLICE_STATION

    @property
    def is_health_based(self) -> bool:
        return self.kind in (PlaceKind.HEALTH_BASED, PlaceKind.EMERGENCY_DEPARTMENT)


class PlaceStatusChange(models.Model):
    """One status declaration for a place (also a re-confirmation of the same status): who set it,
    when, why, and how full the place was at the time. The place keeps the latest in its own
    `declared_status` / `status_reason` / `status_updated_*` columns."""

    place = models.ForeignKey(
        PlaceOfSafety, on_delete=models.PROTECT, related_name="status_changes"
    )
    status = models.CharField(_("status"), max_length=10, choices=PlaceStatus.choices)
    previous_status = models.CharField(
        _("previous status"), max_length=10, choices=PlaceStatus.choices, blank=True
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    set_at = models.DateTimeField(_("set at"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    set_by_label = models.CharField(
        _("set by (name)"),
        max_length=200,
        blank=True,
        help_text=_("The user's username, the API key's name or the system task."),
    )
    occupancy = models.PositiveSmallIntegerField(_("occupancy at the time"), null=True, blank=True)

    history = HarbourHistory()

    class Meta:
        ordering = ["-set_at", "-id"]
        verbose_name = _("place status change")
        verbose_name_plural = _("place status changes")
        indexes = [models.Index(fields=["place", "-set_at"], name="place_status_change_recent")]

    def __str__(self):
        return f"{self.place_id}: {self.status} at {self.set_at:%Y-%m-%d %H:%M}"
