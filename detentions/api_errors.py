"""The errors the detentions API answers with, for its OpenAPI schema.

The rule engine (incidents/law, s136-rules.md) refuses an input with its own code on the field it
judges (`core.api_errors`): those codes are not in the input serializers, so each action lists
here, per field, the codes its rules (and the view's own checks) can return. `attr` null is the
detention as a whole. A state conflict (an ended detention, C7) is 409 `detention_ended`.

Keep these tables in step with incidents/law/checks.py and validators.py: every API test's
response is validated against the schema, so a code missing here fails the test that meets it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import PolymorphicProxySerializer
from drf_standardized_errors.openapi_serializers import (
    ParseErrorResponseSerializer,
    ValidationErrorEnum,
)
from drf_standardized_errors.openapi_utils import get_serializer_field_error_codes
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import serializers

from core.openapi import extend_error_codes
from law.constants import Code

# PS1-PS3 where a police station is used (the first place, or a transfer's destination).
STATION_DECISION = [
    Code.POLICE_STATION_CONDITIONS,
    Code.INSPECTOR_AUTHORISATION_REQUIRED,
    Code.TIME_ORDER,
]

# PS1 and RS4 (no police station at all under the Mental Health Act 2025) at the place itself.
STATION_PLACE = [Code.CHILD_POLICE_STATION, Code.POLICE_STATION_NOT_PLACE_OF_SAFETY]

#: action -> {field (None: the detention as a whole): the rule codes it may answer with}
RULE_ERRORS: dict[str, dict[str | None, list[str]]] = {
    "create": {
        None: [Code.DETENTION_ACTIVE],  # C3
        "mode": [Code.INVALID_CHOICE],
        "location_kind": [Code.INVALID_CHOICE, Code.PRIVATE_DWELLING],  # P1
        "consultation": [Code.CONSULTATION_REQUIRED, Code.TIME_ORDER],  # P2, C4
        "conveyance_reason": [Code.CONVEYANCE_REASON_REQUIRED],  # P3
        "warrant_issued_at": [Code.REQUIRED, Code.TIME_ORDER],  # s135(1)
        "premises_entered_at": [Code.TIME_ORDER],
        "detained_at": [Code.TIME_ORDER],
        # `kept` needs the place (C1); only `kept` may name it (the view); PS1 at the place.
        "place_of_safety": [Code.REQUIRED, Code.INVALID, *STATION_PLACE],
        "police_station_decision": STATION_DECISION,
    },
    "arrival": {
        "arrived_at": [Code.ARRIVAL_EXISTS, Code.TIME_ORDER],
        "place_of_safety": STATION_PLACE,
        "police_station_decision": STATION_DECISION,
    },
    "transfers": {
        "departed_at": [Code.TIME_ORDER],
        "arrived_at": [Code.TIME_ORDER],
        "to_place_of_safety": STATION_PLACE,
        "police_station_decision": STATION_DECISION,
    },
    # The transfer is judged again at its arrival (age and conditions at `arrived_at`).
    "transfer_arrival": {
        "arrived_at": [Code.ARRIVAL_EXISTS, Code.TIME_ORDER],
        "departed_at": [Code.TIME_ORDER],
        "to_place_of_safety": STATION_PLACE,
        "police_station_decision": STATION_DECISION,
    },
    "welfare_checks": {"checked_at": [Code.TIME_ORDER]},
    "reviews": {"reviewed_at": [Code.TIME_ORDER]},
    "transfer_exception": {"decided_at": [Code.TIME_ORDER], "reason": [Code.REQUIRED]},
    "extension": {
        None: [Code.EXTENSION_NOT_PERMITTED, Code.EXTENSION_EXISTS],  # E6, E3
        "authorised_at": [Code.TIME_ORDER, Code.EXTENSION_TOO_LATE],
        "hours": [Code.INVALID, Code.EXTENSION_TOO_LONG],
        "ground": [Code.EXTENSION_GROUND_INVALID],
        "ground_detail": [Code.EXTENSION_GROUND_INVALID],
        "doctor_name": [Code.EXTENSION_NOT_PERMITTED],
        "doctor_gmc_number": [Code.EXTENSION_NOT_PERMITTED],
        "superintendent_name": [Code.SUPERINTENDENT_APPROVAL_REQUIRED],
        "superintendent_rank": [Code.SUPERINTENDENT_APPROVAL_REQUIRED],
        "superintendent_approved_at": [
            Code.SUPERINTENDENT_APPROVAL_REQUIRED,
            Code.TIME_ORDER,
            Code.EXTENSION_TOO_LATE,
        ],
    },
    "assessment": {
        name: [Code.TIME_ORDER]
        for name in (
            "amhp_requested_at",
            "amhp_arrived_at",
            "doctor_requested_at",
            "doctor_arrived_at",
            "started_at",
            "completed_at",
        )
    },
    "handover": {"handed_over_at": ["handover_exists", Code.TIME_ORDER]},
    # A4 as a request and its answer (detentions/handover.py).
    "handover_request": {None: ["handover_place_not_health"]},
    "handover_accept": {
        None: ["handover_wrong_place", Code.TIME_ORDER],
        "received_by": [Code.REQUIRED],
        "stay_reason": ["stay_reason_required"],
    },
    "handover_decline": {
        None: ["handover_wrong_place"],
        "declined_by": [Code.REQUIRED],
        "reason": ["decline_reason_required"],
    },
    "escape": {"escaped_at": [Code.ALREADY_ABSENT, Code.TIME_ORDER]},
    "return_": {
        "returned_at": [Code.NOT_ABSENT, Code.TIME_ORDER, Code.RETAKE_PERIOD_EXPIRED],
    },
    "end": {
        "outcome": [Code.REQUIRED, Code.INVALID_CHOICE],
        "ended_at": [Code.TIME_ORDER],
    },
}

# R1: the confirmation without an account is refused on every action that may record an act as
# it happened.
for _action in ("create", "arrival", "transfers", "transfer_arrival", "extension", "return_"):
    RULE_ERRORS[_action]["account"] = [Code.REQUIRED]

# R2: a late entry answers with its event's own codes, and its own.
LATE_ENTRY_EVENTS = (
    "welfare_checks",
    "reviews",
    "assessment",
    "handover",
    "extension",
    "transfer_exception",
)
# `reason` is the late entry's own: an event's own reason is sent under another name.
LATE_ENTRY_FIELD_NAMES = {"transfer_exception": {"reason": "exception_reason"}}
RULE_ERRORS["late_entries"] = {
    None: [Code.DETENTION_NOT_ENDED, Code.EXTENSION_NOT_PERMITTED, Code.EXTENSION_EXISTS],
    "reason": ["reason_required"],
    "event": [Code.INVALID_CHOICE],
}
for _event in LATE_ENTRY_EVENTS:
    for _field, _codes in RULE_ERRORS[_event].items():
        if _field is not None:
            _field = LATE_ENTRY_FIELD_NAMES.get(_event, {}).get(_field, _field)
            merged = RULE_ERRORS["late_entries"].setdefault(_field, [])
            merged += [c for c in _codes if c not in merged]

#: Actions that add to a detention: refused with 409 `detention_ended` once it has ended (C7).
EVENT_ACTIONS = [action for action in RULE_ERRORS if action not in ("create", "late_entries")]

#: The codes the rules may give when a corrected record is judged again as a whole
#: (`check_correction`: every refusal rule except C7; C3 when it would reopen the detention).
RECORD_RULE_CODES = [
    Code.DETENTION_ACTIVE,  # C3: reopening an ended detention while another runs
    Code.POLICE_STATION_NOT_PLACE_OF_SAFETY,
    Code.TIME_ORDER,
    Code.PRIVATE_DWELLING,
    Code.CONSULTATION_REQUIRED,
    Code.CONVEYANCE_REASON_REQUIRED,
    Code.CHILD_POLICE_STATION,
    Code.POLICE_STATION_CONDITIONS,
    Code.INSPECTOR_AUTHORISATION_REQUIRED,
    Code.EXTENSION_NOT_PERMITTED,
    Code.EXTENSION_TOO_LATE,
    Code.EXTENSION_TOO_LONG,
    Code.EXTENSION_GROUND_INVALID,
    Code.SUPERINTENDENT_APPROVAL_REQUIRED,
    Code.RETAKE_PERIOD_EXPIRED,
    Code.INVALID,
    Code.REQUIRED,
    Code.INVALID_CHOICE,
]
# The correction's own checks (view and service): reason, kind, target, nothing changed.
CORRECTION_CODES = ["reason_required", "max_length", "invalid_choice", "invalid", "no_change"]
CORRECTION_CODES += ["required"]  # R1: `record_as_happened` without an `account`


def document_rule_errors(viewset):
    """Applies RULE_ERRORS and the 409 of an ended detention to the detentions viewset."""
    for action, fields in RULE_ERRORS.items():
        for field, codes in fields.items():
            # One call per action and field: drf-standardized-errors keeps the last in scope.
            extend_validation_errors([str(c) for c in codes], field_name=field, actions=[action])(
                viewset
            )
    viewset = extend_error_codes(409, [Code.DETENTION_ENDED.value], actions=EVENT_ACTIONS)(viewset)
    for action, codes in HANDOVER_CONFLICTS.items():
        viewset = extend_error_codes(409, codes, actions=[action])(viewset)
    return viewset


#: A4: the request's state forbids the step (409).
HANDOVER_CONFLICTS = {
    "handover_request": ["handover_exists", "handover_already_requested"],
    "handover_accept": ["no_open_handover_request", "handover_already_answered", "handover_exists"],
    "handover_decline": ["no_open_handover_request", "handover_already_answered"],
}


def correction_error_serializer(input_serializer, value_fields):
    """The 400 of `corrections/`. Its attributes cannot be listed: `changes.<field>` names any
    key the client sent, and the rules judge the whole corrected record (any field of the
    detention or its events), so `attr` is documented as a string; the codes are listed.

    `value_fields`: the serializer fields that parse corrected values (every type used)."""
    codes = set(CORRECTION_CODES) | {str(c) for c in RECORD_RULE_CODES}
    for name, field in input_serializer().fields.items():
        codes |= get_serializer_field_error_codes(field, name)
    for field in value_fields:
        codes |= get_serializer_field_error_codes(field, "changes")
    codes.add("invalid")  # core/idempotency.py: an Idempotency-Key of the wrong length

    class CorrectionError(serializers.Serializer):
        attr = serializers.CharField(
            allow_null=True,
            help_text=_(
                "`changes.<field>` for a value in `changes`; a field of the corrected record "
                "(its API name) for a rule the corrected record would break; the correction's "
                "own field (`target`, `kind`, `reason`); null for the record as a whole."
            ),
        )
        code = serializers.ChoiceField(choices=sorted((c, c) for c in codes))
        detail = serializers.CharField()

        class Meta:
            ref_name = "DetentionsCorrectionsCreateErrorComponent"

    class CorrectionValidationError(serializers.Serializer):
        type = serializers.ChoiceField(choices=ValidationErrorEnum.choices)
        errors = CorrectionError(many=True)

        class Meta:
            ref_name = "DetentionsCorrectionsCreateValidationError"

    return PolymorphicProxySerializer(
        component_name="DetentionsCorrectionsCreateErrorResponse400",
        serializers={
            ValidationErrorEnum.VALIDATION_ERROR.value: CorrectionValidationError,
            "client_error": ParseErrorResponseSerializer,
        },
        resource_type_field_name="type",
    )
