from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.history import HarbourHistory

from ..choices import AgeAssessment, Ethnicity, Gender
from ..validators import validate_nhs_number


class PersonQuerySet(models.QuerySet):
    def visible_to_organisation(self, organisation_id):
        """A force sees the people it recorded."""
        return self.filter(organisation_id=organisation_id)


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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()
    history = HarbourHistory()

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            models.Index(fields=["organisation", "family_name", "given_name"]),
            models.Index(fields=["organisation", "date_of_birth"]),
            models.Index(fields=["nhs_number"]),
        ]

    def __str__(self):
        return f"{self.given_name} {self.family_name}"

    @property
    def full_name(self):
        return f"{self.given_name} {self.family_name}"
