from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
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


class PlaceQuerySet(models.QuerySet):
    def with_occupancy(self):
        """Annotates `occupancy`: active detentions whose current place this is."""
        return self.annotate(
            occupancy=models.Count(
                "current_detentions",
                filter=models.Q(
                    current_detentions__ended_at__isnull=True,
                    current_detentions__status="at_place_of_safety",
                ),
            )
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
