"""Forms for the assessment pages. Times are entered in UK local time and stored in UTC."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AssessmentOutcome, DelayReason

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeField(forms.DateTimeField):
    """A date and time picker (`datetime-local`) read in Europe/London."""

    widget = forms.DateTimeInput(
        attrs={"type": "datetime-local", "class": "govuk-input govuk-input--width-20"},
        format=DATETIME_FORMAT,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("input_formats", [DATETIME_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"])
        kwargs.setdefault(
            "error_messages",
            {"invalid": _("Enter a real date and time, for example 22/11/2026 14:30.")},
        )
        super().__init__(*args, **kwargs)


def _text(label, required=False, width=20):
    return forms.CharField(
        label=label,
        required=required,
        max_length=200,
        widget=forms.TextInput(attrs={"class": f"govuk-input govuk-input--width-{width}"}),
    )


YES_NO_UNKNOWN = [("", _("Not known")), ("yes", _("Yes")), ("no", _("No"))]


class YesNoField(forms.TypedChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", YES_NO_UNKNOWN)
        kwargs.setdefault("required", False)
        kwargs.setdefault("coerce", lambda v: {"yes": True, "no": False}.get(v))
        kwargs.setdefault("empty_value", None)
        kwargs.setdefault("widget", forms.Select(attrs={"class": "govuk-select"}))
        super().__init__(*args, **kwargs)


def yes_no_initial(value):
    return {True: "yes", False: "no"}.get(value, "")


class StepsForm(forms.Form):
    amhp_requested_at = LocalDateTimeField(label=_("AMHP requested"))
    amhp_arrived_at = LocalDateTimeField(label=_("AMHP arrived"))
    amhp_name = _text(_("AMHP's name"))
    doctor_requested_at = LocalDateTimeField(label=_("Doctor requested"))
    doctor_arrived_at = LocalDateTimeField(label=_("Doctor arrived"))
    doctor_name = _text(_("Doctor's name"))
    doctor_s12_approved = YesNoField(label=_("Is the doctor section 12 approved?"))
    responsible_doctor_name = _text(
        _("Registered medical practitioner responsible for the examination")
    )
    second_doctor_name = _text(_("Second doctor's name"))
    second_doctor_s12_approved = YesNoField(label=_("Is the second doctor section 12 approved?"))
    started_at = LocalDateTimeField(label=_("Assessment started"))
    completed_at = LocalDateTimeField(label=_("Assessment completed"))


class BedForm(forms.Form):
    bed_requested_at = LocalDateTimeField(label=_("Bed requested"))
    bed_found_at = LocalDateTimeField(label=_("Bed found"))
    bed_location = _text(_("Where the bed is (hospital and ward)"), width=30)
    admit = forms.BooleanField(
        label=_("The person has been admitted to this bed: end the detention"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
    )


class DelayForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason for the delay"),
        choices=[("", _("Choose a reason"))] + list(DelayReason.choices),
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"required": _("Choose the reason for the delay.")},
    )
    started_at = LocalDateTimeField(label=_("Delay started"), help_text=_("Leave blank for now."))
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 2}),
    )


class EndDelayForm(forms.Form):
    ended_at = LocalDateTimeField(label=_("Delay ended"), help_text=_("Leave blank for now."))


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome of the assessment"),
        choices=AssessmentOutcome.choices,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
        error_messages={"required": _("Choose the outcome of the assessment.")},
    )
    decided_at = LocalDateTimeField(
        label=_("Decided at"), help_text=_("Leave blank for now. The detention ends at this time.")
    )
    awaiting_bed = forms.BooleanField(
        label=_("Admission: the person is waiting for a bed, so the detention goes on"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 2}),
    )


class NoMentalDisorderForm(forms.Form):
    found_at = LocalDateTimeField(
        label=_("Examination completed at"), help_text=_("Leave blank for now.")
    )
    doctor_name = _text(_("Doctor's name"))


class DelayReportForm(forms.Form):
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(
            attrs={"type": "date", "class": "govuk-input govuk-input--width-10"},
            format="%Y-%m-%d",
        ),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(
            attrs={"type": "date", "class": "govuk-input govuk-input--width-10"},
            format="%Y-%m-%d",
        ),
    )
