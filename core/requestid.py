"""The request id: one per web request (the caller's `X-Request-ID` when it is sane, else a new
one), on every log line of that request and of every Celery task it queues (the
`harbour_request_id` message header, like the actor header in harbour/celery.py).

History rows do not carry it (that would need a column on every history table); the JSON
access-log line of each request names the actor and the request id, so a history row's
`changed_by` and time lead to the request, and the task's log lines to the request that queued it.
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid

HEADER = "X-Request-ID"
TASK_HEADER = "harbour_request_id"
_SANE = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")

_current: contextvars.ContextVar[str] = contextvars.ContextVar("harbour_request_id", default="")
access_log = logging.getLogger("harbour.access")


def current_request_id() -> str:
    return _current.get()


def set_request_id(value: str) -> contextvars.Token:
    return _current.set(value)


def reset_request_id(token: contextvars.Token) -> None:
    _current.reset(token)


def new_request_id() -> str:
    return uuid.uuid4().hex


def accept(value: str | None) -> str:
    """The caller's id when it is a short token (a proxy's or a client's), else a new one."""
    if value and _SANE.match(value):
        return value
    return new_request_id()


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (empty outside a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = _current.get() or "-"
        return True


class RequestIdMiddleware:
    """First in MIDDLEWARE: sets the request id, answers it in `X-Request-ID`, observes the
    request latency metric, and writes one access-log line (JSON in production) per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from core import metrics

        rid = accept(request.headers.get(HEADER))
        token = _current.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            elapsed = time.perf_counter() - started
            response[HEADER] = rid
            match = getattr(request, "resolver_match", None)
            view = (match.view_name or match.route) if match else "unmatched"
            metrics.observe_request(request.method, view, response.status_code, elapsed)
            actor = getattr(request, "harbour_actor", None)
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round(elapsed * 1000, 1),
                    "view": view,
                    "actor": actor.label if actor else "",
                    "remote_addr": request.META.get("REMOTE_ADDR", ""),
                },
            )
            return response
        finally:
            _current.reset(token)
