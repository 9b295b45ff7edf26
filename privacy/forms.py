from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Decision


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to delete the record or keep it")},
    )
    keep_until = forms.DateField(
        label=_("Keep until (if keeping it)"),
        required=False,
        help_text=_("For example, 31/12/2027"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": _("Enter the date as day/month/year, like 31/12/2027")},
    )
    reason = forms.CharField(
        label=_("Reason for the decision"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": _("Give the reason for the decision")},
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == Decision.KEEP and not data.get("keep_until"):
            self.add_error("keep_until", _("Give the date to keep the record until"))
        return data
