"""Forms for the people pages. They only shape input: the rules live in `people.services`,
whose refusals are shown beside the fields (`add_service_errors`)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.form_fields import DateOfBirthField

from .choices import AgeAssessment, Ethnicity, Gender, PreferredLanguage
from .repeat_demand import RepeatDemand
from .services import TRUST_KINDS


def blank_choices(choices, label=""):
    return [("", label), *choices]


def add_service_errors(form: forms.Form, exc: ValidationError, aliases=None) -> None:
    """Puts a service's refusal beside the matching field, or at the top."""
    aliases = aliases or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        name = aliases.get(field, field)
        form.add_error(name if name in form.fields else None, errors)


class PersonForm(forms.Form):
    given_name = forms.CharField(
        label=_("Given name"),
        max_length=100,
        error_messages={"required": _("Enter the person's given name (or 'Unknown')")},
    )
    family_name = forms.CharField(
        label=_("Family name"),
        max_length=100,
        error_messages={"required": _("Enter the person's family name (or 'Unknown')")},
    )
    date_of_birth = DateOfBirthField(label=_("Date of birth"), required=False)
    age_assessment = forms.ChoiceField(
        label=_("If the date of birth is not known: how old do they appear?"),
        choices=blank_choices(AgeAssessment.choices),
        required=False,
        widget=forms.Select,
    )
    # Nothing is chosen for the user: "Not known" and "Not stated" are answers they give.
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=blank_choices(Gender.choices),
        widget=forms.Select,
        error_messages={
            "required": _("Select the person's gender, or 'Not known' if you do not know")
        },
    )
    ethnicity = forms.ChoiceField(
        label=_("Self-defined ethnicity"),
        choices=blank_choices(Ethnicity.choices),
        error_messages={
            "required": _(
                "Select the person's self-defined ethnicity, or 'Not stated' if they did not say"
            )
        },
        widget=forms.Select,
        help_text=_("As the person describes it (18+1 codes). Not stated if they did not say."),
    )
    nhs_number = forms.CharField(label=_("NHS number (optional)"), max_length=14, required=False)
    preferred_language = forms.ChoiceField(
        label=_("Preferred language (optional)"),
        help_text=_("The language the person prefers to be spoken to in, if they said."),
        choices=blank_choices(PreferredLanguage.choices, _("Not recorded")),
        required=False,
        widget=forms.Select,
    )

    rms_person_id = forms.CharField(
        label=_("Records-management person id (optional)"),
        max_length=40,
        required=False,
        help_text=_("The person's id in the force's records-management system."),
    )
    nhs_trust_record_id = forms.CharField(
        label=_("NHS trust record id (optional)"),
        max_length=40,
        required=False,
        help_text=_("The person's record number at an NHS trust."),
    )
    nhs_trust = forms.ModelChoiceField(
        label=_("Which trust the record id belongs to"),
        queryset=Organisation.objects.filter(kind__in=TRUST_KINDS).order_by("name"),
        required=False,
        empty_label="",
    )

    def clean_nhs_number(self):
        return (self.cleaned_data.get("nhs_number") or "").replace(" ", "") or None

    def clean_age_assessment(self):
        return self.cleaned_data.get("age_assessment") or None


class NewPersonForm(PersonForm):
    not_a_duplicate = forms.BooleanField(
        label=_("None of these records is this person: create a new record"), required=False
    )


class MergeForm(forms.Form):
    keep = forms.ChoiceField(label=_("Which record do you want to keep?"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Why are these the same person?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: same NHS number, confirmed with the person. This is kept in the history."
        ),
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [
            (str(p.pk), f"{p.full_name} ({_('record')} {p.pk})") for p in people
        ]


class RepeatForm(forms.Form):
    window_days = forms.IntegerField(
        label=_("Window (days)"), min_value=1, max_value=730, required=False
    )
    min_incidents = forms.IntegerField(
        label=_("At least this many incidents"), min_value=1, max_value=100, required=False
    )

    def demand(self, default: RepeatDemand) -> RepeatDemand:
        """The thresholds the user asked for, in place of the default ones."""
        if self.is_bound and self.is_valid():
            return default.overridden(
                self.cleaned_data.get("window_days"), self.cleaned_data.get("min_incidents")
            )
        return default
