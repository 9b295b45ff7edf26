"""Who is acting: a signed-in user, an API key, or a named system task.

The current actor lives in a context variable set by the web middleware, by API key
authentication, and by the Celery task base class; history rows read it (core.history).
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass

USER = "user"
API_KEY = "api_key"
SYSTEM = "system"


@dataclass(frozen=True)
class Actor:
    kind: str
    label: str
    user_id: int | None = None
    api_key_id: str | None = None
    organisation_id: int | None = None
    triggered_by: str = ""

    def as_header(self) -> dict:
        """What a task needs to know about who caused it."""
        return {
            "kind": self.kind,
            "label": self.label,
            "user_id": self.user_id,
            "api_key_id": self.api_key_id,
        }


_current: contextvars.ContextVar[Actor | None] = contextvars.ContextVar(
    "harbour_actor", default=None
)


def current_actor() -> Actor | None:
    return _current.get()


def set_actor(actor: Actor | None) -> contextvars.Token:
    return _current.set(actor)


def reset_actor(token: contextvars.Token) -> None:
    _current.reset(token)


@contextmanager
def acting_as(actor: Actor | None):
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)


def user_actor(user) -> Actor:
    membership = getattr(user, "membership", None) if user.pk else None
    return Actor(
        kind=USER,
        label=user.get_username(),
        user_id=user.pk,
        organisation_id=membership.organisation_id if membership else None,
    )


def api_key_actor(key) -> Actor:
    return Actor(
        kind=API_KEY, label=key.name, api_key_id=key.pk, organisation_id=key.organisation_id
    )


def system_actor(task_name: str, triggered_by: Actor | dict | None = None) -> Actor:
    """A Celery task acting; `triggered_by` is the user or key that caused it (or the schedule)."""
    if isinstance(triggered_by, dict):
        cause = triggered_by.get("label") or ""
    elif triggered_by is not None:
        cause = triggered_by.label
    else:
        cause = ""
    # i18n-ignore: an actor's label is an identifier in the history, not words
    return Actor(kind=SYSTEM, label=f"system:{task_name}", triggered_by=cause or "schedule")


class ActorMiddleware:
    """Sets the signed-in user as the actor for the request (API keys set theirs on auth)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        actor = user_actor(user) if user is not None and user.is_authenticated else None
        token = _current.set(actor)
        try:
            return self.get_response(request)
        finally:
            # Who acted (API key authentication sets its actor inside the view), for the
            # access-log line written by core.requestid.RequestIdMiddleware.
            request.harbour_actor = _current.get()
            _current.reset(token)


def command_actor(name: str) -> Actor:
    """A management command run by an operator at the console."""
    # i18n-ignore: an identifier
    return Actor(kind=SYSTEM, label=f"command:{name}", triggered_by="console")
