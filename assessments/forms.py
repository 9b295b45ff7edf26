"""Forms for the assessment pages. Times use the project's one date-and-time pattern
(`core.form_fields.LocalDateTimeField`: a GOV.UK date input and a time, Europe/London, the
clocks' changes handled), entered in UK local time and stored in UTC."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.form_fields import LocalDateTimeField, now_initial

from .models import AssessmentOutcome, DelayReason


def _when(label, **kwargs):
    """An optional UK date and time (a blank one changes nothing)."""
    kwargs.setdefault("required", False)
    return LocalDateTimeField(label=label, **kwargs)


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


class AmhpForm(forms.Form):
    amhp_requested_at = _when(_("When was the AMHP requested?"))
    amhp_arrived_at = _when(_("When did the AMHP arrive?"))
    amhp_name = _text(_("AMHP's name"))


class DoctorForm(forms.Form):
    doctor_requested_at = _when(_("When was the doctor requested?"))
    doctor_arrived_at = _when(_("When did the doctor arrive?"))
    doctor_name = _text(_("Doctor's name"))
    doctor_s12_approved = YesNoField(label=_("Is the doctor section 12 approved?"))
    responsible_doctor_name = _text(
        _("Registered medical practitioner responsible for the examination")
    )
    second_doctor_name = _text(_("Second doctor's name"))
    second_doctor_s12_approved = YesNoField(label=_("Is the second doctor section 12 approved?"))


class TimesForm(forms.Form):
    started_at = _when(_("When did the assessment start?"))
    completed_at = _when(_("When was the assessment completed?"))


#: The task pages' forms, by task (each saves only what the user changed).
TASK_FORMS = {"amhp": AmhpForm, "doctor": DoctorForm, "times": TimesForm}


class ArrivedForm(forms.Form):
    """ "I have arrived": the time defaults to now and can be changed before it is recorded."""

    arrived_at = LocalDateTimeField(
        label=_("When did you arrive?"),
        initial=now_initial,
        help_text=_("UK time. Change it if you arrived earlier."),
        error_messages={"required": _("Enter when you arrived")},
    )
    name = _text(_("Your name as it goes on the record"), width=30)


class DoctorArrivedForm(ArrivedForm):
    s12_approved = YesNoField(label=_("Are you section 12 approved?"))


class BedForm(forms.Form):
    bed_requested_at = _when(_("When was the bed requested?"))
    bed_found_at = _when(_("When was a bed found?"))
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
    started_at = _when(_("When did the delay start?"), initial=now_initial, help_text=_("UK time."))
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 2}),
    )


class EndDelayForm(forms.Form):
    ended_at = _when(_("When did the delay end?"), initial=now_initial, help_text=_("UK time."))


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What is the outcome of the assessment?"),
        choices=AssessmentOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the outcome of the assessment")},
    )
    decided_at = LocalDateTimeField(
        label=_("When was it decided?"),
        initial=now_initial,
        help_text=_("UK time. Unless the person waits for a bed, the detention ends at this time."),
        error_messages={"required": _("Enter when the outcome was decided")},
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
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm_missing = forms.BooleanField(
        label=_("I understand these are missing. Record the outcome now: they can be added later."),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
    )

    def __init__(self, *args, missing=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.missing = list(missing)
        if not self.missing:
            del self.fields["confirm_missing"]

    def clean(self):
        cd = super().clean()
        # A1: a missing assessment record never blocks the outcome; the user only confirms
        # that they know what is missing (it can be entered later, R2).
        if self.missing and not cd.get("confirm_missing"):
            self.add_error(
                "confirm_missing",
                _(
                    "Confirm that you want to record the outcome although the assessment "
                    "record is incomplete, or add what is missing first"
                ),
            )
        return cd


class NoMentalDisorderForm(forms.Form):
    found_at = LocalDateTimeField(
        label=_("When was the examination completed?"),
        initial=now_initial,
        help_text=_("UK time. The person is released and the detention ends at this time."),
        error_messages={"required": _("Enter when the examination was completed")},
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
