"""The alert channels page: how a person is told about alerts."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Channel


class ChannelsForm(forms.Form):
    channels = forms.MultipleChoiceField(
        label=_("How do you want to be told about alerts?"),
        help_text=_("Select all that apply."),
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    mobile_number = forms.CharField(
        label=_("UK mobile number (for text messages)"),
        help_text=_("For example, 07700 900123. Leave it empty to remove it."),
        required=False,
        max_length=30,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "tel",
                "type": "tel",
                "class": "govuk-input govuk-input--width-20",
            }
        ),
    )
