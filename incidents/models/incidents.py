from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import NPU, Organisation
from core.history import HarbourHistory

from ..choices import IncidentCategory, RcrpThreshold
from .people import Person


class IncidentQuerySet(models.QuerySet):
    def visible_to_organisation(self, organisation_id):
        return self.filter(organisation_id=organisation_id)


class Incident(models.Model):
    """A mental-health-related incident (domain.md). The incidents issue builds this out."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="incidents"
    )
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    occurred_at = models.DateTimeField(_("occurred at"), db_index=True)
    category = models.CharField(_("category"), max_length=40, choices=IncidentCategory.choices)
    npu = models.ForeignKey(
        NPU, on_delete=models.PROTECT, null=True, blank=True, related_name="incidents"
    )
    location_description = models.CharField(_("location"), max_length=300, blank=True)
    people = models.ManyToManyField(Person, blank=True, related_name="incidents")
    rcrp_threshold = models.CharField(
        _("Right Care Right Person decision"),
        max_length=20,
        choices=RcrpThreshold.choices,
        blank=True,
    )
    summary = models.TextField(_("summary"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = IncidentQuerySet.as_manager()
    history = HarbourHistory(m2m_fields=[people])

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name = _("incident")

    def __str__(self):
        return self.reference
