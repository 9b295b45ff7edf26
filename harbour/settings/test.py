"""Tests: the real PostgreSQL and Redis, on a Redis database of their own."""

from .base import *  # noqa: F403
from .base import CACHE_OPTIONS, env

REDIS_URL = env("TEST_REDIS_URL", default="redis://127.0.0.1:6379/15")
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# The cache (API throttling) on the tests' own Redis database, with a prefix of its own.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "harbour-test",
        "OPTIONS": CACHE_OPTIONS,
    }
}
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    # High enough for schemathesis; the throttling tests lower it with the `settings` fixture.
    "DEFAULT_THROTTLE_RATES": {"api": "100000/minute"},
}
HARBOUR = {**HARBOUR, "WEBHOOK_ALLOW_HTTP_LOCALHOST": True}  # noqa: F405
# One-time handover links: the permission matrix hits the link page from one address many times;
# the rate-limit test lowers it with the `settings` fixture.
HARBOUR["HANDOVER_LINK"] = {**HARBOUR["HANDOVER_LINK"], "RATE": 100000}

# Alerts: email stays in memory (django.core.mail.outbox); worker subprocesses of the fault suite
# write it to files instead (TEST_EMAIL_FILE_PATH), so the test can count every message sent.
EMAIL_FILE_PATH = env("TEST_EMAIL_FILE_PATH", default="")
EMAIL_BACKEND = (
    "django.core.mail.backends.filebased.EmailBackend"
    if EMAIL_FILE_PATH
    else "django.core.mail.backends.locmem.EmailBackend"
)
