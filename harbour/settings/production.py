"""Production (the image's default): refuses to start without a real SECRET_KEY; secure
cookies and HSTS; JSON logs; hashed static file names."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEV_SECRET_KEY, LOGGING, PRODUCTION_STORAGES, SECRET_KEY, env

_HOW = (
    "Set it to a random value of at least 32 characters, for example the output of "
    "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
)
if not os.environ.get("SECRET_KEY", "").strip():
    raise ImproperlyConfigured(
        "SECRET_KEY must be set: it is missing or empty in the environment. " + _HOW
    )
if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 32:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 32 characters in production. " + _HOW
    )

DEBUG = False
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto; set SECURE_SSL_REDIRECT=false only
# where nothing is served over plain HTTP (e.g. the load test on loopback).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
# Production: Redis-backed sessions in front of the database (fewer reads per request); a Redis
# outage falls back to the database (core/sessions.py).
SESSION_ENGINE = "core.sessions"

# Probes and the metrics scraper talk to the pod or container directly, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^(healthz|livez|readyz|metrics)$"]

# Static files with content hashes in their names (base.py).
STORAGES = PRODUCTION_STORAGES

# One JSON object per log line unless LOG_FORMAT=plain.
LOGGING["handlers"]["console"]["formatter"] = env("LOG_FORMAT", default="json")
