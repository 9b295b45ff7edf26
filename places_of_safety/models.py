from django.apps import apps
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.history import HarbourHistory


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


def _count(queryset, group_by: str):
    """A correlated `COUNT(*)` subquery (0 when there are no rows): no joins, no GROUP BY outside."""
    return Coalesce(
        Subquery(
            queryset.order_by().values(group_by).annotate(n=models.Count("pk")).values("n")[:1],
            output_field=models.IntegerField(),
        ),
        0,
    )


class PlaceQuerySet(models.QuerySet):
    def with_occupancy(self):
        """Annotates `occupancy` (active detentions at the place now) and `effective_status`
        (`full` whenever occupancy >= capacity, otherwise the declared status), both in SQL so
        that they can be filtered and ordered on in the database."""
        detention = apps.get_model("detentions", "Detention")
        here = detention.objects.filter(
            current_place_of_safety=OuterRef("pk"),
            ended_at__isnull=True,
            status="at_place_of_safety",
        )
        return self.annotate(
            occupancy=_count(here, "current_place_of_safety"),
            effective_status=models.Case(
                models.When(occupancy__gte=F("capacity"), then=models.Value(PlaceStatus.FULL)),
                default=F("declared_status"),
                output_field=models.CharField(),
            ),
        )

    def for_board(self):
        """`with_occupancy()` plus `in_transit` (transfers under way towards the place) and
        `flagged_occupants` (people there now who arrived while it was full or closed)."""
        detention = apps.get_model("detentions", "Detention")
        incoming = detention.objects.filter(in_transfer_to=OuterRef("pk"), ended_at__isnull=True)
        flagged = detention.objects.filter(
            current_place_of_safety=OuterRef("pk"),
            ended_at__isnull=True,
            status="at_place_of_safety",
            arrival__place=OuterRef("pk"),
            arrival__place_status_at_arrival__in=FLAGGED_STATUSES,
            transfers__isnull=True,
        )
        return self.with_occupancy().annotate(
            in_transit=_count(incoming, "in_transfer_to"),
            flagged_occupants=_count(flagged, "current_place_of_safety"),
        )


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
