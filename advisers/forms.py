from django import forms
from django.utils.translation import gettext_lazy as _

from core.form_fields import LocalDateTimeField

from .models import Function
from .services import advisers_of


class AdviserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class ShiftForm(forms.Form):
    function = forms.ChoiceField(
        label=_("Function"),
        choices=Function.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a function")},
    )
    adviser = AdviserChoiceField(
        label=_("Adviser"),
        queryset=None,
        empty_label="",
        error_messages={"required": _("Choose the adviser")},
    )
    starts_at = LocalDateTimeField(
        label=_("Shift starts"), error_messages={"required": _("Enter when the shift starts")}
    )
    ends_at = LocalDateTimeField(
        label=_("Shift ends"), error_messages={"required": _("Enter when the shift ends")}
    )
    notes = forms.CharField(label=_("Notes"), required=False, max_length=300)

    def __init__(self, *args, force, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adviser"].queryset = advisers_of(force)


class AdviceForm(forms.Form):
    function = forms.ChoiceField(
        label=_("Which adviser function gave the advice?"),
        choices=Function.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the function the adviser covered")},
    )
    adviser = AdviserChoiceField(
        label=_("Adviser"),
        queryset=None,
        required=False,
        empty_label="",
        help_text=_("Advisers on duty now are listed first."),
    )
    adviser_name = forms.CharField(
        label=_("Or the adviser's name, if they are not listed"),
        required=False,
        max_length=200,
    )
    requested_at = LocalDateTimeField(
        label=_("When was advice requested?"),
        error_messages={"required": _("Enter when advice was requested")},
    )
    advice_given_at = LocalDateTimeField(
        label=_("When was the advice given?"),
        error_messages={"required": _("Enter when the advice was given")},
    )
    advice = forms.CharField(
        label=_("Advice given"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": _("Enter the advice given")},
    )

    def __init__(self, *args, force, on_duty_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        qs = advisers_of(force)
        self.fields["adviser"].queryset = qs
        # On-duty advisers first, then everyone else (a choice list, one query).
        users = list(qs)
        on_duty = [u for u in users if u.pk in on_duty_ids]
        others = [u for u in users if u.pk not in on_duty_ids]
        self.fields["adviser"].choices = (
            [("", "")]
            + [(u.pk, _("%(name)s (on duty now)") % {"name": u}) for u in on_duty]
            + [(u.pk, str(u)) for u in others]
        )

    def clean(self):
        data = super().clean()
        if not data.get("adviser") and not (data.get("adviser_name") or "").strip():
            self.add_error("adviser", _("Choose the adviser or enter their name"))
        return data
