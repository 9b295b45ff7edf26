"""Phone-first forms for force, search and restraint. Nothing is pre-selected: every choice
that becomes part of the record is the officer's own. The services judge the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.form_fields import LocalDateTimeField
from detentions.forms import YES_NO, RuleForm
from places_of_safety.models import PlaceOfSafety

from .models import SEARCH_INPUT, USE_OF_FORCE_INPUT, Reason, ReviewDecision, Tactic, Where


def _required(message):
    return {"required": message}


def _yes_no(label, message):
    """A yes/no question with neither answer chosen (the service gets a bool)."""
    field = forms.ChoiceField(
        label=label, choices=YES_NO, widget=forms.RadioSelect, error_messages=_required(message)
    )
    field.yes_no = True
    return field


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

    def service_kwargs(self) -> dict:
        """Every field as the service takes it (yes/no answers as bools)."""
        cd = self.cleaned_data
        return {
            name: cd[name] == "yes" if getattr(field, "yes_no", False) else cd.get(name)
            for name, field in self.fields.items()
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
    person_injured = _yes_no(_("Was the person injured?"), _("Say whether the person was injured"))
    officer_injured = _yes_no(_("Was an officer injured?"), _("Say whether an officer was injured"))
    injury_detail = forms.CharField(
        label=_("Injuries"),
        help_text=_("Who was injured, how, and any treatment."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    field_order = USE_OF_FORCE_INPUT


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
    items_found = _yes_no(_("Was anything found?"), _("Say whether anything was found"))
    found_description = forms.CharField(
        label=_("What was found"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    kept_description = forms.CharField(
        label=_("What was kept"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    field_order = SEARCH_INPUT


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
