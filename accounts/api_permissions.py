"""API permission: keys need the view's scope; signed-in users need the matching role permission.

A view sets `scope = "detentions"` (read for safe methods, write otherwise), or
`scopes_any = ("incidents", "detentions")` when any of several resources will do.
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from .authentication import ApiKeyPrincipal
from .permissions import Perm, has_perm

SCOPE_PERMS = {
    "incidents": (Perm.VIEW_INCIDENTS, Perm.RECORD_INCIDENTS),
    "detentions": (Perm.VIEW_DETENTIONS, Perm.RECORD_DETENTIONS),
    "places": (Perm.VIEW_PLACES, (Perm.MANAGE_PLACES, Perm.SET_PLACE_STATUS)),
    "referrals": (Perm.VIEW_REFERRALS, Perm.SEND_REFERRALS),
    "alerts": (Perm.VIEW_ALERTS, Perm.ACKNOWLEDGE_ALERTS),
    "reports": (Perm.VIEW_REPORTS, Perm.VIEW_REPORTS),
    "audit": (Perm.VIEW_AUDIT, Perm.VIEW_AUDIT),
    "people": (Perm.VIEW_PEOPLE, Perm.RECORD_PEOPLE),
    "webhooks": (Perm.MANAGE_ORGANISATION, Perm.MANAGE_ORGANISATION),
    "plans": (Perm.VIEW_PLANS, Perm.WRITE_PLANS),
}


def _scopes(view) -> tuple[str, ...]:
    if getattr(view, "scopes_any", None):
        return tuple(view.scopes_any)
    scope = getattr(view, "scope", None)
    return (scope,) if scope else ()


def principal_may(user, resources: tuple[str, ...], write: bool, any_scope: bool = False) -> bool:
    """`any_scope`: reads accept either scope of a resource (`people/` takes `incidents:*`)."""
    if isinstance(user, ApiKeyPrincipal):
        suffixes = ("write",) if write else (("read", "write") if any_scope else ("read",))
        return any(user.has_scope(f"{r}:{s}") for r in resources for s in suffixes)
    wanted = []
    for r in resources:
        perms = SCOPE_PERMS[r][1 if write else 0]
        wanted.extend(perms if isinstance(perms, tuple) else (perms,))
    return any(has_perm(user, p) for p in wanted)


class ScopedPermission(BasePermission):
    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        resources = _scopes(view)
        if resources == ("any",):
            return True
        if not resources:
            return False  # a view that forgot to declare its scope is closed, not open
        write = request.method not in SAFE_METHODS
        return principal_may(
            user, resources, write, any_scope=bool(getattr(view, "scopes_any", None))
        )
