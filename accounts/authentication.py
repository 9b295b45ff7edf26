"""`Authorization: Api-Key <key>` for partner systems."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from core.actor import api_key_actor, set_actor

from .models import ApiKey


class ApiKeyPrincipal:
    """Stands in for request.user when a partner system calls with a key."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False

    def __init__(self, key: ApiKey):
        self.key = key
        self.pk = None
        self.id = None
        self.organisation = key.organisation
        self.organisation_id = key.organisation_id
        self.username = key.name

    def __str__(self):
        return f"API key {self.key.name}"

    def get_username(self):
        return self.key.name

    def has_perm(self, perm, obj=None):
        return False

    def has_scope(self, scope: str) -> bool:
        return self.key.has_scope(scope)


def usable_key_id(raw_key: str):
    """The id of the key `raw_key` when it exists and has neither expired nor been revoked,
    else None (core.idempotency names the caller by it; installed from accounts.apps)."""
    try:
        key = ApiKey.objects.get_from_key(raw_key)
    except ApiKey.DoesNotExist:
        return None
    if key.has_expired or key.revoked:
        return None
    return key.pk


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Api-Key"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        parts = header.split()
        if parts[0] != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Give the key as: Authorization: Api-Key <key>.")
            )
        try:
            key = ApiKey.objects.get_from_key(parts[1])
        except ApiKey.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("This API key is not valid.")) from None
        if key.has_expired or key.revoked or not key.organisation.active:
            raise exceptions.AuthenticationFailed(
                _("This API key has been revoked or has expired.")
            )
        now = timezone.now()
        if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)  # no history row: bookkeeping
        set_actor(api_key_actor(key))
        return ApiKeyPrincipal(key), key

    def authenticate_header(self, request):
        return self.keyword
