"""Forms for A4 as a request and its answer (detentions/handover.py). Nothing is pre-selected:
whether the handover is accepted and whether police must stay are the health staff's answers."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import RuleForm

ACCEPT = "accept"
DECLINE = "decline"


class HandoverRequestForm(RuleForm):
    note = forms.CharField(
        label=_("Anything health staff should know (optional)"),
        help_text=_("For example a risk, a need or what has happened so far."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HandoverAnswerForm(RuleForm):
    """Accept (with whether police must stay, and why) or decline (with why)."""

    violation_fields = {"decline_reason": "decline_reason"}

    decision = forms.ChoiceField(
        label=_("Can you take over the person's care now?"),
        choices=[
            (ACCEPT, _("Yes, accept the handover")),
            (DECLINE, _("No, decline it for now")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether you accept the handover")},
    )
    received_by = forms.CharField(
        label=_("Your name and role"),
        max_length=200,
        error_messages={"required": _("Enter your name and role")},
    )
    police_must_stay = forms.ChoiceField(
        label=_("If you accept: must the police stay?"),
        help_text=_("For example when there is a risk of violence that staff cannot manage."),
        choices=[("no", _("No, police may leave")), ("yes", _("Yes, police must stay"))],
        widget=forms.RadioSelect,
        required=False,
    )
    stay_reason = forms.CharField(
        label=_("If police must stay: why?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    decline_reason = forms.CharField(
        label=_("If you decline: why?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cd = super().clean()
        decision = cd.get("decision")
        if decision == ACCEPT:
            if not cd.get("police_must_stay"):
                self.add_error(
                    "police_must_stay", _("Select whether the police must stay with the person")
                )
            elif cd["police_must_stay"] == "yes" and not (cd.get("stay_reason") or "").strip():
                self.add_error("stay_reason", _("Enter why the police must stay"))
        elif decision == DECLINE and not (cd.get("decline_reason") or "").strip():
            self.add_error("decline_reason", _("Enter why you cannot accept the handover now"))
        return cd

    @property
    def must_stay(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("police_must_stay"))


class QuickAcceptForm(RuleForm):
    """Accept in one step from "People here now" (the staff member's own name)."""

    police_must_stay = forms.ChoiceField(
        label=_("Must the police stay?"),
        choices=[("no", _("No, police may leave")), ("yes", _("Yes, police must stay"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether the police must stay with the person")},
    )
    stay_reason = forms.CharField(
        label=_("If police must stay: why?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        cd = super().clean()
        if cd.get("police_must_stay") == "yes" and not (cd.get("stay_reason") or "").strip():
            self.add_error("stay_reason", _("Enter why the police must stay"))
        return cd
