"""`Idempotency-Key` for every POST under /api/v1/ (api-contract.md).

A POST that carries `Idempotency-Key: <up to 255 characters>` is handled at most once per caller
(the API key, or the signed-in user) and key:

- the first request runs inside one database transaction together with the insert of its
  `IdempotencyRecord`; a successful (2xx) response is stored in that same transaction, so the
  change and its record commit together or not at all;
- a repeat with the same key, method, path and body gets the stored status and body back
  (header `Idempotent-Replayed: true`) and changes nothing;
- the same key with a different body, method or path is refused with 422 and code
  `idempotency_key_reused`;
- a refused or failed first request (any non-2xx answer) is rolled back with its record, so the
  same key may be retried: a refusal changes nothing, the key included;
- two identical requests at the same time: the unique constraint on (caller, key) makes the second
  insert wait for the first transaction; once the first commits, the second replays its response;
  if the first rolled back, the second runs as the first.

Bodies are compared as canonical JSON (key order and whitespace do not matter) when they parse
as JSON, else byte for byte. Requests without the header, other methods and other paths pass
straight through. An unauthenticated request passes through too (the view answers 401).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from .models import IdempotencyRecord

HEADER = "HTTP_IDEMPOTENCY_KEY"
API_PREFIX = "/api/v1/"
MAX_KEY_LENGTH = 255
REPLAY_HEADER = "Idempotent-Replayed"


def _error(status: int, code: str, message: str, error_type: str = "client_error"):
    return JsonResponse(
        {"type": error_type, "errors": [{"code": code, "detail": message, "attr": None}]},
        status=status,
    )


def request_hash(body: bytes) -> str:
    try:
        canonical = json.dumps(
            json.loads(body or b"null"), sort_keys=True, separators=(",", ":")
        ).encode()
    except (ValueError, UnicodeDecodeError, RecursionError):  # not JSON, or nested too deeply
        canonical = body
    return hashlib.sha256(canonical).hexdigest()


def _no_key(raw_key: str) -> None:
    return None


# `raw key -> id of a usable key, or None`: installed by the accounts app (accounts.apps, which
# owns API keys; core imports no app). Until then every key is unknown (the view answers 401).
_usable_key_id: Callable[[str], object | None] = _no_key


def use_api_key_lookup(lookup: Callable[[str], object | None]) -> None:
    global _usable_key_id
    _usable_key_id = lookup


def caller_of(request) -> str | None:
    """`api_key:<id>` or `user:<id>`, authenticated the way the API will authenticate it."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    parts = header.split()
    if parts and parts[0] == "Api-Key":
        key_id = _usable_key_id(parts[1]) if len(parts) == 2 else None
        return None if key_id is None else f"api_key:{key_id}"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return None


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(
        bytes(record.response_body),
        status=record.response_status,
        content_type=record.response_content_type or "application/json",
    )
    response[REPLAY_HEADER] = "true"
    return response


class IdempotencyMiddleware:
    """Place after AuthenticationMiddleware (it reads the signed-in user)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.META.get(HEADER)
        if key is None or request.method != "POST" or not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        key = key.strip()
        if not key or len(key) > MAX_KEY_LENGTH:
            return _error(
                400,
                "invalid",
                _("The Idempotency-Key header must be 1 to 255 characters."),
                error_type="validation_error",
            )
        caller = caller_of(request)
        if caller is None:
            return self.get_response(request)
        digest = request_hash(request.body)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(
                        caller=caller,
                        key=key,
                        method=request.method,
                        path=request.path,
                        request_hash=digest,
                    )
            except IntegrityError:
                # The same key was used before (or is in use by a request that has now finished).
                return self._repeat(caller, key, request, digest)
            response = self.get_response(request)
            if 200 <= response.status_code < 300 and not response.streaming:
                record.response_status = response.status_code
                record.response_body = response.content
                record.response_content_type = response.get("Content-Type", "")
                record.save(
                    update_fields=["response_status", "response_body", "response_content_type"]
                )
            else:
                transaction.set_rollback(True)
            return response

    def _repeat(self, caller, key, request, digest):
        record = IdempotencyRecord.objects.filter(caller=caller, key=key).first()
        if record is None or record.response_status is None:  # pragma: no cover (race window)
            return _error(
                409,
                "idempotency_request_in_progress",
                _("A request with this Idempotency-Key is still being handled. Try again."),
            )
        if (record.method, record.path, record.request_hash) != (
            request.method,
            request.path,
            digest,
        ):
            return _error(
                422,
                "idempotency_key_reused",
                _(
                    "This Idempotency-Key was already used for a different request. "
                    "Use a new key for a new request."
                ),
            )
        return _replay(record)
