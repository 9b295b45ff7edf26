"""Forms for approvals (PS3, E5): asking, deciding from the approver's own account, recording
an approval given on the approver's word. Nothing legal is chosen for the user: the kind, the
rank and the answer are theirs; times default to now and stay editable."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.form_fields import LocalDateTimeField, now_initial
from detentions.choices import Rank
from detentions.forms import RuleForm
from detentions.models import Approval
from places_of_safety.models import PlaceKind, PlaceOfSafety

INSPECTOR_AND_ABOVE = [
    (r.value, r.label) for r in Rank if r not in (Rank.CONSTABLE, Rank.SERGEANT, Rank.AMHP)
]
SUPERINTENDENT_AND_ABOVE = [
    (r.value, r.label)
    for r in Rank
    if r
    in (
        Rank.SUPERINTENDENT,
        Rank.CHIEF_SUPERINTENDENT,
        Rank.ASSISTANT_CHIEF_CONSTABLE,
        Rank.DEPUTY_CHIEF_CONSTABLE,
        Rank.CHIEF_CONSTABLE,
    )
]
KIND_CHOICES = [
    (
        Approval.Kind.POLICE_STATION,
        _("An inspector's authorisation to use a police station as the place of safety"),
    ),
    (
        Approval.Kind.EXTENSION,
        _("A superintendent's approval of an extension at a police station"),
    ),
]


class RequestForm(RuleForm):
    kind = forms.ChoiceField(
        label=_("What do you need?"),
        choices=KIND_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select what you need approved")},
    )
    place = forms.ModelChoiceField(
        label=_("Which police station? (if you know)"),
        queryset=PlaceOfSafety.objects.none(),
        required=False,
    )
    note = forms.CharField(
        label=_("Anything the approver should know"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = PlaceOfSafety.objects.filter(
            active=True, kind=PlaceKind.POLICE_STATION
        ).order_by("name")


class OnWordForm(RuleForm):
    kind = forms.ChoiceField(
        label=_("What did they approve?"),
        choices=KIND_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select what was approved")},
    )
    approver_name = forms.CharField(
        label=_("Name of the officer who approved it"),
        max_length=200,
        error_messages={"required": _("Enter the name of the officer who approved it")},
    )
    approver_rank = forms.ChoiceField(
        label=_("Their rank"),
        choices=[("", "")] + INSPECTOR_AND_ABOVE,
        error_messages={"required": _("Select the rank of the officer who approved it")},
    )
    decided_at = LocalDateTimeField(
        label=_("When did they approve it?"),
        initial=now_initial,
        help_text=_("UK time."),
        error_messages={"required": _("Enter when they approved it")},
    )


class ApproveForm(RuleForm):
    """One step: the legally required fields only (name from the account; rank and time)."""

    rank = forms.ChoiceField(
        label=_("Your rank"),
        choices=[("", "")] + INSPECTOR_AND_ABOVE,
        error_messages={"required": _("Select your rank")},
    )
    decided_at = LocalDateTimeField(
        label=_("When do you approve it?"),
        initial=now_initial,
        help_text=_("UK time: now, unless you approved it earlier."),
        error_messages={"required": _("Enter when you approve it")},
    )

    def __init__(self, *args, kind=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kind == Approval.Kind.EXTENSION:
            self.fields["rank"].choices = [("", "")] + SUPERINTENDENT_AND_ABOVE


class RefuseForm(RuleForm):
    reason = forms.CharField(
        label=_("Why do you refuse?"),
        help_text=_("The sergeant who asked reads this."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter why you refuse")},
    )
