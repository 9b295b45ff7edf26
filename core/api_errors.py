"""Turn the services' rule refusals into the partner API's error format.

The contract (api-contract.md) uses drf-standardized-errors' format:

    {"type": "validation_error", "errors": [{"code": ..., "detail": ..., "attr": ...}]}

A rule refusal (`core.errors.RuleViolation`, or anything with `.violations` whose
items carry `code`, `attr` and `message`) becomes HTTP 400 with one error per violation, keeping
the rule's code and attribute. A state conflict (`detention_ended`) becomes HTTP 409 with
`"type": "client_error"`.

Use it in one of three ways:

- `with rule_errors(): services.record_arrival(...)` in any view;
- mix `RuleErrorsMixin` into a DRF view or viewset: every RuleViolation it raises is mapped;
- `raise api_error_for(exc)` when you already hold the exception.

`attr_prefix` nests the engine's attributes under a field (for example `changes` for the
corrections endpoint, giving `changes.arrived_at`).
"""

from __future__ import annotations

from contextlib import contextmanager

from django.utils.translation import gettext_lazy as _
from drf_standardized_errors.formatter import ExceptionFormatter
from rest_framework import exceptions, status
from rest_framework.exceptions import ErrorDetail

from . import law_text
from .errors import NotAllowed, RuleViolation


class StateConflict(exceptions.APIException):
    """HTTP 409: the resource's state forbids the change (for example an ended detention)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The record's state does not allow this change.")
    default_code = "conflict"


class RuleValidationError(exceptions.ValidationError):
    """HTTP 400 whose errors keep the rule engine's codes and attributes (attr may be null)."""

    def __init__(self, errors: list[tuple[str | None, str, str]]):
        # A dict keyed by attribute: drf-standardized-errors flattens it to one error per
        # detail, `attr` being the key (None -> null, the whole resource).
        detail: dict[str | None, list[ErrorDetail]] = {}
        for attr, code, message in errors:
            detail.setdefault(attr, []).append(ErrorDetail(str(message), code=code))
        self.detail = detail  # set directly: DRF would coerce the None key otherwise


def is_rule_violation(exc: BaseException) -> bool:
    return isinstance(exc, RuleViolation)


def api_error_for(
    exc, attr_prefix: str | None = None, attr_map: dict | None = None
) -> exceptions.APIException:
    """The DRF exception for a RuleViolation: 409 for a conflict, else 400.

    `attr_map` renames the engine's attributes where the API names a field differently; a key
    `(rule, attr)` renames `attr` for that rule's violations only (first)."""
    violations = list(exc.violations)
    conflicts = [v for v in violations if v.is_conflict]
    if conflicts:
        first = conflicts[0]
        return StateConflict(
            detail=ErrorDetail(str(law_text.message(first.message)), code=first.code)
        )

    def attr_of(v):
        names = attr_map or {}
        attr = names.get((getattr(v, "rule", None), v.attr), names.get(v.attr, v.attr))
        if attr_prefix and attr:
            return f"{attr_prefix}.{attr}"
        return attr or attr_prefix

    # The human words in the caller's language (Accept-Language); codes stay as they are.
    return RuleValidationError(
        [(attr_of(v), v.code, law_text.message(v.message)) for v in violations]
    )


@contextmanager
def rule_errors(attr_prefix: str | None = None, attr_map: dict | None = None):
    """Maps a RuleViolation raised inside the block to the API's 400 / 409 error."""
    try:
        yield
    except Exception as exc:
        if is_rule_violation(exc):
            raise api_error_for(exc, attr_prefix, attr_map) from exc
        raise


def field_error(attr: str | None, code: str, message) -> RuleValidationError:
    """A single 400 error with an explicit code (for checks a view makes itself)."""
    return RuleValidationError([(attr, code, str(message))])


class RuleErrorsMixin:
    """For DRF views: RuleViolations raised by the view are answered as API errors (and a
    service's `NotAllowed` as 403)."""

    def handle_exception(self, exc):
        if is_rule_violation(exc):
            exc = api_error_for(exc)
        elif isinstance(exc, NotAllowed):
            exc = exceptions.PermissionDenied(detail=str(exc))
        return super().handle_exception(exc)


# The rule codes whose refusal may be recorded as it happened: the rule engine's
# `RECORDABLE_CODES`, installed by the incidents app (core imports no app).
RECORDABLE_CODES: set[str] = set()


def use_recordable_codes(codes) -> None:
    RECORDABLE_CODES.update(codes)


class HarbourExceptionFormatter(ExceptionFormatter):
    """drf-standardized-errors' format, plus `"recordable": true` beside a rule's code that may
    be recorded as it happened (s136-rules.md R1; api-contract.md "Recording what happened")."""

    def format_error_response(self, error_response):
        data = super().format_error_response(error_response)
        for error in data.get("errors", []):
            if error.get("code") in RECORDABLE_CODES:
                error["recordable"] = True
        return data
