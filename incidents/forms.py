"""Forms for the incident pages. They only shape input: the rules live in
`incidents.services.incidents` / `incidents.services.people`, whose refusals are shown beside
the fields (`add_service_errors`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import NPU
from core.form_fields import DateOfBirthField, LocalDateTimeField, now_initial
from people.forms import add_service_errors, blank_choices  # noqa: F401 (re-exported)
from places_of_safety.models import PlaceOfSafety

from .choices import (
    IncidentCategory,
    IncidentOutcome,
    RcrpAgency,
    RcrpThreshold,
)


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
        choices=blank_choices(IncidentCategory.choices),
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
        choices=blank_choices(RcrpAgency.choices),
        required=False,
        widget=forms.Select,
    )
    summary = forms.CharField(
        label=_("Summary (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    outcome = forms.ChoiceField(
        label=_("Outcome (optional)"),
        choices=blank_choices(IncidentOutcome.choices),
        required=False,
        widget=forms.Select,
    )
    outcome_detail = forms.CharField(
        label=_("Outcome detail (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    cad_number = forms.CharField(
        label=_("CAD incident number (optional)"),
        max_length=40,
        required=False,
        help_text=_("The incident's number in the command-and-control system."),
    )
    rms_reference = forms.CharField(
        label=_("Records-management reference (optional)"),
        max_length=40,
        required=False,
        help_text=_("The occurrence's reference in the records-management system."),
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
