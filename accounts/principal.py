"""Resolve the acting principal once per request (or task) for the policy modules.

`principal_of(request)` answers for a page request (the session's user) and for an API request
(DRF's `request.user`: a user or an `ApiKeyPrincipal`), cached on that user object so a request
resolves it once. `PrincipalMiddleware` carries it as `request.principal` for templates and
views. Tasks acting for someone resolve it from the actor header (`principal_for_actor`).
"""

from __future__ import annotations

import contextlib

from django.utils.functional import SimpleLazyObject

from core.policy import ANONYMOUS_PRINCIPAL, API_KEY, USER, Principal

from .permissions import permissions_for_roles

_CACHE = "_harbour_principal"


def _user_principal(user) -> Principal:
    if not getattr(user, "is_active", False):
        return ANONYMOUS_PRINCIPAL
    membership = getattr(user, "membership", None)
    organisation = membership.organisation if membership else None
    roles = frozenset(membership.roles) if membership else frozenset()
    verified = getattr(user, "is_verified", None)
    return Principal(
        kind=USER,
        organisation_id=organisation.pk if organisation else None,
        organisation_kind=organisation.kind if organisation else "",
        roles=roles,
        perms=permissions_for_roles(roles),
        second_factor=bool(verified()) if callable(verified) else False,
        superuser=bool(user.is_superuser),
        user=user,
    )


def _key_principal(principal_user) -> Principal:
    key = principal_user.key
    organisation = key.organisation
    return Principal(
        kind=API_KEY,
        organisation_id=key.organisation_id,
        organisation_kind=organisation.kind if organisation else "",
        scopes=frozenset(key.scopes or ()),
        key=key,
    )


def resolve(user) -> Principal:
    """The principal for a Django user, an API key principal, or anonymous."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS_PRINCIPAL
    cached = getattr(user, _CACHE, None)
    if cached is not None:
        return cached
    if hasattr(user, "key") and hasattr(user, "has_scope"):
        principal = _key_principal(user)
    else:
        principal = _user_principal(user)
    with contextlib.suppress(AttributeError):  # a user object that takes no attributes
        setattr(user, _CACHE, principal)
    return principal


def principal_of(request) -> Principal:
    """The actor of a page or API request (DRF's Request authenticates keys lazily)."""
    return resolve(getattr(request, "user", None))


def principal_for_actor(header: dict | None) -> Principal:
    """A task acting for the user or key that caused it (`core.actor.Actor.as_header`)."""
    from .models import ApiKey, User

    header = header or {}
    if header.get("user_id"):
        user = User.objects.select_related("membership__organisation").filter(pk=header["user_id"])
        user = user.first()
        return resolve(user) if user else ANONYMOUS_PRINCIPAL
    if header.get("api_key_id"):
        from .authentication import ApiKeyPrincipal

        key = ApiKey.objects.select_related("organisation").filter(pk=header["api_key_id"]).first()
        return resolve(ApiKeyPrincipal(key)) if key else ANONYMOUS_PRINCIPAL
    return ANONYMOUS_PRINCIPAL


class PrincipalMiddleware:
    """`request.principal`: the signed-in user's principal (API views call `principal_of`,
    which also sees a key authenticated by DRF)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.principal = SimpleLazyObject(lambda: principal_of(request))
        return self.get_response(request)
