from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.form_fields import DateOfBirthField

from .models import Topic


class DateField(DateOfBirthField):
    """A calendar date as day / month / year (any date; the service checks the rules)."""

    default_error_messages = {"invalid_date": _("Enter a real date, for example 27 3 2026")}

    def to_python(self, value):
        import datetime as dt

        if not value:
            return None
        if isinstance(value, dt.date):
            return value
        try:
            day = dt.date(int(value["year"]), int(value["month"]), int(value["day"]))
        except (TypeError, ValueError, KeyError):
            raise forms.ValidationError(
                self.error_messages["invalid_date"], code="invalid_date"
            ) from None
        if day.year < 1990 or day.year > 2100:
            raise forms.ValidationError(self.error_messages["invalid_date"], code="invalid_date")
        return day


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ProtocolForm(forms.Form):
    partner = OrganisationChoiceField(
        label=_("Partner organisation"),
        queryset=Organisation.objects.none(),
        empty_label="",
        error_messages={"required": _("Choose the partner organisation")},
    )
    topic = forms.ChoiceField(
        label=_("Topic"),
        choices=[("", "")] + list(Topic.choices),
        error_messages={"required": _("Choose a topic")},
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, error_messages={"required": _("Enter the title")}
    )
    version = forms.CharField(
        label=_("Version"),
        max_length=20,
        help_text=_("For example 2.1"),
        error_messages={"required": _("Enter the version")},
    )
    owner = forms.CharField(
        label=_("Owner"),
        max_length=200,
        help_text=_("The person or role responsible for keeping it current."),
        error_messages={"required": _("Enter the owner")},
    )
    signed_on = DateField(label=_("Date signed"), required=True)
    review_due_on = DateField(label=_("Review due"), required=True)
    document = forms.FileField(
        label=_("Document"),
        help_text=_("PDF, Word (.docx) or OpenDocument text (.odt), at most 10 MB."),
        error_messages={"required": _("Select the signed document")},
    )

    def __init__(self, *args, force, previous=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signed_on"].error_messages["required"] = _("Enter the date signed")
        self.fields["review_due_on"].error_messages["required"] = _("Enter the review date")
        self.fields["partner"].queryset = Organisation.objects.filter(active=True).exclude(
            pk=force.pk
        )
        if previous is not None:
            del self.fields["partner"]
            del self.fields["topic"]
