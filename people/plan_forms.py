"""Forms for the response plan pages. They shape input only: the rules are in `people.plans`,
whose refusals are shown beside the fields (`people.forms.add_service_errors`)."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from accounts.roles import OrganisationKind
from core.form_fields import DateOfBirthField

from .choices import MarkerKind
from .forms import blank_choices


class ReviewDateField(DateOfBirthField):
    """A calendar date as day / month / year (the service checks it is ahead and near enough)."""

    default_error_messages = {"invalid_date": _("Enter a real date, for example 27 3 2027")}

    def to_python(self, value):
        if not value:
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date(int(value["year"]), int(value["month"]), int(value["day"]))
        except (TypeError, ValueError, KeyError):
            raise forms.ValidationError(
                self.error_messages["invalid_date"], code="invalid_date"
            ) from None


class PlanForm(forms.Form):
    what_helps = forms.CharField(
        label=_("What helps"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What calms the person or helps them engage, in plain words."),
    )
    what_to_avoid = forms.CharField(
        label=_("What to avoid"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What makes things worse: words, actions, places, being touched..."),
    )
    who_to_call = forms.CharField(
        label=_("Who to call"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Services or teams to call, and when. Add named people as contacts."),
    )
    addressed_to = forms.ModelMultipleChoiceField(
        label=_("Share with these partners once approved"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The person's force always sees it. Partners see it only if chosen here: choose "
            "those who will meet the person."
        ),
    )

    def __init__(self, *args, force=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["addressed_to"].queryset = (
            Organisation.objects.filter(active=True)
            .exclude(kind=OrganisationKind.POLICE_FORCE)
            .order_by("name")
        )


class NewPlanForm(PlanForm):
    person = forms.ModelChoiceField(
        label=_("Who is the plan for?"),
        queryset=Organisation.objects.none(),  # people.policy.people_for_plans, set by the view
        empty_label="",
        error_messages={"required": _("Select the person the plan is for")},
    )
    field_order = ["person"]

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class ContactForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=200, error_messages={"required": _("Enter the name")}
    )
    relationship = forms.CharField(
        label=_("Relationship or role"),
        max_length=200,
        help_text=_("For example: mother, care coordinator, crisis team."),
        error_messages={"required": _("Enter the relationship or role")},
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        error_messages={"required": _("Enter a phone number")},
    )
    when_to_call = forms.CharField(
        label=_("When to call (optional)"),
        max_length=300,
        required=False,
        help_text=_("For example: any time; weekdays 9 to 5; only if the person asks."),
    )


class MarkerForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of warning"),
        choices=blank_choices(MarkerKind.choices),
        error_messages={"required": _("Select the kind of warning")},
    )
    details = forms.CharField(
        label=_("Details"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What an officer needs to know and do, in a sentence or two."),
        error_messages={"required": _("Enter the details of the warning")},
    )
    review_on = ReviewDateField(
        label=_("Review date"),
        help_text=_(
            "After this date the marker is no longer shown to officers. At most two years ahead."
        ),
        error_messages={"required": _("Enter the review date")},
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[("approve", _("Approve: share it as written")), ("reject", _("Reject it"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select approve or reject")},
    )
    reason = forms.CharField(
        label=_("If you reject it: why?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The writer sees this and can change the plan."),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the plan withdrawn?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the plan's history."),
        error_messages={"required": _("Say why the plan is withdrawn")},
    )
