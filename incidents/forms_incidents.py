"""Forms for the incident and people pages. They only shape input: the rules live in
`incidents.services.incidents` / `incidents.services.people`, whose refusals are shown beside
the fields (`add_service_errors`)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import NPU
from places_of_safety.models import PlaceOfSafety

from .choices import (
    AgeAssessment,
    Ethnicity,
    Gender,
    IncidentCategory,
    IncidentOutcome,
    RcrpAgency,
    RcrpThreshold,
)
from .forms.fields import DateOfBirthField, LocalDateTimeField, now_initial


def _blank(choices, label=""):
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


class IncidentForm(forms.Form):
    occurred_at = LocalDateTimeField(
        label=_("When did it happen?"), help_text=_("UK time. For example 27 3 2026 and 14:30.")
    )
    reported_at = LocalDateTimeField(
        label=_("When was it reported to the police? (optional)"), required=False
    )
    ended_at = LocalDateTimeField(
        label=_("When did police involvement end? (optional)"), required=False
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=_blank(IncidentCategory.choices),
        widget=forms.Select,
        error_messages={"required": _("Select the category of the incident")},
    )
    npu = forms.ModelChoiceField(
        label=_("Neighbourhood policing unit"),
        queryset=NPU.objects.none(),
        required=False,
        empty_label="",
    )
    location_description = forms.CharField(
        label=_("Where (optional)"),
        max_length=300,
        required=False,
        help_text=_("Street, landmark or building, as you would tell a colleague."),
    )
    location_postcode = forms.CharField(
        label=_("Postcode (optional)"), max_length=10, required=False
    )
    healthcare_setting = forms.BooleanField(
        label=_("The location is a healthcare setting (hospital, ward, ED or s136 suite)"),
        required=False,
    )
    healthcare_place = forms.ModelChoiceField(
        label=_("Which place of safety (if it is one)"),
        queryset=PlaceOfSafety.objects.none(),
        required=False,
        empty_label="",
    )
    healthcare_setting_name = forms.CharField(
        label=_("Name of the healthcare setting (if not a place of safety)"),
        max_length=200,
        required=False,
        help_text=_("For example: Ward 4, Castleford General Hospital."),
    )
    rcrp_threshold = forms.ChoiceField(
        label=_("Right Care Right Person decision"),
        choices=RcrpThreshold.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the Right Care Right Person decision")},
        help_text=_(
            "Police attend to investigate a crime, or for a real and immediate risk to life or "
            "of serious harm. Otherwise the call goes to the right agency."
        ),
    )
    rcrp_rationale = forms.CharField(
        label=_("Rationale for the decision"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the police did not attend."),
    )
    rcrp_passed_to = forms.ChoiceField(
        label=_("Passed to which agency"),
        choices=_blank(RcrpAgency.choices),
        required=False,
        widget=forms.Select,
    )
    summary = forms.CharField(
        label=_("Summary (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    outcome = forms.ChoiceField(
        label=_("Outcome (optional)"),
        choices=_blank(IncidentOutcome.choices),
        required=False,
        widget=forms.Select,
    )
    outcome_detail = forms.CharField(
        label=_("Outcome detail (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, organisation_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["npu"].queryset = NPU.objects.filter(force_id=organisation_id).order_by("code")
        self.fields["healthcare_place"].queryset = PlaceOfSafety.objects.filter(
            active=True
        ).order_by("name")


class LogIncidentForm(IncidentForm):
    """Logging from the street: the incident, optionally one new person and one officer."""

    person_given_name = forms.CharField(
        label=_("Given name (optional)"), max_length=100, required=False
    )
    person_family_name = forms.CharField(
        label=_("Family name (optional)"), max_length=100, required=False
    )
    person_date_of_birth = DateOfBirthField(label=_("Date of birth (optional)"), required=False)
    officer_name = forms.CharField(label=_("Officer's name"), max_length=200, required=False)
    collar_number = forms.CharField(
        label=_("Collar or staff number"), max_length=30, required=False
    )
    officer_minutes = forms.IntegerField(
        label=_("Minutes spent (optional)"),
        min_value=0,
        max_value=7 * 24 * 60,
        required=False,
        widget=forms.NumberInput,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].initial = now_initial

    def clean(self):
        data = super().clean()
        given, family = data.get("person_given_name"), data.get("person_family_name")
        if bool(given) != bool(family):
            self.add_error(
                "person_family_name" if given else "person_given_name",
                _("Give both names of the person, or neither."),
            )
        if data.get("officer_minutes") is not None and not (
            data.get("officer_name") or data.get("collar_number")
        ):
            self.add_error("officer_name", _("Give the officer's name or collar number."))
        return data


class OfficerForm(forms.Form):
    officer_name = forms.CharField(label=_("Officer's name"), max_length=200, required=False)
    collar_number = forms.CharField(
        label=_("Collar or staff number"), max_length=30, required=False
    )
    minutes = forms.IntegerField(
        label=_("Minutes spent"),
        min_value=0,
        max_value=7 * 24 * 60,
        widget=forms.NumberInput,
        error_messages={"required": _("Enter the minutes the officer spent")},
    )


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
        choices=_blank(AgeAssessment.choices),
        required=False,
        widget=forms.Select,
    )
    # Nothing is chosen for the user: "Not known" and "Not stated" are answers they give.
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=_blank(Gender.choices),
        widget=forms.Select,
        error_messages={
            "required": _("Select the person's gender, or 'Not known' if you do not know")
        },
    )
    ethnicity = forms.ChoiceField(
        label=_("Self-defined ethnicity"),
        choices=_blank(Ethnicity.choices),
        widget=forms.Select,
        error_messages={
            "required": _(
                "Select the person's self-defined ethnicity, or 'Not stated' if they did not say"
            )
        },
        help_text=_("As the person describes it (18+1 codes). Not stated if they did not say."),
    )
    nhs_number = forms.CharField(label=_("NHS number (optional)"), max_length=14, required=False)

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
