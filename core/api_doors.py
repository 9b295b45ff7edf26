"""Every answer under /api/v1/ in the API's error format (drf-standardized-errors), whatever
refuses the request: the URL resolver (unknown paths, non-integer ids such as `alerts/0.5/`),
an oversize body (413, also when a middleware reads it first, as Idempotency-Key does), a
malformed or too deeply nested JSON body (400), an error outside a view (500).

- `BodySizeMiddleware` (first in MIDDLEWARE) answers 413 `request_too_large` to an API request
  whose declared body is over `DATA_UPLOAD_MAX_MEMORY_SIZE`.
- `bad_request`, `permission_denied`, `not_found`, `server_error` are the project's handler400,
  handler403, handler404 and handler500: JSON under /api/, Django's pages elsewhere.
- `JSONParser` refuses JSON nested deeper than `MAX_JSON_DEPTH` with 400 `parse_error`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import parsers
from rest_framework.exceptions import ParseError

API_PREFIX = "/api/"
MAX_JSON_DEPTH = 32


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def error(status: int, code: str, detail: str, error_type: str = "client_error") -> JsonResponse:
    return JsonResponse(
        {"type": error_type, "errors": [{"code": code, "detail": detail, "attr": None}]},
        status=status,
    )


def too_large() -> JsonResponse:
    return error(
        413,
        "request_too_large",
        _("The request body is larger than %(n)s bytes.")
        % {"n": settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
    )


class BodySizeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_api(request) and settings.DATA_UPLOAD_MAX_MEMORY_SIZE is not None:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return error(400, "invalid", _("The Content-Length header is not a number."))
            if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
                return too_large()
        return self.get_response(request)


def bad_request(request, exception=None):
    if not is_api(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return too_large()
    return error(400, "bad_request", _("The request could not be read."))


def permission_denied(request, exception=None):
    if not is_api(request):
        return defaults.permission_denied(request, exception)
    return error(403, "permission_denied", _("You do not have permission to do this."))


def not_found(request, exception=None):
    if not is_api(request):
        return defaults.page_not_found(request, exception)
    return error(404, "not_found", _("Not found."))


def server_error(request):
    if not is_api(request):
        return defaults.server_error(request)
    return error(500, "error", _("A server error occurred."), error_type="server_error")


def json_problem(value, limit: int) -> str | None:
    """Why parsed JSON `value` is refused: nested deeper than `limit`, or text holding a NUL
    character (PostgreSQL cannot store it); None when it is fine. Iterative: no recursion."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return _("Text may not contain NUL characters.")
        elif isinstance(item, dict | list):
            if depth > limit:
                return _("JSON nested more than %(n)s levels deep.") % {"n": limit}
            if isinstance(item, dict):
                stack.extend((key, depth) for key in item)
                stack.extend((child, depth + 1) for child in item.values())
            else:
                stack.extend((child, depth + 1) for child in item)
    return None


class JSONParser(parsers.JSONParser):
    """DRF's parser, refusing (400 `parse_error`) JSON nested deeper than MAX_JSON_DEPTH
    instead of failing with a RecursionError (a 500), and text with NUL characters."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(_("JSON nested too deeply.")) from exc
        problem = json_problem(data, MAX_JSON_DEPTH)
        if problem:
            raise ParseError(problem)
        return data
