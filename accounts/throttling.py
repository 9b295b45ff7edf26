"""API throttling per API key (and per signed-in user for browser sessions).

The counts live in the Django cache, which is Redis (settings.CACHES), so the limit holds across
every gunicorn worker. The rate is `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["api"]`
(environment `API_THROTTLE_RATE`, default 600/minute), read on each request so a deployment or
a test can change it. Over the limit the API answers 429 in the standard error format
(`{"type": "client_error", "errors": [{"code": "throttled", ...}]}`) with `Retry-After`.

When Redis cannot be reached the throttle fails open (the request is allowed, a warning is
logged once a minute): an outage of the cache must not take the API down.
"""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from core.cache import CACHE_ERRORS, warn_cache_down

from .authentication import ApiKeyPrincipal


class ApiKeyRateThrottle(SimpleRateThrottle):
    scope = "api"

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except CACHE_ERRORS as exc:
            warn_cache_down("API throttling", exc)
            return True

    def get_rate(self):
        rates = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {})
        return rates.get(self.scope)

    def get_cache_key(self, request, view):
        user = request.user
        if isinstance(user, ApiKeyPrincipal):
            ident = f"key:{user.key.pk}"
        elif user is not None and user.is_authenticated:
            ident = f"user:{user.pk}"
        else:
            ident = f"anon:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
