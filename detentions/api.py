"""The detentions partner API: `/api/v1/detentions/` and its event sub-resources.

Who may do what (decided here, documented in docs/architecture.md "API"):

- **See** (GET, and the 404 boundary for everything): the police force that recorded the
  detention, and the operator of any place of safety it has arrived at or been transferred to
  (including one it is travelling to). Anything else is 404.
- **Write events**: the recording force, or the operator of the place where the person is now
  (`current_place_of_safety`) or is being transferred to (`in_transfer_to`, so the receiving place
  can record the arrival). Another organisation that can see the detention (a place the person
  has left) gets 403.
- **Create**: police forces only (403 for other organisations); the person, incident and NPU must
  be the force's own.
- **Keys** need `detentions:read` for GET, `detentions:write` for every POST/PATCH (corrections
  included) and `audit:read` for `history/`.
- **Signed-in users** need a role permission per action. The whole table (roles, scopes and
  the organisation's relation to the detention) is `incidents.policy.DETENTION_ACTIONS`, the
  same one the pages ask.

Every change goes through `incidents.services.detentions`; its RuleViolations become the
contract's errors through `core.api_errors`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from accounts.api import caller_organisation_id
from accounts.models import NPU, Organisation
from accounts.principal import principal_of
from core import history_reader
from core.api import IntegerFilter
from core.api_errors import RuleErrorsMixin, RuleValidationError, field_error, rule_errors
from core.serializers import InstantField
from detentions import handover as handovers
from detentions import history_sources, policy, services
from detentions.api_errors import correction_error_serializer, document_rule_errors
from detentions.choices import Status
from detentions.models import (
    Assessment,
    Detention,
    DetentionArrival,
    Escape,
    Extension,
    Handover,
    PoliceStationDecision,
    Review,
    Transfer,
    TransferException,
    WelfareCheck,
)

from . import serializers as s

# --- Permissions ---------------------------------------------------------------------------------
# Decided by the policy module (incidents/policy.py), the same table the pages ask.


class DetentionPermission(BasePermission):
    """The role or scope part of the policy, before the detention is looked up."""

    def has_permission(self, request, view):
        actor = principal_of(request)
        if not actor.is_authenticated:
            return False
        name = getattr(view, "action", None) or ""
        action = policy.API_ACTIONS.get(name, name)
        if action != "start" and action not in policy.DETENTION_ACTIONS:
            return False  # an action the table does not name is closed, not open
        decision = policy.permitted(actor, action)
        if not decision and decision.reason:
            self.message = decision.reason
        return bool(decision)


# --- Filters -------------------------------------------------------------------------------------


class DetentionFilter(filters.FilterSet):
    active = filters.BooleanFilter(
        method="filter_active",
        label=_("true: detentions not yet ended, soonest expiry first; false: ended ones."),
    )
    status = filters.ChoiceFilter(choices=Status.choices)
    person = IntegerFilter(field_name="person_id")
    place_of_safety = IntegerFilter(
        field_name="current_place_of_safety_id",
        label=_("Detentions whose current place of safety is this one."),
    )
    reference = filters.CharFilter(
        method="filter_reference",
        label=_(
            "Harbour's reference, the custody record number or the CAD incident number "
            "(exact, case ignored)."
        ),
    )

    class Meta:
        model = Detention
        fields = ["active", "status", "person", "place_of_safety"]

    def filter_reference(self, queryset, name, value):
        return queryset.with_reference(value)

    def filter_active(self, queryset, name, value):
        if value:
            return queryset.filter(ended_at__isnull=True).order_by(
                F("expires_at").asc(nulls_last=True), "detained_at", "id"
            )
        return queryset.filter(ended_at__isnull=False)


# --- Corrections: which record, which fields -----------------------------------------------------

EVENT_MODELS: dict[str, type[models.Model]] = {
    "arrival": DetentionArrival,
    "transfer": Transfer,
    "welfare_check": WelfareCheck,
    "review": Review,
    "extension": Extension,
    "assessment": Assessment,
    "handover": Handover,
    "escape": Escape,
    "transfer_exception": TransferException,
}
# API names for model fields where they differ.
FIELD_ALIASES = {
    DetentionArrival: {"place_of_safety": "place"},
    Transfer: {"to_place_of_safety": "to_place"},
    TransferException: {"decided_at": "recorded_for"},
}
# The engine's attribute names that the API names otherwise, in a re-check after a correction.
TRANSFER_EXCEPTION_RULE_ATTRS = {"recorded_at": "decided_at"}
CORRECTION_RULE_ATTRS = {TransferException: TRANSFER_EXCEPTION_RULE_ATTRS}
REASON_COLUMN = 100  # simple-history's history_change_reason
NOT_CORRECTABLE = {
    "id",
    "detention",
    "recorded_by",
    "recorded_at",
    "police_station_decision",
    "place_status_at_arrival",
    "from_place",
}


def _correctable_fields(model) -> dict[str, models.Field]:
    if model is Detention:
        return {name: Detention._meta.get_field(name) for name in services.DETENTION_CORRECTABLE}
    fields = {
        f.name: f
        for f in model._meta.concrete_fields
        if f.name not in NOT_CORRECTABLE and f.editable
    }
    for alias, name in FIELD_ALIASES.get(model, {}).items():
        fields[alias] = fields.pop(name)
    return fields


def _input_field(model_field: models.Field, organisation_id) -> serializers.Field:
    """A DRF field that parses a corrected value (shape only; the engine judges the rest)."""
    null = model_field.null
    if isinstance(model_field, models.DateTimeField):
        return InstantField(allow_null=null)
    if isinstance(model_field, models.BooleanField):
        return serializers.BooleanField(allow_null=null)
    if isinstance(model_field, models.IntegerField):
        return serializers.IntegerField(allow_null=null)
    if isinstance(model_field, models.ForeignKey):
        related = model_field.related_model
        if related is NPU:
            return serializers.SlugRelatedField(
                slug_field="code", queryset=NPU.objects.filter(force_id=organisation_id)
            )
        return serializers.PrimaryKeyRelatedField(queryset=related.objects.all(), allow_null=null)
    return serializers.CharField(
        allow_blank=True, allow_null=False, max_length=model_field.max_length, trim_whitespace=False
    )


# --- History -----------------------------------------------------------------------------------

HISTORY_SOURCES = history_sources.SOURCES
HISTORY_SKIP = {"updated_at"}
CHANGE_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


def _json_value(value):
    if hasattr(value, "isoformat") and hasattr(value, "tzinfo"):
        return InstantField().to_representation(value) if value.tzinfo else value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _history_entry(label, step) -> dict:
    """A history row as the API shows it: every field it changed against the record's previous
    row (all its fields when created or deleted), by field name, as [old, new]."""
    row, before, kind = step.row, step.previous, step.row.history_type
    changes = {}
    for f in step.model._meta.concrete_fields:
        if f.name in HISTORY_SKIP:
            continue
        new = getattr(row, f.attname)
        if kind == "-":
            if new not in (None, ""):
                changes[f.name] = [_json_value(new), None]
        elif kind == "+" or before is None:
            if new not in (None, "", {}, []):
                changes[f.name] = [None, _json_value(new)]
        elif getattr(before, f.attname) != new:
            changes[f.name] = [_json_value(getattr(before, f.attname)), _json_value(new)]
    return {
        "changed_at": row.history_date,
        "changed_by": row.changed_by,
        "actor_kind": row.actor_kind,
        "change_type": CHANGE_TYPES.get(kind, kind),
        "record": f"{label}:{step.object_id}",
        "reason": row.history_change_reason,
        "changes": changes,
    }


def detention_history(detention: Detention) -> list[dict]:
    """Every history row of the detention and of all its events (deleted ones included), in time
    order, each with the field changes against the record's previous row. Read by the one
    history reader (core.history_reader): one query per kind of record, whatever the number of
    events."""
    labels = {model: label for label, model, _key in HISTORY_SOURCES}
    labels[PoliceStationDecision] = "police_station_decision"
    children = [(model, key) for _label, model, key in HISTORY_SOURCES[1:]]
    steps = history_reader.read(Detention, detention.pk, children=children)
    steps.sort(key=lambda step: (step.row.history_date, step.rank, step.row.history_id))
    return [_history_entry(labels[step.model], step) for step in steps]


# --- The viewset -------------------------------------------------------------------------------


def _action_schema(request, summary, response_status=201, description="", errors=None):
    return extend_schema(
        request=request,
        responses={response_status: s.DetentionDetailSerializer, **(errors or {})},
        summary=summary,
        description=description,
    )


def _correction_value_fields() -> list[serializers.Field]:
    """One field per correctable field of the detention and its events (every type used)."""
    models_ = [Detention, *EVENT_MODELS.values()]
    return [_input_field(f, None) for m in models_ for f in _correctable_fields(m).values()]


TRANSFER_ID = OpenApiParameter(
    "transfer_id", OpenApiTypes.INT, OpenApiParameter.PATH, description=_("The transfer's id.")
)


@extend_schema_view(
    list=extend_schema(summary=_("Detentions the caller's organisation may see")),
    retrieve=extend_schema(
        summary=_("One detention with its events"), responses=s.DetentionDetailSerializer
    ),
    create=extend_schema(
        summary=_("Start a s136 or s135(1) detention"),
        request=s.DetentionCreateSerializer,
        responses={201: s.DetentionDetailSerializer},
    ),
)
@document_rule_errors
class DetentionViewSet(
    RuleErrorsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """s136 / s135(1) detentions. Every change goes through the services and the rule engine."""

    queryset = Detention.objects.none()  # for the schema; get_queryset decides per caller
    serializer_class = s.DetentionSerializer
    permission_classes = [DetentionPermission]
    filterset_class = DetentionFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = r"[0-9]+"

    # --- querysets -------------------------------------------------------------------------------

    def _organisation_id(self):
        return caller_organisation_id(self.request)

    def get_queryset(self):
        qs = policy.visible_detentions(principal_of(self.request)).select_related(
            "person", "organisation", "npu"
        )
        if self.action == "list":  # `deadlines` reads the assessment and the handover
            return (
                qs.select_related("assessment", "handover")
                .order_by("-detained_at", "-id")
                .prefetch_related("unlawful_acts")
            )
        return self._with_events(qs)

    @staticmethod
    def _with_events(qs):
        return qs.select_related(
            "current_place_of_safety",
            "in_transfer_to",
            "arrival__police_station_decision",
            "extension",
            "assessment",
            "handover",
        ).prefetch_related(
            "handover_requests",
            Prefetch(
                "transfers", queryset=Transfer.objects.select_related("police_station_decision")
            ),
            "welfare_checks",
            "reviews",
            "escapes",
            "transfer_exceptions",
            "corrections",
            "unlawful_acts",
        )

    def get_serializer_class(self):
        if self.action == "list":
            return s.DetentionSerializer
        return s.DetentionDetailSerializer

    def _writable_object(self, *, assessment: bool = False) -> Detention:
        detention = self.get_object()  # visible to the caller, or 404
        action = "assessment" if assessment else policy.API_ACTIONS.get(self.action, self.action)
        policy.may(principal_of(self.request), action, detention, visible=True).enforce()
        return detention

    def _respond(self, detention, status_code=status.HTTP_201_CREATED):
        fresh = self._with_events(
            Detention.objects.select_related("person", "organisation", "npu")
        ).get(pk=detention.pk)
        return Response(s.DetentionDetailSerializer(fresh).data, status=status_code)

    def _input(self, serializer_class, **kwargs):
        serializer = serializer_class(data=self.request.data, **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    # --- create ----------------------------------------------------------------------------------

    def create(self, request, *args, **kwargs):
        actor = principal_of(request)  # may start: DetentionPermission asked the policy
        org_id = actor.organisation_id
        organisation = Organisation.objects.get(pk=org_id)
        data = self._input(s.DetentionCreateSerializer, organisation_id=org_id)
        if data["mode"] != "kept" and data["place_of_safety"] is not None:
            raise field_error(
                "place_of_safety",
                "invalid",
                _(
                    "Give the place of safety here only when the person is kept where they "
                    "already were (mode `kept`). Otherwise record the arrival."
                ),
            )
        user = request.user
        with rule_errors():
            detention = services.start_detention(
                organisation=organisation,
                person=data["person"],
                power=data["power"],
                detained_at=data["detained_at"],
                mode=data["mode"],
                location_kind=data["location_kind"],
                location_description=data["location_description"],
                consultation=dict(data["consultation"]) if data["consultation"] else None,
                consultation_not_practicable_reason=data["consultation_not_practicable_reason"],
                conveyance_mode=data["conveyance_mode"],
                conveyance_reason=data["conveyance_reason"],
                warrant_issued_at=data["warrant_issued_at"],
                premises_entered_at=data["premises_entered_at"],
                incident=data["incident"],
                npu=data["npu"],
                place_of_safety=data["place_of_safety"],
                police_station_decision=_decision(data["police_station_decision"]),
                created_by=None if actor.is_key else user,
                **_as_happened(data),
            )
        return self._respond(detention)

    # --- events ----------------------------------------------------------------------------------

    @_action_schema(s.ArrivalInputSerializer, _("Record the arrival at the first place of safety"))
    @action(detail=True, methods=["post"])
    def arrival(self, request, pk=None):
        detention = self._writable_object()
        data = self._input(s.ArrivalInputSerializer)
        services.record_arrival(
            detention,
            place_of_safety=data["place_of_safety"],
            arrived_at=data["arrived_at"],
            police_station_decision=_decision(data["police_station_decision"]),
            **_as_happened(data),
        )
        return self._respond(detention)

    @_action_schema(
        s.TransferInputSerializer,
        _("Record a transfer to another place of safety"),
        description=_("The new transfer is the last in `transfers` of the response."),
    )
    @action(detail=True, methods=["post"])
    def transfers(self, request, pk=None):
        detention = self._writable_object()
        data = self._input(s.TransferInputSerializer)
        services.record_transfer(
            detention,
            to_place_of_safety=data["to_place_of_safety"],
            departed_at=data["departed_at"],
            arrived_at=data["arrived_at"],
            reason=data["reason"],
            authorised_by=data["authorised_by"],
            police_station_decision=_decision(data["police_station_decision"]),
            **_as_happened(data),
        )
        return self._respond(detention)

    @extend_schema(
        request=s.TransferArrivalInputSerializer,
        responses={200: s.DetentionDetailSerializer},
        parameters=[TRANSFER_ID],
        summary=_("Record the arrival of a transfer under way"),
    )
    @action(detail=True, methods=["patch"], url_path=r"transfers/(?P<transfer_id>[0-9]+)")
    def transfer_arrival(self, request, pk=None, transfer_id=None):
        detention = self._writable_object()
        transfer = get_object_or_404(Transfer, detention=detention, pk=transfer_id)
        data = self._input(s.TransferArrivalInputSerializer)
        services.record_transfer_arrival(
            transfer, arrived_at=data["arrived_at"], **_as_happened(data)
        )
        return self._respond(detention, status.HTTP_200_OK)

    @_action_schema(s.WelfareCheckInputSerializer, _("Record a welfare check (PS4)"))
    @action(detail=True, methods=["post"], url_path="welfare-checks")
    def welfare_checks(self, request, pk=None):
        detention = self._writable_object()
        data = self._input(s.WelfareCheckInputSerializer)
        services.record_welfare_check(detention, **data)
        return self._respond(detention)

    @_action_schema(s.ReviewInputSerializer, _("Record a custody officer's review (PS5)"))
    @action(detail=True, methods=["post"])
    def reviews(self, request, pk=None):
        detention = self._writable_object()
        data = self._input(s.ReviewInputSerializer)
        services.record_review(detention, **data)
        return self._respond(detention)

    @_action_schema(
        s.TransferExceptionInputSerializer,
        _("Record why a required transfer away from a police station is not made (PS6)"),
    )
    @action(detail=True, methods=["post"], url_path="transfer-exception")
    def transfer_exception(self, request, pk=None):
        detention = self._writable_object()
        data = self._input(s.TransferExceptionInputSerializer)
        with rule_errors(attr_map=TRANSFER_EXCEPTION_RULE_ATTRS):
            services.record_transfer_exception(
                detention, recorded_for=data["decided_at"], reason=data["reason"]
            )
        return self._respond(detention)

    @_action_schema(s.ExtensionInputSerializer, _("Record an extension (s136B, E1-E6)"))
    @action(detail=True, methods=["post"])
    def extension(self, request, pk=None):
        detention = self._writable_object()
        data = self._input(s.ExtensionInputSerializer)
        services.record_extension(detention, **data)
        return self._respond(detention)

    @extend_schema(
        request=s.AssessmentInputSerializer,
        responses={200: s.DetentionDetailSerializer, 201: s.DetentionDetailSerializer},
        summary=_("Create or update the assessment (A1): only the fields sent change"),
    )
    @action(detail=True, methods=["post"])
    def assessment(self, request, pk=None):
        detention = self._writable_object(assessment=True)
        data = self._input(s.AssessmentInputSerializer)
        existed = Assessment.objects.filter(detention=detention).exists()
        services.record_assessment(detention, **data)
        return self._respond(detention, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @_action_schema(s.HandoverInputSerializer, _("Record the handover to health staff (A4)"))
    @action(detail=True, methods=["post"])
    def handover(self, request, pk=None):
        detention = self._writable_object()
        data = self._input(s.HandoverInputSerializer)
        services.record_handover(detention, **data)
        return self._respond(detention)

    # --- A4 as a request and its answer (detentions/handover.py) ------------------------------

    def _own_name(self) -> str:
        actor = principal_of(self.request)
        if actor.is_user and actor.user is not None:
            return str(actor.user)
        return ""

    def _via(self) -> str:
        return "api" if principal_of(self.request).is_key else "account"

    @_action_schema(
        s.HandoverRequestInputSerializer,
        _("Ask the health staff of the place to take over (A4)"),
        description=_(
            "The detaining force only, at a health-based place of safety or an emergency "
            "department. Health staff are alerted; where the place has a shared inbox a "
            "one-time link is emailed there. 409 `handover_already_requested` while one waits, "
            "`handover_exists` once handed over, `detention_ended` after the end."
        ),
    )
    @action(detail=True, methods=["post"], url_path="handover-request")
    def handover_request(self, request, pk=None):
        detention = self._writable_object()
        data = self._input(s.HandoverRequestInputSerializer)
        handovers.request_handover(detention, note=data["note"], requested_by_name=self._own_name())
        return self._respond(detention)

    @_action_schema(
        s.HandoverAcceptInputSerializer,
        _("Accept the handover waiting for health staff (A4)"),
        200,
        description=_(
            "Health staff of the place where the person is now. `police_must_stay` is required "
            "and `stay_reason` with it when true. Writes the A4 `handover` (received by "
            "`received_by`, or the signed-in user's name). 409 `no_open_handover_request` "
            "when nothing waits (for example already accepted)."
        ),
    )
    @action(detail=True, methods=["post"], url_path="handover-request/accept")
    def handover_accept(self, request, pk=None):
        detention = self._writable_object()
        data = self._input(s.HandoverAcceptInputSerializer)
        hreq = handovers.open_request_or_refuse(detention)
        handovers.accept_handover(
            hreq,
            received_by=data["received_by"] or self._own_name(),
            police_must_stay=data["police_must_stay"],
            stay_reason=data["stay_reason"],
            via=self._via(),
        )
        return self._respond(detention, status.HTTP_200_OK)

    @_action_schema(
        s.HandoverDeclineInputSerializer,
        _("Decline the handover waiting for health staff (A4)"),
        200,
        description=_(
            "Health staff of the place where the person is now; `reason` is required. The "
            "officers keep the person and may ask again."
        ),
    )
    @action(detail=True, methods=["post"], url_path="handover-request/decline")
    def handover_decline(self, request, pk=None):
        detention = self._writable_object()
        data = self._input(s.HandoverDeclineInputSerializer)
        hreq = handovers.open_request_or_refuse(detention)
        with rule_errors(attr_map={"decline_reason": "reason", "received_by": "declined_by"}):
            handovers.decline_handover(
                hreq,
                reason=data["reason"],
                declined_by=data["declined_by"] or self._own_name(),
                via=self._via(),
            )
        return self._respond(detention, status.HTTP_200_OK)

    @_action_schema(s.EscapeInputSerializer, _("Record an escape (s138, X1)"))
    @action(detail=True, methods=["post"])
    def escape(self, request, pk=None):
        detention = self._writable_object()
        data = self._input(s.EscapeInputSerializer)
        services.record_escape(detention, **data)
        return self._respond(detention)

    @_action_schema(s.ReturnInputSerializer, _("Record the return of an absent person (X1)"), 200)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        detention = self._writable_object()
        data = self._input(s.ReturnInputSerializer)
        services.record_return(detention, **data)
        return self._respond(detention, status.HTTP_200_OK)

    @_action_schema(s.EndInputSerializer, _("End the detention (C7)"), 200)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        detention = self._writable_object()
        data = self._input(s.EndInputSerializer)
        services.end_detention(detention, **data)
        return self._respond(detention, status.HTTP_200_OK)

    @_action_schema(
        s.CorrectionInputSerializer,
        _("Correct the detention or one of its events (the audited path)"),
        description=_(
            "The only way to change an ended detention. Requires a reason; the original stays "
            "in history. Field names are those of the record (`detention`: "
            + ", ".join(services.DETENTION_CORRECTABLE)
            + ")."
        ),
        errors={
            400: correction_error_serializer(
                s.CorrectionInputSerializer, _correction_value_fields()
            )
        },
    )
    @action(detail=True, methods=["post"])
    def corrections(self, request, pk=None):
        detention = self._writable_object()
        data = self._input(s.CorrectionInputSerializer)
        # The service stores `correction (<kind>): <reason>` as the history rows' change reason,
        # a varchar(100): a longer reason would fail in the database (a 500), so refuse it here.
        # TODO(services): truncate the change reason there (the full reason is in Correction).
        limit = REASON_COLUMN - len(f"correction ({data['kind']}): ")
        if len(data["reason"]) > limit:
            raise field_error(
                "reason",
                "max_length",
                _("Keep the reason to %(n)d characters or fewer.") % {"n": limit},
            )
        target, model = self._correction_target(detention, data["target"])
        changes = self._correction_changes(model, data["changes"])
        # Errors name fields as the API does (the engine checks a transfer exception's
        # `recorded_at`, which the API calls `decided_at`, as the transfer-exception action does).
        names = {field: api for api, field in FIELD_ALIASES.get(model, {}).items()}
        names |= CORRECTION_RULE_ATTRS.get(model, {})
        with rule_errors(attr_map=names):
            services.correct(
                target,
                kind=data["kind"],
                reason=data["reason"],
                changes=changes,
                delete=data["delete"],
                **_as_happened(data),
            )
        return self._respond(detention)

    @_action_schema(
        s.LateEntryInputSerializer,
        _("Add an event to an ended detention as a late entry (R2)"),
        description=_(
            "`event` names the action as in its path (welfare-checks, reviews, assessment, "
            "handover, extension, transfer-exception); the action's own fields are sent beside "
            "`event` and `reason`, and are judged by its rules as if the detention were running, "
            "within the detention's span. `reason` is always why the entry is late, so a "
            "transfer exception's own reason (PS6) is sent as `exception_reason`, with "
            "`decided_at`. Audited like a correction (a `late_entry` correction "
            "with the reason); the event is marked `entered_late`; no new alert is raised."
        ),
    )
    @action(detail=True, methods=["post"], url_path="late-entries")
    def late_entries(self, request, pk=None):
        detention = self._writable_object()  # the policy's `late_entry`, whatever the event
        head = self._input(s.LateEntryInputSerializer)
        event = head["event"]
        serializer_class, to_service = LATE_ENTRY_INPUTS[event]
        data = to_service(self._input(serializer_class))
        with rule_errors(attr_map=LATE_ENTRY_RULE_ATTRS.get(event)):
            services.record_late_entry(detention, event=event, reason=head["reason"], fields=data)
        return self._respond(detention)

    def _correction_target(self, detention, target: str):
        if target == "detention":
            return detention, Detention
        label, _sep, raw_id = target.partition(":")
        model = EVENT_MODELS.get(label)
        if model is None or not raw_id.isdigit():
            raise field_error(
                "target",
                "invalid",
                _("Name the record as `detention` or `<event>:<id>` (for example transfer:12)."),
            )
        event = model.objects.filter(detention=detention, pk=int(raw_id)).first()
        if event is None:
            raise field_error("target", "does_not_exist", _("This detention has no such record."))
        return event, model

    def _correction_changes(self, model, raw: dict) -> dict:
        allowed = _correctable_fields(model)
        org_id = self._organisation_id()
        errors, changes = [], {}
        for api_name, value in raw.items():
            model_field = allowed.get(api_name)
            if model_field is None:
                errors.append(
                    (f"changes.{api_name}", "invalid", _("This field cannot be corrected."))
                )
                continue
            field = _input_field(model_field, org_id)
            try:
                changes[model_field.name] = field.run_validation(value)
            except serializers.ValidationError as exc:
                for detail in exc.detail if isinstance(exc.detail, list) else [exc.detail]:
                    errors.append((f"changes.{api_name}", detail.code, str(detail)))
        if errors:
            raise RuleValidationError(errors)
        return changes

    # --- history ---------------------------------------------------------------------------------

    @extend_schema(
        responses={200: s.HistoryEntrySerializer(many=True)},
        summary=_("History of the detention and all its events"),
        description=_(
            "Every change, oldest first, with who made it (`changed_by`: username or API key "
            "name), which record (`detention:7`, `transfer:12`, ...), the reason given (for "
            "corrections) and the changed fields as [old, new]. Keys need `audit:read`."
        ),
        filters=False,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def history(self, request, pk=None):
        actor = principal_of(request)
        detention = get_object_or_404(
            policy.visible_detentions(actor).only("id", "organisation_id"), pk=pk
        )
        policy.may(actor, "history", detention, visible=True).enforce()
        entries = detention_history(detention)
        return Response(s.HistoryEntrySerializer(entries, many=True).data)

    @_action_schema(
        s.ReferencesInputSerializer,
        _("Set the detention's references to the force's other systems"),
        200,
        description=_(
            "Custody record number and CAD incident number (not unique). A field left out is "
            "unchanged; an empty string clears it. The recording force only; also after the end."
        ),
    )
    @action(detail=True, methods=["post"])
    def references(self, request, pk=None):
        detention = self._writable_object()
        data = self._input(s.ReferencesInputSerializer)
        services.set_references(detention, **data)
        return self._respond(detention, status.HTTP_200_OK)


def _decision(data):
    return dict(data) if data else None


def _as_happened(data) -> dict:
    """R1: the confirmation and account, as the services take them."""
    return {
        "record_as_happened": data.get("record_as_happened", False),
        "account": data.get("account", ""),
    }


#: R2: each event that may be entered late: its input serializer, and its fields as the
#: service takes them.
LATE_ENTRY_INPUTS = {
    "welfare-checks": (s.WelfareCheckInputSerializer, dict),
    "reviews": (s.ReviewInputSerializer, dict),
    "assessment": (s.AssessmentInputSerializer, dict),
    "handover": (s.HandoverInputSerializer, dict),
    "extension": (s.ExtensionInputSerializer, dict),
    # `reason` is the late entry's: the exception's own comes as `exception_reason`.
    "transfer-exception": (
        s.LateTransferExceptionInputSerializer,
        lambda data: {"recorded_for": data["decided_at"], "reason": data["exception_reason"]},
    ),
}
#: R2: where a late entry's errors name a field otherwise than its event's rules do (keys: the
#: engine's attribute, or (rule, attribute) where one attribute means two fields).
LATE_ENTRY_RULE_ATTRS = {
    "transfer-exception": {
        **TRANSFER_EXCEPTION_RULE_ATTRS,
        "recorded_for": "decided_at",
        ("PS6", "reason"): "exception_reason",
    },
}
