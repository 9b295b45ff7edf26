"""Forms for recording a detention and its events. They collect and tidy input only: the law is
applied by the service functions, whose `RuleViolation`s are shown next to the field they
name (`RuleForm.add_violations`)."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from core import law_text
from core.form_fields import DateOfBirthField, LocalDateTimeField, now_initial
from detentions import selectors
from detentions.choices import (
    ConveyanceMode,
    ExtensionGround,
    LocationKind,
    Mode,
    Outcome,
    PoliceVehicleReason,
    Power,
    Profession,
    Rank,
)
from detentions.models import Correction
from people.choices import AgeAssessment, Ethnicity, Gender
from people.validators import validate_nhs_number
from places_of_safety.models import PlaceKind, PlaceOfSafety

YES_NO = [("yes", _("Yes")), ("no", _("No"))]

POLICE_RANKS = [(r.value, r.label) for r in Rank if r != Rank.AMHP]


def _yes(value) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def place_label(place) -> str:
    return str(place)


def place_hint(place) -> str:
    parts = [str(place.get_kind_display())]
    parts.append(str(_("accepts under-18s") if place.accepts_under_18 else _("adults only")))
    status = getattr(place, "effective_status", None) or place.declared_status
    parts.append(str(dict(PlaceOfSafety._meta.get_field("declared_status").choices)[status]))
    occupancy = getattr(place, "occupancy", None)
    if occupancy is not None:
        parts.append(str(_("%(n)s of %(c)s in use")) % {"n": occupancy, "c": place.capacity})
    return ", ".join(parts)


def places_with_status():
    """Active places with `occupancy` and `effective_status`, by kind and name."""
    return list(
        selectors.with_occupancy(PlaceOfSafety.objects.filter(active=True)).order_by("kind", "name")
    )


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return place_label(obj)


class RuleForm(forms.Form):
    """A form whose service may refuse with rule violations.

    `violation_fields` maps a violation's `attr` to the field the message belongs beside;
    a violation naming no field of this form goes in the error summary only."""

    violation_fields: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.violation_codes: list[str] = []

    def field_for(self, attr):
        if attr in self.violation_fields:
            return self.violation_fields[attr]
        if attr in self.fields:
            return attr
        return None

    def add_violations(self, exc) -> None:
        for v in exc.violations:
            self.violation_codes.append(v.code)
            name = self.field_for(v.attr)
            message = law_text.message(v.message)
            if name is not None and name in self.errors and message in self.errors[name]:
                continue
            self.add_error(name, message)


class PoliceStationDecisionMixin(forms.Form):
    """PS2/PS3: the decision to use a police station and an inspector's authorisation."""

    conditions = forms.MultipleChoiceField(
        label=_("The decision-maker confirms"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (
                "imminent_risk",
                _(
                    "(a) Their behaviour poses an imminent risk of serious injury or death "
                    "to themselves or another person"
                ),
            ),
            (
                "no_other_place",
                _(
                    "(b) Because of that risk, no other place of safety in the area can "
                    "reasonably be expected to detain them"
                ),
            ),
            (
                "hcp_available",
                _("(c) A healthcare professional will be present and available"),
            ),
        ],
    )
    decision_maker_name = forms.CharField(
        label=_("Decision-maker's name"), required=False, max_length=200
    )
    decision_maker_rank = forms.ChoiceField(
        label=_("Decision-maker's rank"),
        required=False,
        choices=[("", "")] + [(r.value, r.label) for r in Rank],
    )
    consulted_professional = forms.CharField(
        label=_("Healthcare professional consulted about using the police station"),
        help_text=_("Needed when a constable decides. Name and profession."),
        required=False,
        max_length=200,
    )
    decision_consultation_not_practicable_reason = forms.CharField(
        label=_("Or why consulting was not practicable"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    inspector_name = forms.CharField(
        label=_("Authorising inspector's name"),
        help_text=_(
            "Needed when the decision-maker is below the rank of inspector. Leave it blank "
            "when an inspector approved it from their own account (ask one from the detention's "
            "page); a name typed here is recorded as given on the inspector's word."
        ),
        required=False,
        max_length=200,
    )
    inspector_rank = forms.ChoiceField(
        label=_("Authorising officer's rank"),
        required=False,
        choices=[("", "")]
        + [(r.value, r.label) for r in Rank if r not in (Rank.CONSTABLE, Rank.SERGEANT, Rank.AMHP)],
    )
    authorised_at = LocalDateTimeField(
        label=_("When the inspector authorised it"), required=False, initial=now_initial
    )

    decision_fields = (
        "conditions",
        "decision_maker_name",
        "decision_maker_rank",
        "consulted_professional",
        "decision_consultation_not_practicable_reason",
        "inspector_name",
        "inspector_rank",
        "authorised_at",
    )

    def decision(self) -> dict:
        cd = self.cleaned_data
        conditions = set(cd.get("conditions") or [])
        return {
            "imminent_risk": "imminent_risk" in conditions,
            "no_other_place": "no_other_place" in conditions,
            "hcp_available": "hcp_available" in conditions,
            "decision_maker_name": cd.get("decision_maker_name") or "",
            "decision_maker_rank": cd.get("decision_maker_rank") or "",
            "consulted_professional": cd.get("consulted_professional") or "",
            "consultation_not_practicable_reason": cd.get(
                "decision_consultation_not_practicable_reason"
            )
            or "",
            "inspector_name": cd.get("inspector_name") or "",
            "inspector_rank": cd.get("inspector_rank") or "",
            "authorised_at": cd.get("authorised_at"),
        }

    def decision_for(self, place) -> dict | None:
        """The decision dict when `place` is a police station (the service ignores it otherwise)."""
        if place is None or place.kind != PlaceKind.POLICE_STATION:
            return None
        return self.decision()


DECISION_VIOLATIONS = {"police_station_decision": "conditions"}


class DecisionRuleForm(PoliceStationDecisionMixin, RuleForm):
    violation_fields = dict(DECISION_VIOLATIONS)

    def add_violations(self, exc) -> None:
        for v in exc.violations:
            self.violation_codes.append(v.code)
            if v.code == "inspector_authorisation_required":
                name = "inspector_name"
            else:
                name = self.field_for(v.attr)
            message = law_text.message(v.message)
            if name is not None and name in self.errors and message in self.errors[name]:
                continue
            self.add_error(name, message)


class StartDetentionForm(DecisionRuleForm):
    """The short street form: person, power, where, consultation, conveyance, mode."""

    violation_fields = {
        **DECISION_VIOLATIONS,
        "consultation": "consulted",
        "arrived_at": "detained_at",
    }

    # Person
    person = forms.CharField(required=False, widget=forms.RadioSelect)
    given_name = forms.CharField(label=_("Given name"), required=False, max_length=100)
    family_name = forms.CharField(label=_("Family name"), required=False, max_length=100)
    date_of_birth = DateOfBirthField(label=_("Date of birth"), required=False)
    age_assessment = forms.ChoiceField(
        label=_("If the date of birth is not known: how old do they appear?"),
        required=False,
        widget=forms.RadioSelect,
        choices=AgeAssessment.choices,
    )
    # Nothing is chosen for the user: "Not known" and "Not stated" are answers they give.
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", "")] + list(Gender.choices), required=False
    )
    ethnicity = forms.ChoiceField(
        label=_("Self-defined ethnicity"),
        choices=[("", "")] + list(Ethnicity.choices),
        required=False,
    )
    nhs_number = forms.CharField(
        label=_("NHS number (optional)"),
        required=False,
        max_length=12,
        help_text=_("10 digits, for example 943 476 5919"),
    )

    # Power
    power = forms.ChoiceField(
        label=_("Power used"),
        choices=Power.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the power used")},
    )
    warrant_issued_at = LocalDateTimeField(label=_("When the warrant was issued"), required=False)
    premises_entered_at = LocalDateTimeField(
        label=_("When officers first entered the premises"), required=False
    )
    detained_at = LocalDateTimeField(
        label=_("When the person was detained"),
        initial=now_initial,
        error_messages={"required": _("Enter when the person was detained")},
    )

    # Where
    location_kind = forms.ChoiceField(
        label=_("Where was the power used?"),
        choices=LocationKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select where the power was used")},
    )
    location_description = forms.CharField(
        label=_("Describe the location"),
        help_text=_("For example: Castleford railway station, platform 2"),
        required=False,
        max_length=300,
    )
    npu = forms.ModelChoiceField(
        label=_("Neighbourhood policing unit"), queryset=None, required=False
    )

    # Consultation (P2)
    consulted = forms.ChoiceField(
        label=_("Did you consult a healthcare professional before detaining?"),
        choices=[("yes", _("Yes")), ("no", _("No, it was not practicable"))],
        widget=forms.RadioSelect,
        required=False,
    )
    consultation_profession = forms.ChoiceField(
        label=_("Their profession"), choices=[("", "")] + list(Profession.choices), required=False
    )
    consultation_name = forms.CharField(label=_("Their name"), required=False, max_length=200)
    consulted_at = LocalDateTimeField(
        label=_("When you consulted them"), required=False, initial=now_initial
    )
    consultation_advice = forms.CharField(
        label=_("Their advice"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    consultation_not_practicable_reason = forms.CharField(
        label=_("Why was consulting not practicable?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    # Conveyance (P3)
    conveyance_mode = forms.ChoiceField(
        label=_("How is the person being conveyed?"),
        choices=ConveyanceMode.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select how the person is being taken to the place of safety")
        },
    )
    conveyance_reason = forms.ChoiceField(
        label=_("Why a police vehicle?"),
        choices=[("", "")] + list(PoliceVehicleReason.choices),
        required=False,
    )

    # Removed or kept
    mode = forms.ChoiceField(
        label=_("Are they being removed to a place of safety, or kept where they are?"),
        choices=Mode.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _(
                "Select whether they are being removed to a place of safety or kept where they are"
            )
        },
    )
    place_of_safety = PlaceChoiceField(
        label=_("The place of safety where they are being kept"),
        queryset=PlaceOfSafety.objects.filter(active=True),
        required=False,
    )

    def __init__(self, *args, organisation, person_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.person_choices = list(person_choices)
        self.fields["person"].widget.choices = [(str(p.pk), str(p)) for p in self.person_choices]
        self.fields["npu"].queryset = organisation.npus.all()
        self.fields["place_of_safety"].queryset = PlaceOfSafety.objects.filter(
            active=True
        ).order_by("kind", "name")

    def clean_nhs_number(self):
        value = "".join((self.cleaned_data.get("nhs_number") or "").split())
        if value:
            validate_nhs_number(value)
        return value or None

    def clean(self):
        cd = super().clean()
        choice = cd.get("person") or "new"
        cd["person"] = choice
        if choice == "new":
            if not cd.get("given_name"):
                self.add_error("given_name", _("Enter the person's given name (or 'Unknown')"))
            if not cd.get("family_name"):
                self.add_error("family_name", _("Enter the person's family name (or 'Unknown')"))
            if not cd.get("gender"):
                self.add_error(
                    "gender", _("Select the person's gender, or 'Not known' if you do not know")
                )
            if not cd.get("ethnicity"):
                self.add_error(
                    "ethnicity",
                    _(
                        "Select the person's self-defined ethnicity, or 'Not stated' if they did not say"
                    ),
                )
            if (
                not cd.get("date_of_birth")
                and not cd.get("age_assessment")
                and "date_of_birth" not in self.errors
            ):
                self.add_error(
                    "age_assessment",
                    _("Enter their date of birth, or say whether they appear to be under 18"),
                )
        elif choice not in {str(p.pk) for p in self.person_choices}:
            self.add_error("person", _("Choose the person again: search for them by name"))
        if (
            cd.get("power") == Power.S135_1
            and not cd.get("warrant_issued_at")
            and "warrant_issued_at" not in self.errors
        ):
            self.add_error("warrant_issued_at", _("Enter when the warrant was issued"))
        consulted = cd.get("consulted")
        if consulted == "yes":
            if not cd.get("consultation_profession"):
                self.add_error(
                    "consultation_profession",
                    _("Choose the profession of the person you consulted"),
                )
            if not cd.get("consultation_name"):
                self.add_error("consultation_name", _("Enter the name of the person you consulted"))
        elif consulted == "no" and not cd.get("consultation_not_practicable_reason"):
            self.add_error(
                "consultation_not_practicable_reason",
                _("Say why consulting a healthcare professional was not practicable"),
            )
        if cd.get("mode") == Mode.KEPT and not cd.get("place_of_safety"):
            self.add_error(
                "place_of_safety", _("Choose the place of safety where they are being kept")
            )
        return cd

    def consultation(self) -> tuple[dict | None, str]:
        cd = self.cleaned_data
        if cd.get("consulted") == "yes":
            return (
                {
                    "consulted_at": cd.get("consulted_at") or cd.get("detained_at"),
                    "profession": cd.get("consultation_profession"),
                    "name": cd.get("consultation_name"),
                    "advice": cd.get("consultation_advice") or "",
                },
                "",
            )
        if cd.get("consulted") == "no":
            return None, cd.get("consultation_not_practicable_reason") or ""
        return None, ""


class ArrivalForm(DecisionRuleForm):
    place_of_safety = PlaceChoiceField(
        label=_("Which place of safety have they arrived at?"),
        queryset=PlaceOfSafety.objects.filter(active=True),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Select the place of safety they have arrived at")},
    )
    arrived_at = LocalDateTimeField(
        label=_("When did they arrive?"),
        initial=now_initial,
        error_messages={"required": _("Enter when they arrived")},
    )


class TransferForm(DecisionRuleForm):
    violation_fields = {**DECISION_VIOLATIONS}

    to_place_of_safety = PlaceChoiceField(
        label=_("Which place of safety are they being transferred to?"),
        queryset=PlaceOfSafety.objects.filter(active=True),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Select the place of safety they are being transferred to")},
    )
    departed_at = LocalDateTimeField(
        label=_("When did they leave?"),
        initial=now_initial,
        error_messages={"required": _("Enter when they left")},
    )
    arrived_at = LocalDateTimeField(
        label=_("When did they arrive (if they have)?"), required=False, default_now=False
    )
    reason = forms.CharField(
        label=_("Reason for the transfer"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter the reason for the transfer")},
    )
    authorised_by = forms.CharField(label=_("Authorised by"), required=False, max_length=200)


class TransferArrivalForm(RuleForm):
    arrived_at = LocalDateTimeField(
        label=_("When did they arrive?"),
        initial=now_initial,
        error_messages={"required": _("Enter when they arrived")},
    )


class WelfareCheckForm(RuleForm):
    checked_at = LocalDateTimeField(
        label=_("When was the check?"),
        initial=now_initial,
        error_messages={"required": _("Enter when the check was made")},
    )
    professional_name = forms.CharField(
        label=_("Healthcare professional's name"),
        max_length=200,
        error_messages={"required": _("Enter the name of the healthcare professional")},
    )
    profession = forms.ChoiceField(
        label=_("Their profession"), choices=[("", "")] + list(Profession.choices), required=False
    )
    risk_requires_waking = forms.ChoiceField(
        label=_("If the person is asleep, does the risk require waking them for checks?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select yes if the risk requires waking the person for checks")
        },
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def service_kwargs(self):
        cd = self.cleaned_data
        return {
            "checked_at": cd["checked_at"],
            "professional_name": cd["professional_name"],
            "profession": cd.get("profession") or "",
            "risk_requires_waking": _yes(cd["risk_requires_waking"]),
            "notes": cd.get("notes") or "",
        }


class ReviewForm(RuleForm):
    reviewed_at = LocalDateTimeField(
        label=_("When was the review?"),
        initial=now_initial,
        error_messages={"required": _("Enter when the review was made")},
    )
    conditions_met = forms.ChoiceField(
        label=_(
            "Do the conditions still apply: an imminent risk of serious injury or death, and "
            "no other place of safety can reasonably detain them?"
        ),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select yes if the conditions still apply")},
    )
    hcp_available = forms.ChoiceField(
        label=_("Is a healthcare professional still present and available?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select yes if a healthcare professional is still present and available")
        },
    )
    asleep = forms.ChoiceField(
        label=_("Is the person asleep?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select yes if the person is asleep")},
    )
    reviewer_name = forms.CharField(
        label=_("Reviewing custody officer"),
        max_length=200,
        error_messages={"required": _("Enter the name of the reviewing custody officer")},
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def service_kwargs(self):
        cd = self.cleaned_data
        return {
            "reviewed_at": cd["reviewed_at"],
            "conditions_met": _yes(cd["conditions_met"]),
            "hcp_available": _yes(cd["hcp_available"]),
            "asleep": _yes(cd["asleep"]),
            "reviewer_name": cd["reviewer_name"],
            "notes": cd.get("notes") or "",
        }


class TransferExceptionForm(RuleForm):
    violation_fields = {"recorded_at": "recorded_for"}

    recorded_for = LocalDateTimeField(
        label=_("When was this decided?"),
        initial=now_initial,
        error_messages={"required": _("Enter when this was decided")},
    )
    reason = forms.CharField(
        label=_("Why is the person staying at the police station?"),
        help_text=_(
            "Only when an assessment can begin sooner here and moving them would likely "
            "cause distress."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


class ExtensionForm(RuleForm):
    authorised_at = LocalDateTimeField(
        label=_("When did the doctor authorise it?"),
        initial=now_initial,
        error_messages={"required": _("Enter when the doctor authorised the extension")},
    )
    doctor_name = forms.CharField(
        label=_("Name of the doctor responsible for the examination"),
        max_length=200,
        required=False,
    )
    doctor_gmc_number = forms.CharField(label=_("Their GMC number"), max_length=20, required=False)
    # No maximum here: E3 refuses more than 12 hours with the rule's own message.
    hours = forms.IntegerField(
        label=_("How many hours (up to 12 in all)?"),
        min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": _("Enter how many hours the detention is extended by")},
    )
    minutes = forms.IntegerField(
        label=_("And how many minutes?"),
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    ground = forms.ChoiceField(
        label=_("Why can the assessment not be completed within 24 hours?"),
        choices=ExtensionGround.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select why the assessment cannot be completed within 24 hours")
        },
    )
    ground_detail = forms.CharField(
        label=_("Details of the person's condition"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    superintendent_name = forms.CharField(
        label=_("Approving superintendent's name"),
        help_text=_(
            "At a police station only. Leave it blank when a superintendent approved it from "
            "their own account; a name typed here is recorded as given on their word."
        ),
        max_length=200,
        required=False,
    )
    superintendent_rank = forms.ChoiceField(
        label=_("Their rank"),
        choices=[("", "")]
        + [
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
        ],
        required=False,
    )
    superintendent_approved_at = LocalDateTimeField(
        label=_("When they approved it"), required=False
    )


class HandoverForm(RuleForm):
    handed_over_at = LocalDateTimeField(
        label=_("When were they handed over?"),
        initial=now_initial,
        error_messages={"required": _("Enter when they were handed over")},
    )
    received_by = forms.CharField(
        label=_("Received by (name and role)"),
        max_length=200,
        error_messages={"required": _("Enter the name and role of the person who received them")},
    )


class LateAssessmentForm(RuleForm):
    """R2/A1: assessment steps never recorded before the detention ended (only those given)."""

    amhp_requested_at = LocalDateTimeField(label=_("AMHP requested"), required=False)
    amhp_arrived_at = LocalDateTimeField(label=_("AMHP arrived"), required=False)
    doctor_requested_at = LocalDateTimeField(label=_("Doctor requested"), required=False)
    doctor_arrived_at = LocalDateTimeField(label=_("Doctor arrived"), required=False)
    started_at = LocalDateTimeField(label=_("Assessment started"), required=False)
    completed_at = LocalDateTimeField(label=_("Assessment completed"), required=False)

    def service_kwargs(self):
        return {k: v for k, v in self.cleaned_data.items() if k.endswith("_at") and v}


class EscapeForm(RuleForm):
    escaped_at = LocalDateTimeField(
        label=_("When did they escape?"),
        initial=now_initial,
        error_messages={"required": _("Enter when they escaped")},
    )


class ReturnForm(RuleForm):
    returned_at = LocalDateTimeField(
        label=_("When were they retaken or returned?"),
        initial=now_initial,
        error_messages={"required": _("Enter when they were retaken or returned")},
    )


OUTCOME_ORDER = [Outcome.NO_MENTAL_DISORDER] + [
    o for o in Outcome if o != Outcome.NO_MENTAL_DISORDER
]


class EndForm(RuleForm):
    ended_at = LocalDateTimeField(
        label=_("When did the detention end?"),
        initial=now_initial,
        error_messages={"required": _("Enter when the detention ended")},
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(o.value, o.label) for o in OUTCOME_ORDER],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the outcome of the detention")},
    )


class CorrectionForm(RuleForm):
    """Correct one record: the fields are built for the chosen target (see views)."""

    kind = forms.ChoiceField(
        label=_("What kind of correction is this?"),
        # A late entry (R2) is made from the event's own form, never chosen here.
        choices=[c for c in Correction.Kind.choices if c[0] != Correction.Kind.LATE_ENTRY],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select what kind of correction this is")},
    )
    reason = forms.CharField(
        label=_("Reason for the correction"),
        help_text=_("Required. It is kept with the record's history."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    delete = forms.BooleanField(
        label=_("Delete this record: it was entered in error"), required=False
    )

    def __init__(self, *args, target, correctable, **kwargs):
        super().__init__(*args, **kwargs)
        self.target = target
        self.correctable = list(correctable)
        from django.db import models

        for name in self.correctable:
            model_field = target._meta.get_field(name)
            current = getattr(target, name)
            if isinstance(model_field, models.DateTimeField):
                field = LocalDateTimeField(
                    label=model_field.verbose_name.capitalize(), required=False
                )
            elif isinstance(model_field, models.BooleanField):
                field = forms.ChoiceField(
                    label=model_field.verbose_name.capitalize(),
                    choices=YES_NO,
                    widget=forms.RadioSelect,
                )
                current = "yes" if current else "no"
            elif isinstance(model_field, models.ForeignKey):
                field = forms.ModelChoiceField(
                    label=model_field.verbose_name.capitalize(),
                    queryset=model_field.related_model.objects.all(),
                    required=False,
                )
            elif model_field.choices:
                field = forms.ChoiceField(
                    label=model_field.verbose_name.capitalize(),
                    choices=([("", "")] if model_field.blank else []) + list(model_field.choices),
                    required=not model_field.blank,
                )
            elif isinstance(model_field, models.IntegerField):
                field = forms.IntegerField(label=model_field.verbose_name.capitalize())
            else:
                field = forms.CharField(label=model_field.verbose_name.capitalize(), required=False)
            field.initial = current
            self.fields[name] = field
        if not hasattr(target, "detention"):
            del self.fields["delete"]

    def changes(self) -> dict:
        out = {}
        for name in self.correctable:
            value = self.cleaned_data.get(name)
            current = getattr(self.target, name)
            if isinstance(current, bool):
                value = _yes(value)
            if value in (None, "") and current in (None, ""):
                continue
            if value is None and isinstance(self.fields[name], forms.CharField):
                value = ""
            if (
                isinstance(current, datetime)
                and isinstance(value, datetime)
                and value == current.replace(second=0, microsecond=0)
            ):
                continue  # shown and entered to the minute: not changed
            if value != current:
                out[name] = value
        return out
