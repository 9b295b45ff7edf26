import re
import unicodedata

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.history import HarbourHistory
from core.references import MAX_LENGTH as REFERENCE_LENGTH
from core.references import validate_reference
from people.choices import (
    AgeAssessment,
    Ethnicity,
    Gender,
    MarkerKind,
    PlanStatus,
    PreferredLanguage,
)
from people.validators import validate_nhs_number


def normalise_name(value: str) -> str:
    """Lower case, accents removed, punctuation as spaces: 'Zoë O'Brien-Smith' -> 'zoe o brien smith'."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", ascii_only.casefold()).strip()


class PersonQuerySet(models.QuerySet):
    def visible_to_organisation(self, organisation_id):
        """A force sees the people it recorded (merged records too, which point to the kept one)."""
        return self.filter(organisation_id=organisation_id)

    def current(self):
        """Records that have not been merged into another (what search and pickers show)."""
        return self.filter(merged_into__isnull=True)

    def search(self, q: str = "", date_of_birth=None, nhs_number: str = ""):
        """Partial, case- and accent-insensitive name search (or a reference to another system,
        exact, case ignored); exact date of birth / NHS number."""
        qs = self
        digits = re.sub(r"\s+", "", q or "")
        if digits.isdigit() and len(digits) == 10:
            qs = qs.filter(
                Q(nhs_number=digits)
                | Q(rms_person_id__iexact=digits)
                | Q(nhs_trust_record_id__iexact=digits)
            )
        elif q and q.strip():
            # A name, or a reference to another system (records-management id, trust record id).
            by_name = Q()
            for token in normalise_name(q).split():
                by_name &= Q(search_name__contains=token)
            reference = q.strip()
            qs = qs.filter(
                by_name
                | Q(rms_person_id__iexact=reference)
                | Q(nhs_trust_record_id__iexact=reference)
            )
        if date_of_birth:
            qs = qs.filter(date_of_birth=date_of_birth)
        if nhs_number:
            qs = qs.filter(nhs_number=re.sub(r"\s+", "", nhs_number))
        return qs


class Person(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("recorded by organisation"),
    )
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    age_assessment = models.CharField(
        _("age assessment"),
        max_length=20,
        choices=AgeAssessment.choices,
        null=True,
        blank=True,
        help_text=_("When the date of birth is not known."),
    )
    gender = models.CharField(
        _("gender"), max_length=20, choices=Gender.choices, default=Gender.NOT_KNOWN
    )
    ethnicity = models.CharField(
        _("self-defined ethnicity"), max_length=2, choices=Ethnicity.choices, default=Ethnicity.NS
    )
    nhs_number = models.CharField(
        _("NHS number"), max_length=10, null=True, blank=True, validators=[validate_nhs_number]
    )
    # References to other systems (core.references): not unique, optional, searchable.
    rms_person_id = models.CharField(
        _("records-management person id"),
        max_length=REFERENCE_LENGTH,
        blank=True,
        validators=[validate_reference],
        help_text=_("The person's id in the force's records-management system."),
    )
    nhs_trust_record_id = models.CharField(
        _("NHS trust record id"),
        max_length=REFERENCE_LENGTH,
        blank=True,
        validators=[validate_reference],
        help_text=_("The person's record number at an NHS trust (give the trust too)."),
    )
    nhs_trust = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("NHS trust the record id belongs to"),
    )
    # Blank: not recorded (nothing is chosen for the person).
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=PreferredLanguage.choices,
        blank=True,
        default="",
    )
    # "given family", normalised (normalise_name); kept in step by save().
    search_name = models.CharField(max_length=201, blank=True, editable=False)

    # A merged record stays (history, links from elsewhere) but points at the record kept.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_people",
        verbose_name=_("merged into"),
    )
    merged_at = models.DateTimeField(_("merged at"), null=True, blank=True)
    merged_by = models.CharField(_("merged by"), max_length=200, blank=True)
    merge_reason = models.TextField(_("reason for the merge"), blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()
    history = HarbourHistory(table_name="incidents_historicalperson")

    class Meta:
        db_table = "incidents_person"
        ordering = ["family_name", "given_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            models.Index(fields=["organisation", "family_name", "given_name"]),
            models.Index(fields=["organisation", "date_of_birth"]),
            models.Index(fields=["nhs_number"]),
            models.Index(
                fields=["organisation", "search_name"],
                name="person_current_search",
                condition=Q(merged_into__isnull=True),
            ),
            # Trigram index for partial name search and possible duplicates (pg_trgm).
            GinIndex(fields=["search_name"], name="person_search_trgm", opclasses=["gin_trgm_ops"]),
            models.Index(
                fields=["organisation", "rms_person_id"],
                name="person_rms_id",
                condition=~Q(rms_person_id=""),
            ),
            models.Index(
                fields=["organisation", "nhs_trust_record_id"],
                name="person_trust_record",
                condition=~Q(nhs_trust_record_id=""),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")), name="person_not_merged_into_self"
            ),
        ]

    def __str__(self):
        return f"{self.given_name} {self.family_name}"

    def save(self, *args, **kwargs):
        self.search_name = normalise_name(f"{self.given_name} {self.family_name}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and ({"given_name", "family_name"} & set(update_fields)):
            kwargs["update_fields"] = set(update_fields) | {"search_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("person-detail", args=[self.pk])

    @property
    def full_name(self):
        return f"{self.given_name} {self.family_name}"

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None


# --- Response plans and warning markers (docs/response-plans.md) -----------------------------


class ResponsePlanQuerySet(models.QuerySet):
    def addressed_to(self, organisation_id):
        return self.filter(
            pk__in=ResponsePlan.addressed_to.through.objects.filter(
                organisation_id=organisation_id
            ).values("responseplan_id")
        )

    def in_force(self):
        """Approved and not withdrawn: what officers are shown."""
        return self.filter(status=PlanStatus.APPROVED)


class ResponsePlan(models.Model):
    """An agreed response for a person (what helps, what to avoid, who to call), with its
    contacts and warning markers. Written by the force or a partner, approved by a second
    person before anyone else sees it; addressed to organisations (the person's force always).
    Changes go through `people.plans`; who sees what is `people.policy`."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="response_plans", verbose_name=_("person")
    )
    author_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by organisation"),
    )
    addressed_to = models.ManyToManyField(
        Organisation, related_name="+", verbose_name=_("addressed to")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    what_helps = models.TextField(_("what helps"), blank=True)
    what_to_avoid = models.TextField(_("what to avoid"), blank=True)
    who_to_call = models.TextField(_("who to call"), blank=True)

    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    written_by_name = models.CharField(_("written by"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(_("submitted for approval at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_by_name = models.CharField(_("submitted by"), max_length=200, blank=True)
    decided_at = models.DateTimeField(_("approved or rejected at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved or rejected by"),
    )
    decided_by_name = models.CharField(_("approved or rejected by"), max_length=200, blank=True)
    decided_by_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved or rejected by organisation"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    rejection_reason = models.TextField(_("why it was rejected"), blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by_name = models.CharField(_("withdrawn by"), max_length=200, blank=True)
    withdrawal_reason = models.TextField(_("why it was withdrawn"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ResponsePlanQuerySet.as_manager()
    history = HarbourHistory(m2m_fields=[addressed_to])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("response plan")
        verbose_name_plural = _("response plans")
        indexes = [
            models.Index(fields=["person", "status"], name="plan_person_status"),
            models.Index(fields=["author_organisation", "status"], name="plan_author_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=PlanStatus.APPROVED) | Q(approved_at__isnull=False),
                name="plan_approved_has_time",
            ),
        ]

    def __str__(self):
        return _("Response plan for %(person)s") % {"person": self.person}

    def get_absolute_url(self):
        return reverse("plan-detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in (PlanStatus.DRAFT, PlanStatus.REJECTED)


class PlanContact(models.Model):
    """Someone to call about the person: who, how they relate, their number and when."""

    plan = models.ForeignKey(ResponsePlan, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    relationship = models.CharField(_("relationship or role"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40)
    when_to_call = models.CharField(_("when to call"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HarbourHistory()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("plan contact")

    def __str__(self):
        return f"{self.name} ({self.relationship})"


class WarningMarker(models.Model):
    """A warning for whoever meets the person (a risk to staff, a communication need...), until
    its review date: past it the marker falls away from what officers are shown, and stays in
    the plan's history."""

    plan = models.ForeignKey(ResponsePlan, on_delete=models.CASCADE, related_name="markers")
    kind = models.CharField(_("kind"), max_length=30, choices=MarkerKind.choices)
    details = models.TextField(_("details"))
    review_on = models.DateField(
        _("review date"), help_text=_("After this date the marker is no longer shown to officers.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HarbourHistory()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("warning marker")
        indexes = [models.Index(fields=["plan", "review_on"], name="marker_plan_review")]

    def __str__(self):
        return self.get_kind_display()

    def is_current(self, today) -> bool:
        return self.review_on >= today
