import re

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import NPU, Organisation
from core.history import HarbourHistory
from core.references import MAX_LENGTH as REFERENCE_LENGTH
from core.references import validate_reference
from incidents.choices import IncidentCategory, IncidentOutcome, RcrpAgency, RcrpThreshold
from people.models import Person, normalise_name
from places_of_safety.models import PlaceOfSafety

POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


def normalise_postcode(value: str) -> str:
    """'ab1 2cd' -> 'AB1 2CD' when it looks like a UK postcode; otherwise upper-cased as given."""
    compact = re.sub(r"\s+", "", (value or "").upper())
    m = POSTCODE_RE.match(compact)
    return f"{m.group(1)} {m.group(2)}" if m else compact


def location_key(*, healthcare_place_id=None, postcode="", description="") -> str:
    """One key per place for repeat-location analysis: a place of safety, else the postcode
    together with the normalised description, else the description alone."""
    if healthcare_place_id:
        return f"place:{healthcare_place_id}"
    desc = normalise_name(description)
    pc = normalise_postcode(postcode)
    if pc:
        return f"pc:{pc}|{desc}" if desc else f"pc:{pc}"
    return f"desc:{desc}" if desc else ""


class IncidentQuerySet(models.QuerySet):
    def visible_to_organisation(self, organisation_id):
        return self.filter(organisation_id=organisation_id)

    def with_reference(self, reference: str):
        """Incidents whose Harbour reference, CAD incident number or records-management
        reference is `reference` (exact, case ignored)."""
        value = (reference or "").strip()
        return self.filter(
            Q(reference__iexact=value)
            | Q(cad_number__iexact=value)
            | Q(rms_reference__iexact=value)
        )


class Incident(models.Model):
    """A mental-health-related incident (domain.md): when, where, who, the Right Care Right
    Person decision, officers' time, outcome; detentions and referrals link to it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="incidents"
    )
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    # References to other systems (core.references): optional, not unique, searchable.
    cad_number = models.CharField(
        _("CAD incident number"),
        max_length=REFERENCE_LENGTH,
        blank=True,
        validators=[validate_reference],
        help_text=_("The incident's number in the force's command-and-control system."),
    )
    rms_reference = models.CharField(
        _("records-management reference"),
        max_length=REFERENCE_LENGTH,
        blank=True,
        validators=[validate_reference],
        help_text=_("The occurrence's reference in the force's records-management system."),
    )
    reported_at = models.DateTimeField(
        _("reported at"), null=True, blank=True, help_text=_("When the call or report came in.")
    )
    occurred_at = models.DateTimeField(_("occurred at"), db_index=True)
    ended_at = models.DateTimeField(
        _("ended at"), null=True, blank=True, help_text=_("When police involvement ended.")
    )
    category = models.CharField(_("category"), max_length=40, choices=IncidentCategory.choices)
    npu = models.ForeignKey(
        NPU, on_delete=models.PROTECT, null=True, blank=True, related_name="incidents"
    )
    location_description = models.CharField(_("location"), max_length=300, blank=True)
    location_postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    location_key = models.CharField(max_length=320, blank=True, editable=False)
    healthcare_setting = models.BooleanField(
        _("the location is a healthcare setting"),
        default=False,
        help_text=_("For example a hospital, emergency department, ward or s136 suite."),
    )
    healthcare_place = models.ForeignKey(
        PlaceOfSafety,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("healthcare setting (place of safety)"),
    )
    healthcare_setting_name = models.CharField(
        _("name of the healthcare setting"), max_length=200, blank=True
    )
    people = models.ManyToManyField(Person, blank=True, related_name="incidents")
    rcrp_threshold = models.CharField(
        _("Right Care Right Person decision"),
        max_length=20,
        choices=RcrpThreshold.choices,
        blank=True,
    )
    rcrp_rationale = models.TextField(_("rationale for the decision"), blank=True)
    rcrp_passed_to = models.CharField(
        _("passed to"), max_length=40, choices=RcrpAgency.choices, blank=True
    )
    summary = models.TextField(_("summary"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=300, choices=IncidentOutcome.choices, blank=True
    )
    outcome_detail = models.TextField(_("outcome detail"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by = models.CharField(_("recorded by"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IncidentQuerySet.as_manager()
    history = HarbourHistory(m2m_fields=[people])

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name = _("incident")
        indexes = [
            models.Index(fields=["organisation", "-occurred_at"], name="inc_org_occurred"),
            models.Index(fields=["organisation", "location_key"], name="inc_org_location"),
            models.Index(
                fields=["organisation", "cad_number"],
                name="inc_org_cad",
                condition=~Q(cad_number=""),
            ),
            models.Index(
                fields=["organisation", "rms_reference"],
                name="inc_org_rms",
                condition=~Q(rms_reference=""),
            ),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("incident-detail", args=[self.pk])

    @property
    def attended(self) -> bool | None:
        if not self.rcrp_threshold:
            return None
        return self.rcrp_threshold != RcrpThreshold.NONE

    @property
    def location_label(self) -> str:
        parts = [self.healthcare_setting_name or self.location_description, self.location_postcode]
        return ", ".join(p for p in parts if p)


class OfficerDeployment(models.Model):
    """An officer deployed to an incident and the minutes they spent on it."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="officers")
    officer_name = models.CharField(_("officer's name"), max_length=200, blank=True)
    collar_number = models.CharField(_("collar or staff number"), max_length=30, blank=True)
    minutes = models.PositiveIntegerField(
        _("minutes spent"), validators=[MaxValueValidator(7 * 24 * 60)]
    )
    recorded_by = models.CharField(_("recorded by"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HarbourHistory()

    class Meta:
        ordering = ["id"]
        verbose_name = _("officer deployment")
        constraints = [
            models.CheckConstraint(
                condition=~Q(officer_name="", collar_number=""), name="officer_named"
            ),
        ]

    def __str__(self):
        return f"{self.officer_name or self.collar_number}: {self.minutes} min"
