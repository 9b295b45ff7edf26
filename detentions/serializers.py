"""Serializers for the detentions partner API (api-contract.md, "Detention fields").

Input serializers check shape only (types, instants with offsets, ids that exist). Every legal
rule is left to the rule engine through the services, so that the rule's own code is returned
even where a generic validator would also fire (s136-rules.md): fields the engine judges
(`hours`, `ground`, `outcome`, the consultation's profession, the police vehicle reason) are
plain strings or integers here, with their allowed values documented in the schema.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import NPU
from core.references import MAX_LENGTH as REFERENCE_LENGTH
from core.references import validate_reference
from core.serializers import HarbourModelSerializer, InstantField, StrictCharField
from detentions import deadlines
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
    Status,
)
from detentions.models import (
    Assessment,
    Correction,
    Detention,
    DetentionArrival,
    Escape,
    Extension,
    Handover,
    HandoverRequest,
    PoliceStationDecision,
    Review,
    Transfer,
    TransferException,
    UnlawfulAct,
    WelfareCheck,
)
from incidents import policy as incidents_policy
from incidents.models import Incident
from people import policy
from people.models import Person
from places_of_safety.models import PlaceOfSafety


def _values_text(choices) -> str:
    return ", ".join(f"`{value}`" for value, _label in choices)


def _plain_string(field_class):
    """The field documented as a plain string (its values listed in the description), so that
    choice sets shared by several fields and apps do not collide as schema enums."""
    return extend_schema_field({"type": "string"})(
        type(f"Plain{field_class.__name__}", (field_class,), {})
    )


PlainCharField = _plain_string(serializers.CharField)
PlainChoiceField = _plain_string(serializers.ChoiceField)


def engine_choice(choices, **kwargs) -> serializers.CharField:
    """A string the rule engine validates (so the rule's code wins over a generic
    `invalid_choice`); its values are listed in the description."""
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_blank", True)
    kwargs.setdefault("default", "")
    help_text = kwargs.pop("help_text", "")
    return PlainCharField(
        help_text=f"{help_text} One of: {_values_text(choices)}.".strip(), **kwargs
    )


def rank_field(**kwargs) -> serializers.ChoiceField:
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_blank", True)
    kwargs.setdefault("default", "")
    return PlainChoiceField(
        choices=Rank.choices,
        # i18n-ignore: the API schema lists the codes
        help_text=f"One of: {_values_text(Rank.choices)}.",
        **kwargs,
    )


def read_choice(choices, **kwargs):
    # i18n-ignore: the API schema lists the codes
    return PlainCharField(read_only=True, help_text=f"One of: {_values_text(choices)}.", **kwargs)


def optional_text(max_length=None, **kwargs):
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_blank", True)
    kwargs.setdefault("default", "")
    if max_length:
        kwargs["max_length"] = max_length
    return StrictCharField(**kwargs)


def optional_instant(**kwargs):
    return InstantField(required=False, allow_null=True, default=None, **kwargs)


# --- Nested input objects ------------------------------------------------------------------------


class ConsultationSerializer(serializers.Serializer):
    """P2: who the officer consulted before detaining under s136."""

    consulted_at = optional_instant()
    profession = engine_choice(Profession.choices)
    name = optional_text(200)
    advice = optional_text()


class PoliceStationDecisionSerializer(serializers.Serializer):
    """PS2/PS3: the decision to use a police station and the inspector's authorisation."""

    imminent_risk = serializers.BooleanField(required=False, allow_null=True, default=None)
    no_other_place = serializers.BooleanField(required=False, allow_null=True, default=None)
    hcp_available = serializers.BooleanField(required=False, allow_null=True, default=None)
    decision_maker_name = optional_text(200)
    decision_maker_rank = rank_field()
    consulted_professional = optional_text(200)
    consultation_not_practicable_reason = optional_text()
    inspector_name = optional_text(200)
    inspector_rank = rank_field()
    authorised_at = optional_instant()


