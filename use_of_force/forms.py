"""Phone-first forms for force, search and restraint. Nothing is pre-selected: every choice
that becomes part of the record is the officer's own. The services judge the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from incidents.forms.detentions import YES_NO, RuleForm
from incidents.forms.fields import LocalDateTimeField
from places_of_safety.models import PlaceOfSafety

from .models import Reason, ReviewDecision, Tactic, Where


def _yes(value) -> bool:
    return value == "yes"


def _required(message):
    return {"required": message}


class _WhereForm(RuleForm):
    officer_name = forms.CharField(
        label=_("Officer's name"),
        max_length=200,
        error_messages=_required(_("Enter the officer's name")),
    )
    officer_number = forms.CharField(
        label=_("Officer's collar or warrant number"), max_length=30, required=False
    )
    location = forms.ChoiceField(
        label=_("Where was it?"),
        choices=Where.choices,
        widget=forms.RadioSelect,
        error_messages=_required(_("Choose where it was")),
    )
    place_of_safety = forms.ModelChoiceField(
        label=_("Which place of safety?"),
        help_text=_("If it was at a place of safety. Leave blank for where the person was then."),
        queryset=PlaceOfSafety.objects.filter(active=True).order_by("name"),
        required=False,
        empty_label="",
    )

    def where_kwargs(self) -> dict:
        cd = self.cleaned_data
        return {
            "officer_name": cd["officer_name"],
            "officer_number": cd.get("officer_number") or "",
            "location": cd["location"],
            "place_of_safety": cd.get("place_of_safety"),
        }


class UseOfForceForm(_WhereForm):
    tactic = forms.ChoiceField(
        label=_("Which tactic was used?"),
        help_text=_("One tactic per record: record each tactic, and each officer, separately."),
        choices=Tactic.choices,
        widget=forms.RadioSelect,
        error_messages=_required(_("Choose the tactic used")),
    )
    tactic_detail = forms.CharField(
        label=_("If other, what was it?"), max_length=300, required=False
    )
    used_at = LocalDateTimeField(
        label=_("When was it used?"),
        error_messages=_required(_("Enter when the tactic was used")),
    )
    reasons = forms.MultipleChoiceField(
        label=_("Why was it used?"),
        help_text=_("Choose all that apply."),
        choices=Reason.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reason_detail = forms.CharField(
        label=_("Why, in the officer's words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    person_injured = forms.ChoiceField(
        label=_("Was the person injured?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages=_required(_("Say whether the person was injured")),
    )
    officer_injured = forms.ChoiceField(
        label=_("Was an officer injured?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages=_required(_("Say whether an officer was injured")),
    )
    injury_detail = forms.CharField(
        label=_("Injuries"),
        help_text=_("Who was injured, how, and any treatment."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    field_order = [
        "officer_name",
        "officer_number",
        "tactic",
        "tactic_detail",
        "used_at",
        "location",
        "place_of_safety",
        "reasons",
        "reason_detail",
        "person_injured",
        "officer_injured",
        "injury_detail",
    ]

    def service_kwargs(self) -> dict:
        cd = self.cleaned_data
        return {
            **self.where_kwargs(),
            "tactic": cd["tactic"],
            "tactic_detail": cd.get("tactic_detail") or "",
            "used_at": cd["used_at"],
            "reasons": list(cd.get("reasons") or []),
            "reason_detail": cd.get("reason_detail") or "",
            "person_injured": _yes(cd["person_injured"]),
            "officer_injured": _yes(cd["officer_injured"]),
            "injury_detail": cd.get("injury_detail") or "",
        }


class SearchForm(_WhereForm):
    searched_at = LocalDateTimeField(
        label=_("When was the search?"),
        error_messages=_required(_("Enter when the search was made")),
    )
    grounds = forms.CharField(
        label=_("Grounds for the search"),
        help_text=_(
            "Why you believed the person may be a danger to themselves or others and may be "
            "concealing something that could cause physical injury."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required(_("Give the grounds for the search")),
    )
    items_found = forms.ChoiceField(
        label=_("Was anything found?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages=_required(_("Say whether anything was found")),
    )
    found_description = forms.CharField(
        label=_("What was found"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    kept_description = forms.CharField(
        label=_("What was kept"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    field_order = [
        "officer_name",
        "officer_number",
        "searched_at",
        "location",
        "place_of_safety",
        "grounds",
        "items_found",
        "found_description",
        "kept_description",
    ]

    def service_kwargs(self) -> dict:
        cd = self.cleaned_data
        return {
            **self.where_kwargs(),
            "searched_at": cd["searched_at"],
            "grounds": cd["grounds"],
            "items_found": _yes(cd["items_found"]),
            "found_description": cd.get("found_description") or "",
            "kept_description": cd.get("kept_description") or "",
        }


class ReviewForm(RuleForm):
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=ReviewDecision.choices,
        widget=forms.RadioSelect,
        error_messages=_required(_("Choose your decision")),
    )
    note = forms.CharField(
        label=_("Note of the review"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_required(_("Write a note of the review")),
    )
