import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import NPU
from detentions.choices import Power
from incidents.choices import IncidentCategory

from .models import ExportKind

DEFAULT_DAYS = 90
# Dates a report may cover (beyond these the UK time zone rules and date arithmetic stop making sense).
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)


class ReportFilterForm(forms.Form):
    """Date range (inclusive UK dates, default the last 90 days), NPU and category."""

    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(
            attrs={"type": "date", "class": "govuk-input govuk-input--width-10"}
        ),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(
            attrs={"type": "date", "class": "govuk-input govuk-input--width-10"}
        ),
    )
    npu = forms.ChoiceField(
        label=_("NPU"), required=False, widget=forms.Select(attrs={"class": "govuk-select"})
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *IncidentCategory.choices],
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )

    def __init__(self, *args, organisation_id=None, fixed_npu=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.npus = {
            n.code: n for n in NPU.objects.filter(force_id=organisation_id).order_by("name")
        }
        self.fields["npu"].choices = [("", _("Whole force"))] + [
            (code, n.name) for code, n in self.npus.items()
        ]
        if fixed_npu is not None:
            del self.fields["npu"]
        self.fixed_npu = fixed_npu

    def clean(self):
        data = super().clean()
        for name in ("date_from", "date_to"):
            value = data.get(name)
            if value and not (EARLIEST <= value <= LATEST):
                self.add_error(name, _("Enter a date from 1900 to 2100"))
                data[name] = None
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must be the same as or after the start date"))
        return data

    def values(self, today=None):
        """(date_from, date_to, npu or None, category or None); defaults when not given or invalid."""
        today = today or timezone.localdate()
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        date_to = data.get("date_to") or today
        date_from = data.get("date_from") or date_to - dt.timedelta(days=DEFAULT_DAYS - 1)
        npu = self.fixed_npu or self.npus.get(data.get("npu") or "")
        return date_from, date_to, npu, data.get("category") or None


#: The annual return covers one power at a time (domain.md: for s136 and for s135 separately).
RETURN_POWERS = Power.choices


class ReturnForm(ReportFilterForm):
    """The return's period and power (s136 unless another is chosen)."""

    power = forms.ChoiceField(
        label=_("Power"),
        required=False,
        choices=RETURN_POWERS,
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["npu"], self.fields["category"]


class ExportForm(forms.Form):
    kind = forms.ChoiceField(choices=ExportKind.choices)
    date_from = forms.DateField()
    date_to = forms.DateField()
    npu = forms.CharField(required=False)
    category = forms.ChoiceField(required=False, choices=[("", ""), *IncidentCategory.choices])