class PoliceStationDecisionReadSerializer(HarbourModelSerializer):
    decision_maker_rank = read_choice(Rank.choices)
    inspector_rank = read_choice(Rank.choices)

    class Meta:
        model = PoliceStationDecision
        fields = [
            "imminent_risk",
            "no_other_place",
            "hcp_available",
            "decision_maker_name",
            "decision_maker_rank",
            "consulted_professional",
            "consultation_not_practicable_reason",
            "inspector_name",
            "inspector_rank",
            "authorised_at",
        ]
        read_only_fields = fields


# --- R1: recording what happened -----------------------------------------------------------------


class AsHappenedFields(serializers.Serializer):
    """R1 (s136-rules.md): confirm that a refused act has already happened, with an account."""

    record_as_happened = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "R1: the act has already happened. A refusal marked `recordable` is then recorded "
            "as it happened, with the rules it breaks (`unlawful`), flagged, alerted and "
            "reported. Requires `account`."
        ),
    )
    account = optional_text(help_text=_("R1: the account of what happened and why."))


class UnlawfulActSerializer(HarbourModelSerializer):
    """R1: a rule broken by an act recorded as it happened."""

    class Meta:
        model = UnlawfulAct
        fields = [
            "rule",
            "code",
            "account",
            "recorded_at",
            "recorded_by",
            "target",
            "review_decision",
            "reviewed_at",
            "reviewed_by",
        ]
        read_only_fields = fields


def unlawful_of(event) -> list[dict]:
    """The acts recorded on `event` (from its detention's prefetched `unlawful_acts`)."""
    label = f"{event._meta.model_name}:{event.pk}"
    acts = [a for a in event.detention.unlawful_acts.all() if a.target == label]
    return UnlawfulActSerializer(acts, many=True).data


class _UnlawfulField(serializers.SerializerMethodField):
    def __init__(self, **kwargs):
        super().__init__(method_name="get_unlawful", **kwargs)


# --- The detention ------------------------------------------------------------------------------


class DetentionCreateSerializer(AsHappenedFields):
    """POST detentions/: the fields fixed by the contract, plus optional `npu`."""

    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    incident = serializers.PrimaryKeyRelatedField(
        queryset=Incident.objects.all(), required=False, allow_null=True, default=None
    )
    npu = serializers.SlugRelatedField(
        slug_field="code",
        queryset=NPU.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Code of one of the force's NPUs."),
    )
    power = serializers.ChoiceField(choices=Power.choices)
    detained_at = InstantField()
    location_kind = serializers.ChoiceField(choices=LocationKind.choices)
    location_description = optional_text(300)
    mode = serializers.ChoiceField(
        choices=Mode.choices,
        required=False,
        default=Mode.REMOVED,
        help_text=_(
            "`kept` when the person was already at a place of safety: then `place_of_safety` "
            "is required and the clock starts at `detained_at`."
        ),
    )
    place_of_safety = serializers.PrimaryKeyRelatedField(
        queryset=PlaceOfSafety.objects.all(), required=False, allow_null=True, default=None
    )
    police_station_decision = PoliceStationDecisionSerializer(
        required=False, allow_null=True, default=None
    )
    consultation = ConsultationSerializer(required=False, allow_null=True, default=None)
    consultation_not_practicable_reason = optional_text()
    conveyance_mode = serializers.ChoiceField(
        choices=ConveyanceMode.choices, required=False, allow_blank=True, default=""
    )
    conveyance_reason = engine_choice(
        PoliceVehicleReason.choices, help_text=_("Required for a police vehicle.")
    )
    warrant_issued_at = optional_instant(help_text=_("s135(1) only."))
    premises_entered_at = optional_instant(help_text=_("s135(1) only."))

    def __init__(self, *args, organisation_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the caller's own people, incidents and NPUs may be named (others: does_not_exist).
        self.fields["person"].queryset = policy.people_of_organisation(organisation_id)
        self.fields["incident"].queryset = incidents_policy.incidents_of_organisation(
            organisation_id
        )
        self.fields["npu"].queryset = NPU.objects.filter(force_id=organisation_id)


class DeadlineSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[(k, k) for k in deadlines.KINDS])
    due_at = InstantField()


