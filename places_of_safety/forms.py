from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FLAGGED_STATUSES, PlaceStatus


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=PlaceStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose open, full or closed.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("Required when the place is full or closed, for example “No nurse on shift”."),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("status") in FLAGGED_STATUSES and not (data.get("reason") or "").strip():
            self.add_error(
                "reason",
                forms.ValidationError(
                    _("Give the reason the place is full or closed."),
                    code="status_reason_required",
                ),
            )
        return data


class BoardFilterForm(forms.Form):
    under_18 = forms.BooleanField(label=_("Accepts under-18s"), required=False)
    open_now = forms.BooleanField(label=_("Open now"), required=False)
