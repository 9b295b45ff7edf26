import re
import unicodedata

from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.history import HarbourHistory
from people.choices import AgeAssessment, Ethnicity, Gender, PreferredLanguage
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
        """Partial, case- and accent-insensitive name search; exact date of birth / NHS number."""
        qs = self
        digits = re.sub(r"\s+", "", q or "")
        if digits.isdigit() and len(digits) == 10:
            qs = qs.filter(nhs_number=digits)
        else:
            for token in normalise_name(q).split():
                qs = qs.filter(search_name__contains=token)
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