class PersonBriefSerializer(HarbourModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "given_name", "family_name", "date_of_birth", "age_assessment"]
        read_only_fields = fields


class DetentionSerializer(HarbourModelSerializer):
    """A detention as partners read it (list). Its instants are built from the model's fields,
    so those that may be empty (`expires_at` before the arrival, `ended_at` while it runs, ...)
    are nullable in the schema."""

    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    npu = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    person_detail = PersonBriefSerializer(source="person", read_only=True)
    consultation = serializers.SerializerMethodField()
    breach = serializers.SerializerMethodField(
        help_text=_(
            "C8: the end (or, while it runs, now) is after `expires_at`. Derived at read time."
        )
    )
    status = read_choice(Status.choices)
    outcome = read_choice(Outcome.choices)
    conveyance_reason = read_choice(PoliceVehicleReason.choices)
    rule_set_title = serializers.CharField(
        source="get_rule_set_display",
        read_only=True,
        help_text=_("RS1/RS4: the rule set the detention is judged by, in words."),
    )
    unlawful = UnlawfulActSerializer(
        source="unlawful_acts",
        many=True,
        read_only=True,
        help_text=_("R1: every rule broken by an act recorded as it happened (empty: none)."),
    )
    deadlines = serializers.SerializerMethodField(
        help_text=_(
            "The deadlines still counting, soonest first: the expiry (or the retaking deadline "
            "while absent), the welfare check and review at a police station, the assessment "
            "target until the assessment starts, the handover target until the handover. "
            "Empty once the detention has ended. The `*_due_at` fields keep what was due."
        )
    )

    class Meta:
        model = Detention
        fields = [
            "id",
            "reference",
            "organisation",
            "npu",
            "person",
            "person_detail",
            "incident",
            "power",
            "detained_at",
            "mode",
            "location_kind",
            "location_description",
            "consultation",
            "consultation_not_practicable_reason",
            "conveyance_mode",
            "conveyance_reason",
            "warrant_issued_at",
            "premises_entered_at",
            "rule_set",
            "rule_set_title",
            "status",
            "clock_started_at",
            "expires_at",
            "extended_until",
            "breach",
            "current_place_of_safety",
            "in_transfer_to",
            "at_police_station",
            "next_welfare_check_due_at",
            "next_review_due_at",
            "transfer_required",
            "retake_by",
            "assessment_due_at",
            "handover_due_at",
            "outcome",
            "ended_at",
            "unlawful",
            "deadlines",
            "custody_record_number",
            "cad_number",
            "recorded_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def _now(self):
        now = self.context.get("now")
        if now is None:
            now = self.context["now"] = timezone.now()
        return now

    @extend_schema_field(serializers.BooleanField())
    def get_breach(self, obj) -> bool:
        return obj.breach_at(self._now())

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, obj) -> list:
        return [
            {"kind": d.kind, "due_at": InstantField().to_representation(d.due_at)}
            for d in deadlines.as_list(obj)
        ]

    @extend_schema_field(ConsultationSerializer(allow_null=True))
    def get_consultation(self, obj):
        if not (obj.consulted_at or obj.consultation_name or obj.consultation_profession):
            return None
        return {
            "consulted_at": InstantField().to_representation(obj.consulted_at),
            "profession": obj.consultation_profession,
            "name": obj.consultation_name,
            "advice": obj.consultation_advice,
        }


# --- Events (read) ---------------------------------------------------------------------------


class _EventReadSerializer(HarbourModelSerializer):
    """An event as partners read it: its fields built from the model (instants, nullability)."""


class _LateMixin(serializers.Serializer):
    entered_late = serializers.BooleanField(
        read_only=True, help_text=_("R2: added after the detention ended (a late entry).")
    )


