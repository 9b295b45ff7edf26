"""Assessments by AMHPs and doctors (rules A1-A3), beyond the core times kept on
`incidents.Assessment`: who took the case, the doctors, the outcome, the bed search and delays.

The core assessment times (requested, arrived, started, completed) stay on
`incidents.Assessment` and are written only through `incidents.services.detentions`; the
models here are written only through `assessments.services`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import NPU, Organisation
from accounts.roles import OrganisationKind
from core.history import HarbourHistory
from detentions.choices import Outcome
from detentions.models import Detention
from places_of_safety.models import PlaceOfSafety


class AmhpServiceArea(models.Model):
    """The places of safety (and NPUs) a local authority's AMHP service covers.

    A local authority sees, and its AMHPs are offered on the worklist, the detentions at
    these places (or recorded in these NPUs), as well as the cases its AMHPs took.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="amhp_service_areas",
        limit_choices_to={"kind": OrganisationKind.LOCAL_AUTHORITY},
        verbose_name=_("local authority"),
    )
    name = models.CharField(_("name"), max_length=200)
    places = models.ManyToManyField(
        PlaceOfSafety,
        blank=True,
        related_name="amhp_service_areas",
        verbose_name=_("places of safety covered"),
    )
    npus = models.ManyToManyField(
        NPU,
        blank=True,
        related_name="amhp_service_areas",
        verbose_name=_("neighbourhood policing units covered"),
    )
    active = models.BooleanField(_("in use"), default=True)

    history = HarbourHistory(m2m_fields=[places, npus])

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("AMHP service area")
        verbose_name_plural = _("AMHP service areas")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="amhp_area_unique_name_per_org"
            )
        ]

    def __str__(self):
        return f"{self.organisation}: {self.name}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.organisation_id and self.organisation.kind != OrganisationKind.LOCAL_AUTHORITY:
            raise ValidationError(
                {"organisation": _("An AMHP service belongs to a local authority.")}
            )


class AssessmentOutcome(models.TextChoices):
    """The outcomes an assessment can reach: the detention outcomes (domain.md) except
    `absconded`, which is an escape (record it on the detention), not an assessment's."""

    ADMITTED_INFORMAL = Outcome.ADMITTED_INFORMAL.value, Outcome.ADMITTED_INFORMAL.label
    DETAINED_S2 = Outcome.DETAINED_S2.value, Outcome.DETAINED_S2.label
    DETAINED_S3 = Outcome.DETAINED_S3.value, Outcome.DETAINED_S3.label
    DISCHARGED_NO_FOLLOW_UP = (
        Outcome.DISCHARGED_NO_FOLLOW_UP.value,
        Outcome.DISCHARGED_NO_FOLLOW_UP.label,
    )
    DISCHARGED_WITH_REFERRAL = (
        Outcome.DISCHARGED_WITH_REFERRAL.value,
        Outcome.DISCHARGED_WITH_REFERRAL.label,
    )
    NO_MENTAL_DISORDER = Outcome.NO_MENTAL_DISORDER.value, Outcome.NO_MENTAL_DISORDER.label
    TRANSFERRED_PHYSICAL_CARE = (
        Outcome.TRANSFERRED_PHYSICAL_CARE.value,
        Outcome.TRANSFERRED_PHYSICAL_CARE.label,
    )
    ARRESTED_FOR_OFFENCE = Outcome.ARRESTED_FOR_OFFENCE.value, Outcome.ARRESTED_FOR_OFFENCE.label
    OTHER = Outcome.OTHER.value, Outcome.OTHER.label


#: Outcomes that admit the person to hospital: the s136 ends when they are admitted, so the
#: detention may go on (waiting for a bed) after the decision.
ADMISSION_OUTCOMES = frozenset(
    {
        AssessmentOutcome.ADMITTED_INFORMAL,
        AssessmentOutcome.DETAINED_S2,
        AssessmentOutcome.DETAINED_S3,
    }
)


class AssessmentDetail(models.Model):
    """One per detention: who took the case, the doctors, the outcome and the bed search."""

    detention = models.OneToOneField(
        Detention, on_delete=models.CASCADE, related_name="assessment_detail"
    )
    amhp_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessment_cases",
        limit_choices_to={"kind": OrganisationKind.LOCAL_AUTHORITY},
        verbose_name=_("local authority that took the case"),
    )
    amhp_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessment_cases",
        verbose_name=_("AMHP who took the case"),
    )
    taken_at = models.DateTimeField(_("case taken at"), null=True, blank=True)
    # The doctor who took the case or recorded their arrival from their own account: their
    # worklist ("My cases") lists it.
    doctor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="doctor_cases",
        verbose_name=_("doctor who took the case"),
    )

    responsible_doctor_name = models.CharField(
        _("registered medical practitioner responsible for the examination"),
        max_length=200,
        blank=True,
    )
    second_doctor_name = models.CharField(_("second doctor"), max_length=200, blank=True)
    second_doctor_s12_approved = models.BooleanField(
        _("second doctor is s12 approved"), null=True, blank=True
    )

    outcome = models.CharField(
        _("assessment outcome"), max_length=40, choices=AssessmentOutcome.choices, blank=True
    )
    outcome_decided_at = models.DateTimeField(_("outcome decided at"), null=True, blank=True)
    outcome_notes = models.TextField(_("notes on the outcome"), blank=True)

    bed_requested_at = models.DateTimeField(_("bed requested at"), null=True, blank=True)
    bed_found_at = models.DateTimeField(_("bed found at"), null=True, blank=True)
    bed_location = models.CharField(_("where the bed is"), max_length=300, blank=True)

    recorded_by = models.CharField(_("recorded by"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HarbourHistory()

    class Meta:
        verbose_name = _("assessment detail")
        indexes = [models.Index(fields=["amhp_organisation"], name="assess_detail_amhp_org")]

    def __str__(self):
        return f"{self.detention}: assessment"

    @property
    def awaiting_bed(self) -> bool:
        return (
            self.outcome in ADMISSION_OUTCOMES
            and self.bed_found_at is None
            and not self.detention.is_ended
        )


class DelayReason(models.TextChoices):
    NO_BED = "no_bed", _("No bed available")
    NO_AMHP = "no_amhp", _("No AMHP available")
    NO_DOCTOR = "no_doctor", _("No doctor available")
    AWAITING_MEDICAL_TREATMENT = "awaiting_medical_treatment", _("Awaiting medical treatment")
    INTOXICATION = "intoxication", _("Intoxication")
    OTHER = "other", _("Other")


class AssessmentDelay(models.Model):
    """Something holding the assessment (or the admission after it) up, and for how long."""

    detention = models.ForeignKey(
        Detention, on_delete=models.CASCADE, related_name="assessment_delays"
    )
    reason = models.CharField(_("reason"), max_length=40, choices=DelayReason.choices)
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.CharField(_("recorded by"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HarbourHistory()

    class Meta:
        ordering = ["started_at", "id"]
        verbose_name = _("assessment delay")
        indexes = [models.Index(fields=["reason", "started_at"], name="assess_delay_reason")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="assess_delay_end_after_start",
            )
        ]

    def __str__(self):
        return f"{self.get_reason_display()} ({self.detention})"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None
