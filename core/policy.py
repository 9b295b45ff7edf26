"""Who may see and do what: the shapes every policy module shares.

Each aggregate has one policy module (`incidents/policy.py`, `audit/policy.py`, ...) with
`visible(actor) -> QuerySet` and `may(actor, action, obj) -> Decision`. Pages, API views, admin,
exports, history and tasks acting for someone ask those modules; no view decides on its own.

The actor (`Principal`) is resolved once per request (`accounts.principal.principal_of`) from the
signed-in user or the API key: organisation, its kind, roles, the permissions they give, a key's
scopes and whether the second factor was passed. This module imports no app: policies register
the `visible` function of each model they govern in `REGISTRY`, so history, the access log and
exports can ask "is this record visible to this actor?" without knowing the app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.http import Http404

USER = "user"
API_KEY = "api_key"
ANONYMOUS = "anonymous"
SYSTEM = "system"


@dataclass(frozen=True, eq=False)
class Principal:
    """Whoever acts: a signed-in user, an API key, nobody, or a task acting for one of those."""

    kind: str = ANONYMOUS
    organisation_id: int | None = None
    organisation_kind: str = ""
    roles: frozenset = frozenset()
    perms: frozenset = frozenset()
    scopes: frozenset = frozenset()
    second_factor: bool = False
    superuser: bool = False
    user: object = field(default=None, repr=False)
    key: object = field(default=None, repr=False)

    @property
    def is_key(self) -> bool:
        return self.kind == API_KEY

    @property
    def is_user(self) -> bool:
        return self.kind == USER

    @property
    def is_authenticated(self) -> bool:
        return self.kind in (USER, API_KEY)

    @property
    def is_police_force(self) -> bool:
        return self.organisation_kind == "police_force"

    def has_perm(self, perm) -> bool:
        return perm in self.perms

    def has_role(self, role) -> bool:
        return role in self.roles

    def has_scope(self, scope) -> bool:
        return scope in self.scopes

    def allowed(self, perms: Iterable = (), scope: str | None = None) -> bool:
        """A user needs one of `perms` (from their roles); a key needs `scope`."""
        if self.is_key:
            return scope is not None and scope in self.scopes
        if self.is_user:
            return any(p in self.perms for p in perms)
        return False


ANONYMOUS_PRINCIPAL = Principal()


@dataclass(frozen=True)
class Decision:
    """Allowed, or why not: 403 (you may see it but not do this) or 404 (not yours to see)."""

    allowed: bool
    status: int = 200
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed

    def enforce(self) -> None:
        """Raise what both doors understand: Django's 403/404 (DRF answers them in JSON)."""
        if self.allowed:
            return
        if self.status == 404:
            raise Http404(self.reason or "Not found.")
        raise PermissionDenied(self.reason or "You may not do this.")


ALLOW = Decision(True)


def deny(reason: str = "") -> Decision:
    return Decision(False, 403, reason)


def hide(reason: str = "") -> Decision:
    return Decision(False, 404, reason)


# --- The registry: model label -> visible(actor) ---------------------------------------------

VisibleFn = Callable[[Principal], object]
REGISTRY: dict[str, VisibleFn] = {}


def register(label: str, visible: VisibleFn) -> None:
    """A policy module says which records of a model an actor may see (`app_label.model`)."""
    REGISTRY[label.lower()] = visible


def visible_queryset(label: str, actor: Principal):
    """The records of `label` the actor may see, or None when no policy governs that model."""
    fn = REGISTRY.get(label.lower())
    return None if fn is None else fn(actor)


def is_visible(label: str, actor: Principal, pk) -> bool:
    qs = visible_queryset(label, actor)
    return qs is not None and qs.filter(pk=pk).exists()


def organisation_visible(queryset):
    """A `visible(actor)` from a queryset factory whose `visible_to_organisation(id)` says
    which records an organisation sees: nothing for the anonymous or an actor with none."""

    def visible(actor: Principal):
        qs = queryset()
        if not actor.is_authenticated or actor.organisation_id is None:
            return qs.none()
        return qs.visible_to_organisation(actor.organisation_id)

    return visible