class _UnlawfulEventMixin(serializers.Serializer):
    unlawful = _UnlawfulField(help_text=_("R1: rules this event broke, recorded as it happened."))

    @extend_schema_field(UnlawfulActSerializer(many=True))
    def get_unlawful(self, obj):
        return unlawful_of(obj)


class ArrivalReadSerializer(_UnlawfulEventMixin, _EventReadSerializer):  # never late (R2)
    place_of_safety = serializers.PrimaryKeyRelatedField(source="place", read_only=True)
    police_station_decision = PoliceStationDecisionReadSerializer(
        read_only=True, allow_null=True, help_text=_("Only for a police station (PS2/PS3).")
    )

    class Meta:
        model = DetentionArrival
        fields = [
            "id",
            "place_of_safety",
            "arrived_at",
            "police_station_decision",
            "place_status_at_arrival",
            "unlawful",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class TransferReadSerializer(_UnlawfulEventMixin, _EventReadSerializer):  # never late (R2)
    from_place_of_safety = serializers.PrimaryKeyRelatedField(source="from_place", read_only=True)
    to_place_of_safety = serializers.PrimaryKeyRelatedField(source="to_place", read_only=True)
    police_station_decision = PoliceStationDecisionReadSerializer(
        read_only=True, allow_null=True, help_text=_("Only for a police station (PS2/PS3).")
    )

    class Meta:
        model = Transfer
        fields = [
            "id",
            "from_place_of_safety",
            "to_place_of_safety",
            "departed_at",
            "arrived_at",
            "reason",
            "authorised_by",
            "police_station_decision",
            "unlawful",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


@extend_schema_field({"type": "number"})
class HoursField(serializers.DecimalField):
    """E3's hours as a JSON number: a whole number stays an integer (12), a fraction is a
    decimal number (12.5)."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=None, decimal_places=None, **kwargs)

    def to_representation(self, value):
        return int(value) if value == int(value) else float(value)


def _event_read(model_, names, *, unlawful=False, late=True, **declared):
    names = [*names] + (["entered_late"] if late else []) + (["unlawful"] if unlawful else [])
    meta = type("Meta", (), {"model": model_, "fields": names, "read_only_fields": names})
    bases = (
        *((_UnlawfulEventMixin,) if unlawful else ()),
        *((_LateMixin,) if late else ()),
        _EventReadSerializer,
    )
    return type(f"{model_.__name__}ReadSerializer", bases, {"Meta": meta, **declared})


WelfareCheckReadSerializer = _event_read(
    WelfareCheck,
    [
        "id",
        "checked_at",
        "professional_name",
        "profession",
        "risk_requires_waking",
        "notes",
        "recorded_by",
        "recorded_at",
    ],
)
ReviewReadSerializer = _event_read(
    Review,
    [
        "id",
        "reviewed_at",
        "conditions_met",
        "asleep",
        "hcp_available",
        "reviewer_name",
        "notes",
        "recorded_by",
        "recorded_at",
    ],
)
ExtensionReadSerializer = _event_read(
    Extension,
    [
        "id",
        "authorised_at",
        "hours",
        "minutes",
        "doctor_name",
        "doctor_gmc_number",
        "ground",
        "ground_detail",
        "superintendent_name",
        "superintendent_rank",
        "superintendent_approved_at",
        "recorded_by",
        "recorded_at",
    ],
    superintendent_rank=read_choice(Rank.choices),
    ground=read_choice(ExtensionGround.choices),
    hours=HoursField(read_only=True),
    unlawful=True,
)
AssessmentReadSerializer = _event_read(
    Assessment,
    [
        "id",
        "amhp_requested_at",
        "amhp_arrived_at",
        "doctor_requested_at",
        "doctor_arrived_at",
        "started_at",
        "completed_at",
        "amhp_name",
        "doctor_name",
        "doctor_s12_approved",
        "recorded_by",
        "recorded_at",
    ],
)
HandoverReadSerializer = _event_read(
    Handover, ["id", "handed_over_at", "received_by", "via_link", "recorded_by", "recorded_at"]
)


class HandoverRequestReadSerializer(serializers.ModelSerializer):
    """A4 as a request and its answer (detentions/handover.py)."""

    requested_at = InstantField(read_only=True)
    answered_at = InstantField(read_only=True, allow_null=True)
    police_released_at = InstantField(read_only=True, allow_null=True)
    state = read_choice(HandoverRequest.State.choices)
    answered_via = serializers.CharField(read_only=True)
    place_of_safety = serializers.IntegerField(source="place_id", read_only=True)
    handover = serializers.IntegerField(source="handover_id", read_only=True, allow_null=True)

    class Meta:
        model = HandoverRequest
        fields = [
            "id",
            "place_of_safety",
            "state",
            "requested_at",
            "requested_by_name",
            "note",
            "answered_at",
            "answered_by_name",
            "answered_via",
            "police_must_stay",
            "stay_reason",
            "decline_reason",
            "police_released_at",
            "handover",
        ]
        read_only_fields = fields


EscapeReadSerializer = _event_read(
    Escape, ["id", "escaped_at", "returned_at", "recorded_by", "recorded_at"], unlawful=True
)
CorrectionReadSerializer = _event_read(
    Correction,
    ["id", "target", "kind", "reason", "changes", "recorded_by", "recorded_at"],
    kind=read_choice(Correction.Kind.choices),
    late=False,
)


class TransferExceptionReadSerializer(_LateMixin, _EventReadSerializer):
    decided_at = InstantField(source="recorded_for", read_only=True)

    class Meta:
        model = TransferException
        fields = ["id", "decided_at", "reason", "recorded_by", "recorded_at", "entered_late"]
        read_only_fields = fields


def _one(obj, name):
    try:
        return getattr(obj, name)
    except Exception:  # RelatedObjectDoesNotExist
        return None


class DetentionDetailSerializer(DetentionSerializer):
    """One detention with its events (GET {id}/ and every action's response)."""

    arrival = serializers.SerializerMethodField()
    transfers = TransferReadSerializer(many=True, read_only=True)
    welfare_checks = WelfareCheckReadSerializer(many=True, read_only=True)
    reviews = ReviewReadSerializer(many=True, read_only=True)
    extension = serializers.SerializerMethodField()
    assessment = serializers.SerializerMethodField()
    handover = serializers.SerializerMethodField()
    handover_requests = HandoverRequestReadSerializer(many=True, read_only=True)
    escapes = EscapeReadSerializer(many=True, read_only=True)
    transfer_exceptions = TransferExceptionReadSerializer(many=True, read_only=True)
    corrections = CorrectionReadSerializer(many=True, read_only=True)

    class Meta(DetentionSerializer.Meta):
        fields = [
            *DetentionSerializer.Meta.fields,
            "arrival",
            "transfers",
            "welfare_checks",
            "reviews",
            "extension",
            "assessment",
            "handover",
            "handover_requests",
            "escapes",
            "transfer_exceptions",
            "corrections",
        ]
        read_only_fields = fields

    @extend_schema_field(ArrivalReadSerializer(allow_null=True))
    def get_arrival(self, obj):
        value = _one(obj, "arrival")
        return ArrivalReadSerializer(value).data if value else None

    @extend_schema_field(ExtensionReadSerializer(allow_null=True))
    def get_extension(self, obj):
        value = _one(obj, "extension")
        return ExtensionReadSerializer(value).data if value else None

    @extend_schema_field(AssessmentReadSerializer(allow_null=True))
    def get_assessment(self, obj):
        value = _one(obj, "assessment")
        return AssessmentReadSerializer(value).data if value else None

    @extend_schema_field(HandoverReadSerializer(allow_null=True))
    def get_handover(self, obj):
        value = _one(obj, "handover")
        return HandoverReadSerializer(value).data if value else None


# --- Action inputs -------------------------------------------------------------------------------


class ArrivalInputSerializer(AsHappenedFields):
    place_of_safety = serializers.PrimaryKeyRelatedField(queryset=PlaceOfSafety.objects.all())
    arrived_at = InstantField()
    police_station_decision = PoliceStationDecisionSerializer(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Required for a police station (PS2/PS3)."),
    )


class TransferInputSerializer(AsHappenedFields):
    to_place_of_safety = serializers.PrimaryKeyRelatedField(queryset=PlaceOfSafety.objects.all())
    departed_at = InstantField()
    arrived_at = optional_instant(help_text=_("May be omitted while the transfer is under way."))
    reason = optional_text()
    authorised_by = optional_text(200)
    police_station_decision = PoliceStationDecisionSerializer(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Required when moving to a police station (PS2/PS3)."),
    )


class TransferArrivalInputSerializer(AsHappenedFields):
    arrived_at = InstantField()


class WelfareCheckInputSerializer(serializers.Serializer):
    checked_at = InstantField()
    professional_name = StrictCharField(max_length=200)
    profession = serializers.ChoiceField(
        choices=Profession.choices, required=False, allow_blank=True, default=""
    )
    risk_requires_waking = serializers.BooleanField(required=False, default=True)
    notes = optional_text()


class ReviewInputSerializer(serializers.Serializer):
    reviewed_at = InstantField()
    conditions_met = serializers.BooleanField()
    asleep = serializers.BooleanField(required=False, default=False)
    hcp_available = serializers.BooleanField(required=False, default=True)
    reviewer_name = optional_text(200)
    notes = optional_text()


class TransferExceptionInputSerializer(serializers.Serializer):
    decided_at = InstantField(help_text=_("When the decision not to transfer was made."))
    reason = optional_text(
        help_text=_(
            "PS6: an assessment can begin sooner at the station and moving the person would "
            "likely cause distress."
        )
    )


class ExtensionInputSerializer(AsHappenedFields):
    authorised_at = InstantField()
    hours = serializers.DecimalField(
        max_digits=None,
        decimal_places=None,
        coerce_to_string=False,
        help_text=_(
            "E3: up to 12 in all with `minutes` (a fraction is allowed: 2.5 is 2 hours 30 "
            "minutes). More than 12 hours is `extension_too_long`."
        ),
    )
    minutes = serializers.IntegerField(
        required=False, default=0, min_value=0, help_text=_("Minutes added to `hours` (E3).")
    )
    doctor_name = optional_text(200)
    doctor_gmc_number = optional_text(20)
    ground = engine_choice(ExtensionGround.choices)
    ground_detail = optional_text()
    superintendent_name = optional_text(200)
    superintendent_rank = rank_field()
    superintendent_approved_at = optional_instant()


class AssessmentInputSerializer(serializers.Serializer):
    """Creates or updates the assessment; only the fields sent change (A1)."""

    amhp_requested_at = InstantField(required=False, allow_null=True)
    amhp_arrived_at = InstantField(required=False, allow_null=True)
    doctor_requested_at = InstantField(required=False, allow_null=True)
    doctor_arrived_at = InstantField(required=False, allow_null=True)
    started_at = InstantField(required=False, allow_null=True)
    completed_at = InstantField(required=False, allow_null=True)
    amhp_name = StrictCharField(max_length=200, required=False, allow_blank=True, allow_null=True)
    doctor_name = StrictCharField(max_length=200, required=False, allow_blank=True, allow_null=True)
    doctor_s12_approved = serializers.BooleanField(required=False, allow_null=True)


class HandoverInputSerializer(serializers.Serializer):
    handed_over_at = InstantField()
    received_by = StrictCharField(max_length=200)


class HandoverRequestInputSerializer(serializers.Serializer):
    """The detaining force asks the place's health staff to take over (A4)."""

    note = StrictCharField(max_length=2000, required=False, allow_blank=True, default="")


class HandoverAcceptInputSerializer(serializers.Serializer):
    """Health staff accept: whether police must stay is required (never assumed)."""

    received_by = StrictCharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Name and role of who takes over; a signed-in user's own name when omitted."),
    )
    police_must_stay = serializers.BooleanField(allow_null=False)
    stay_reason = StrictCharField(max_length=2000, required=False, allow_blank=True, default="")


class HandoverDeclineInputSerializer(serializers.Serializer):
    """Health staff decline: why is required."""

    reason = StrictCharField(max_length=2000)
    declined_by = StrictCharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Name and role of who declines; a signed-in user's own name when omitted."),
    )


class EscapeInputSerializer(serializers.Serializer):
    escaped_at = InstantField()


class ReturnInputSerializer(AsHappenedFields):
    returned_at = InstantField()


class EndInputSerializer(serializers.Serializer):
    ended_at = InstantField()
    outcome = engine_choice(Outcome.choices)


class CorrectionInputSerializer(AsHappenedFields):
    target = StrictCharField(
        max_length=100,
        help_text=_(
            "`detention`, or `<event>:<id>` where event is one of arrival, transfer, "
            "welfare_check, review, extension, assessment, handover, escape, "
            "transfer_exception."
        ),
    )
    # i18n-ignore: the API schema lists the codes
    kind = PlainCharField(help_text=f"One of: {_values_text(Correction.Kind.choices)}.")
    reason = optional_text(help_text=_("Required: why the record is being corrected."))
    changes = serializers.DictField(
        required=False,
        default=dict,
        help_text=_("Field -> corrected value. Instants need an offset."),
    )
    delete = serializers.BooleanField(
        required=False, default=False, help_text=_("Delete an event entered in error.")
    )


class LateEntryInputSerializer(serializers.Serializer):
    """R2: `event`, `reason`, and the named action's own fields beside them."""

    event = serializers.ChoiceField(
        choices=[
            ("welfare-checks", "welfare-checks"),
            ("reviews", "reviews"),
            ("assessment", "assessment"),
            ("handover", "handover"),
            ("extension", "extension"),
            ("transfer-exception", "transfer-exception"),
        ],
        help_text=_("The action, as in its path; send its own fields beside this one."),
    )
    reason = optional_text(help_text=_("Required: why the event is entered late."))
    exception_reason = optional_text(
        help_text=_(
            "`transfer-exception` only: the exception's own `reason` (PS6), under this name "
            "because `reason` is why the entry is late."
        )
    )


class LateTransferExceptionInputSerializer(TransferExceptionInputSerializer):
    """R2: a transfer exception entered late (`reason` is the late entry's own)."""

    reason = None
    exception_reason = optional_text(
        help_text=TransferExceptionInputSerializer._declared_fields["reason"].help_text
    )


class HistoryEntrySerializer(serializers.Serializer):
    changed_at = InstantField()
    changed_by = StrictCharField()
    actor_kind = StrictCharField()
    change_type = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    record = StrictCharField(help_text=_("Which record: `detention:7`, `transfer:12`."))
    reason = StrictCharField(allow_null=True)
    changes = serializers.DictField(
        child=serializers.ListField(child=serializers.JSONField(), min_length=2, max_length=2),
        help_text=_("Field -> [old, new]."),
    )


class ReferencesInputSerializer(serializers.Serializer):
    """References to the force's other systems; a field left out is unchanged, "" clears it."""

    custody_record_number = StrictCharField(
        max_length=REFERENCE_LENGTH,
        allow_blank=True,
        required=False,
        validators=[validate_reference],
        help_text=_("The custody system's record number."),
    )
    cad_number = StrictCharField(
        max_length=REFERENCE_LENGTH,
        allow_blank=True,
        required=False,
        validators=[validate_reference],
        help_text=_("The incident's number in the command-and-control system."),
    )
