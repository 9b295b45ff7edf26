"""The OpenAPI schema class: drf-standardized-errors' AutoSchema, plus the answers that Harbour's
middleware and views give and the library cannot see, so that the schema describes every
response the API makes (tests validate every API response a test gets against it).

- `Idempotency-Key` (core/idempotency.py) on every POST: the header is documented; a key of the
  wrong length is a 400 with `attr` null and code `invalid`; a key reused for another request is
  422 `idempotency_key_reused`; a key whose first request is still running is 409
  `idempotency_request_in_progress`.
- The second factor (core/security.py): a signed-in user who must pass it and has not gets 403
  `two_factor_required` from any API path.
- The access log (audit/access.py): the API routes it logs answer 403 `access_reason_required`
  to a viewer outside the record's normal access who gave no `X-Access-Reason` header (which is
  documented on those operations).
- `extend_error_codes(status, codes, actions=...)` on a view or viewset: other client-error codes
  a view answers with (for example 409 `detention_ended`).
- `describe_recordable_errors` (a postprocessing hook): the error items whose codes may be
  recorded as they happened (s136-rules.md R1) carry `"recordable": true`
  (core.api_errors.HarbourExceptionFormatter); their components say so.

Every client error keeps drf-standardized-errors' format:
`{"type": "client_error", "errors": [{"code": ..., "detail": ..., "attr": null}]}`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_standardized_errors import openapi_serializers as std
from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema
from drf_standardized_errors.settings import package_settings
from inflection import camelize
from rest_framework import serializers
from rest_framework.viewsets import ViewSetMixin

IDEMPOTENCY_CODES = {
    "409": {"idempotency_request_in_progress"},
    "422": {"idempotency_key_reused"},
}
# core/api_doors.py: a request body over DATA_UPLOAD_MAX_MEMORY_SIZE (any method with a body).
BODY_TOO_LARGE_CODES = {"413": {"request_too_large"}}
IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    # 1 to 255 characters, not all blank (core/idempotency.py strips it).
    {"type": "string", "minLength": 1, "maxLength": 255, "pattern": r"\S"},
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "1 to 255 characters. A repeat with the same key and body returns the first response "
        "and changes nothing; the same key with another body is refused (422)."
    ),
)
ACCESS_REASON_HEADER = OpenApiParameter(
    "X-Access-Reason",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Why you are looking at this record: required (else 403 `access_reason_required`) "
        "when it is outside your organisation's normal access."
    ),
)
# The codes of each client error for every operation: drf-standardized-errors' (what DRF
# answers), and the second factor's 403.
BASE_CODES = {
    "401": {c for c, _label in std.ErrorCode401Enum.choices},
    "403": {c for c, _label in std.ErrorCode403Enum.choices} | {"two_factor_required"},
    "404": {c for c, _label in std.ErrorCode404Enum.choices},
    "405": {c for c, _label in std.ErrorCode405Enum.choices},
    "406": {c for c, _label in std.ErrorCode406Enum.choices},
    "415": {c for c, _label in std.ErrorCode415Enum.choices},
    "429": {c for c, _label in std.ErrorCode429Enum.choices},
}
ERROR_CODES_ATTR = "_harbour_error_codes"


def extend_error_codes(status_code: int, codes: list[str], actions: list[str] | None = None):
    """A view or viewset decorator: `status_code` (a client error other than 400, whose codes
    `drf_standardized_errors.openapi_validation_errors.extend_validation_errors` documents) may
    also answer with `codes`. `actions` limits them to those actions of a viewset."""

    def wrapper(view):
        registry = {k: set(v) for k, v in getattr(view, ERROR_CODES_ATTR, {}).items()}
        for action in actions or [None]:
            registry.setdefault((str(status_code), action), set()).update(codes)
        setattr(view, ERROR_CODES_ATTR, registry)  # a copy: a parent view is left as it was
        return view

    return wrapper


_SERIALIZERS: dict[str, type[serializers.Serializer]] = {}


def client_error_serializer(component_name: str, codes: set[str]) -> type[serializers.Serializer]:
    """`{"type": "client_error", "errors": [{"code": one of codes, "detail", "attr": null}]}`,
    one class per component name (drf-spectacular wants one class per component)."""
    if component_name not in _SERIALIZERS:
        choices = sorted((c, c) for c in codes)
        # The suffix keeps the codes inline (drf-standardized-errors' enum hook skips them).
        suffix = package_settings.ERROR_COMPONENT_NAME_SUFFIX
        error = type(
            f"{component_name}Error",
            (serializers.Serializer,),
            {
                "code": serializers.ChoiceField(choices=choices),
                "detail": serializers.CharField(),
                "attr": serializers.CharField(allow_null=True),
                "Meta": type("Meta", (), {"ref_name": f"{component_name}{suffix}"}),
            },
        )
        _SERIALIZERS[component_name] = type(
            component_name,
            (serializers.Serializer,),
            {
                "type": serializers.ChoiceField(choices=std.ClientErrorEnum.choices),
                "errors": error(many=True),
                "Meta": type("Meta", (), {"ref_name": component_name}),
            },
        )
    return _SERIALIZERS[component_name]


def _example_path(template: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", template)


def _no_path(path: str) -> bool:
    return False


# `API path -> whether the access log may refuse it without a reason`: installed by the audit
# app (audit.apps, which owns the access log; core imports no app).
_access_logged_path: Callable[[str], bool] = _no_path


def use_access_log(is_logged_api_path: Callable[[str], bool]) -> None:
    global _access_logged_path
    _access_logged_path = is_logged_api_path


class AutoSchema(StandardizedErrorsAutoSchema):
    def _is_post(self) -> bool:
        return self.method.upper() == "POST"

    def _has_body(self) -> bool:
        return self.method.upper() in ("POST", "PUT", "PATCH")

    def _access_logged(self) -> bool:
        """A GET on a path that the access log may refuse without a reason (audit/access.py)."""
        if self.method.upper() not in ("GET", "HEAD"):
            return False
        return _access_logged_path(_example_path(self.path))

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self._is_post():
            parameters.append(IDEMPOTENCY_HEADER)
        if self._access_logged():
            parameters.append(ACCESS_REASON_HEADER)
        return parameters

    def _declared_error_codes(self) -> dict[str, set[str]]:
        """Codes added with `extend_error_codes` for this operation, by status code."""
        action = getattr(self.view, "action", None) if isinstance(self.view, ViewSetMixin) else None
        codes: dict[str, set[str]] = {}
        for (status_code, scope), extra in getattr(self.view, ERROR_CODES_ATTR, {}).items():
            if scope is None or scope == action:
                codes.setdefault(status_code, set()).update(extra)
        return codes

    def _client_error_codes(self, status_code: str) -> tuple[set[str], set[str]]:
        """(the codes every operation of this kind answers `status_code` with, the codes only
        this operation adds)."""
        common = set(BASE_CODES.get(status_code, ()))
        if self._is_post():
            common |= IDEMPOTENCY_CODES.get(status_code, set())
        if self._has_body():
            common |= BODY_TOO_LARGE_CODES.get(status_code, set())
        own = set(self._declared_error_codes().get(status_code, ()))
        if status_code == "403" and self._access_logged():
            own.add("access_reason_required")
        return common, own - common

    def _get_allowed_error_status_codes(self):
        allowed = super()._get_allowed_error_status_codes()
        more = set(self._declared_error_codes())
        if self._is_post():
            more |= set(IDEMPOTENCY_CODES)
        if self._has_body():
            more |= set(BODY_TOO_LARGE_CODES)
        return allowed + sorted(more - set(allowed))

    def _should_add_http403_error_response(self) -> bool:
        # The second factor's 403 can answer any API request made with a browser session.
        return True

    def _get_error_response_serializer(self, status_code: str):
        common, own = self._client_error_codes(status_code)
        if status_code == "400" or not (common or own):
            return super()._get_error_response_serializer(status_code)
        if own:
            name = f"{camelize(self.get_operation_id())}ErrorResponse{status_code}"
            return client_error_serializer(name, common | own)
        if status_code in ("403", *IDEMPOTENCY_CODES, *BODY_TOO_LARGE_CODES):  # shared
            return client_error_serializer(f"ErrorResponse{status_code}", common)
        return super()._get_error_response_serializer(status_code)

    def _get_extra_validation_errors(self):
        errors = {k: set(v) for k, v in super()._get_extra_validation_errors().items()}
        if self._is_post():
            # core/idempotency.py: an Idempotency-Key header of the wrong length.
            errors.setdefault(None, set()).add("invalid")
        if self.method.upper() == "GET" and self._is_list_view() and self._get_paginator():
            # core/api.py Pagination: a page_size that is not 1 to 200.
            errors.setdefault("page_size", set()).update({"invalid", "min_value", "max_value"})
        if self.method.upper() == "GET" and self._is_list_view():
            # core/api.py FilterBackend: a boolean filter's value other than true/false.
            filterset = getattr(self.view, "filterset_class", None)
            for name, filter_ in getattr(filterset, "base_filters", {}).items():
                if isinstance(filter_, django_filters.BooleanFilter):
                    errors.setdefault(name, set()).add("invalid")
        return errors


def describe_recordable_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook: every error item component that may carry a code
    recordable as it happened (R1) documents the optional `"recordable": true` the formatter
    adds beside it (core.api_errors.HarbourExceptionFormatter)."""
    from .api_errors import RECORDABLE_CODES

    schemas = result.get("components", {}).get("schemas", {})
    for schema in schemas.values():
        properties = schema.get("properties") or {}
        code = properties.get("code") or {}
        if "$ref" in code:
            code = schemas.get(code["$ref"].rsplit("/", 1)[1], {})
        recordable = sorted(set(code.get("enum") or ()) & RECORDABLE_CODES)
        if not recordable or "attr" not in properties:
            continue
        properties["recordable"] = {
            "type": "boolean",
            "enum": [True],
            "description": (
                "Present, and true, when the refusal may be recorded as it happened (R1: send "
                "`record_as_happened` with an `account`): only with "
                + ", ".join(f"`{c}`" for c in recordable)
                + "."
            ),
        }
    return result
