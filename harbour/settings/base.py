"""Settings shared by every environment. Everything that varies comes from the environment.

Development defaults let every command run with no variables set; production.py refuses
to start without a real SECRET_KEY.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost", "[::1]"]),
    CSRF_TRUSTED_ORIGINS=(list, []),
)

DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"
# An empty SECRET_KEY (compose's `${SECRET_KEY:-}`, a blank line in a .env file) counts as
# missing: development falls back to its key, production refuses to start (production.py).
SECRET_KEY = env.str("SECRET_KEY", default="").strip() or DEV_SECRET_KEY
# Rotation without downtime: put the old key here (comma-separated) while sessions and signed
# values made with it expire (docs/operations.md).
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
DEBUG = env("DEBUG")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")

DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/harbour")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# No JIT compilation: it adds hundreds of milliseconds to the dashboards' wide aggregates (and
# to any query the planner misjudges as costly) and never pays back on queries this short.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")

# Shared by every gunicorn worker (API throttling counts live here). Short socket timeouts: a
# Redis that hangs must not hang requests (callers carry on without the cache, core/cache.py).
CACHE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "harbour",
        "OPTIONS": CACHE_OPTIONS,
    }
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",  # trigram similarity for possible duplicate people
    "rest_framework",
    "rest_framework_api_key",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # ReDoc's script served from our own static files (CSP 'self')
    "drf_standardized_errors",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "accounts",
    "people",
    "places_of_safety",
    "incidents",
    "detentions",
    "partners",
    "reporting",
    "alerts",
    "audit",
    "assessments",
    "advisers",
    "protocols",
    "training",
    "privacy",
    "use_of_force",
    "demo",  # manage.py seed_demo (uses every app above)
]

MIDDLEWARE = [
    # First: the request id (X-Request-ID or a new one) for every log line and task of the
    # request, one JSON access-log line per request, and the request latency metric (core/requestid.py).
    "core.requestid.RequestIdMiddleware",
    # core/api_doors.py: an oversize API request body is 413 JSON before anything reads it.
    "core.api_doors.BodySizeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in user's preferred language; the API speaks Accept-Language (issue 23).
    "accounts.language.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # core/security.py: CSP and other headers, second factor (django-otp), idle sign-out.
    "core.security.SecurityHeadersMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.security.IdleTimeoutMiddleware",
    "core.security.OTPEnforcementMiddleware",
    # Last, so it sees the authenticated user: sets who acts for history rows.
    "core.actor.ActorMiddleware",
    # The acting principal for the policy modules (core/policy.py, accounts/principal.py).
    "accounts.principal.PrincipalMiddleware",
    # Records views of people, detentions and referrals (and asks why, outside normal access).
    "audit.access.AccessLogMiddleware",
    # Idempotency-Key for POSTs under /api/v1/ (needs the authenticated user; see core/idempotency.py).
    "core.idempotency.IdempotencyMiddleware",
    # django-axes: turns a sign-in that hit the failure limit into the lockout page (last).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "harbour.urls"
WSGI_APPLICATION = "harbour.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accounts.context_processors.membership",
                "core.navigation.nav_items",
                "alerts.context_processors.open_alerts",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English")), ("cy", _("Welsh"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/London"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    BASE_DIR / "static_build",
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    ("vendor/axe", BASE_DIR / "node_modules" / "axe-core"),
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Production (production.py): hashed names (cached for a year by browsers and whitenoise) and
# compressed copies; collectstatic, run when the image is built, writes the manifest.
PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
# Question pages (core/question_pages.py): answers kept in the session, untouched this long.
QUESTION_DRAFT_MINUTES = env.int("QUESTION_DRAFT_MINUTES", default=120)
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Celery: Redis is the broker. Beat runs in UTC and only triggers sweeps. ---
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Survives a broker restart (harbour/celery.py: Celery 5.7 stopped the worker with
# "'NoneType' object has no attribute 'hostname'" while restoring unacknowledged messages).
CELERY_WORKER_CONSUMER = "harbour.celery:Consumer"
# A task running when the broker connection drops finishes (every task is idempotent and the
# database is the truth); its message may run again once restored, which changes nothing.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_BEAT_SCHEDULE = {
    "audit-seal": {"task": "audit.tasks.seal", "schedule": 30.0},
    "worker-heartbeat": {"task": "core.tasks.heartbeat", "schedule": 15.0},
    "revoke-expired-api-keys": {"task": "accounts.tasks.revoke_expired_api_keys", "schedule": 60.0},
    "purge-idempotency-records": {
        "task": "core.tasks.purge_idempotency_records",
        "schedule": 3600.0,
    },
    "deliver-due-webhooks": {"task": "partners.tasks.deliver_due_webhooks", "schedule": 15.0},
    # Exports whose message was lost (requested while the broker was down) are queued again.
    "run-queued-exports": {
        "task": "reporting.tasks.run_queued_exports",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Daily incident summaries for the dashboards (stale days are counted live meanwhile).
    "refresh-reporting-summaries": {
        "task": "reporting.tasks.refresh_summaries",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Deadline alerts: raise / close / escalate. Stale triggers (queued during an outage) expire.
    "alerts-sweep": {
        "task": "alerts.tasks.sweep",
        "schedule": float(env.int("ALERTS_SWEEP_SECONDS", default=10)),
        "options": {"expires": 30},
    },
}
WORKER_HEARTBEAT_STALE_SECONDS = env.int("WORKER_HEARTBEAT_STALE_SECONDS", default=120)

# --- REST framework ---
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.api_permissions.ScopedPermission"],
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    # core/api_doors.py: JSON nested too deeply is 400 `parse_error`, not a RecursionError.
    "DEFAULT_PARSER_CLASSES": [
        "core.api_doors.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 50,
    # core/api.py: django-filter's backend, refusing empty values for non-text filters.
    "DEFAULT_FILTER_BACKENDS": ["core.api.FilterBackend"],
    # drf-standardized-errors' AutoSchema plus the errors of Harbour's middleware (core/openapi.py).
    "DEFAULT_SCHEMA_CLASS": "core.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "DATETIME_FORMAT": "%Y-%m-%dT%H:%M:%S.%fZ",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Per API key (or per signed-in user) across every gunicorn worker, counted in Redis.
    "DEFAULT_THROTTLE_CLASSES": ["accounts.throttling.ApiKeyRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": env("API_THROTTLE_RATE", default="600/minute")},
}
DRF_STANDARDIZED_ERRORS = {
    "ENABLE_IN_DEBUG_FOR_UNHANDLED_EXCEPTIONS": True,
    # R1: `"recordable": true` beside a refusal that may be recorded as it happened.
    "EXCEPTION_FORMATTER_CLASS": "core.api_errors.HarbourExceptionFormatter",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Harbour partner API",
    "DESCRIPTION": "Incidents, s136 detentions, places of safety, referrals and alerts. "
    "Authenticate with `Authorization: Api-Key <key>`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "ENUM_NAME_OVERRIDES": {
        "ValidationErrorEnum": "drf_standardized_errors.openapi_serializers.ValidationErrorEnum.choices",
        "ClientErrorEnum": "drf_standardized_errors.openapi_serializers.ClientErrorEnum.choices",
        "ServerErrorEnum": "drf_standardized_errors.openapi_serializers.ServerErrorEnum.choices",
        "ReferralStatusEnum": "partners.models.ReferralStatus.choices",
        "ReferralNewStatusEnum": "partners.models.NEW_STATUS_CHOICES",
        "WebhookPayloadVersionEnum": "partners.webhooks.PAYLOAD_VERSIONS",
        "ApprovalKindEnum": "detentions.approvals.Kind.choices",
        "RankEnum": "detentions.choices.Rank.choices",
        "MarkerKindEnum": "people.choices.MarkerKind.choices",
    },
    "POSTPROCESSING_HOOKS": [
        # Every webhook event's body (components and `x-webhooks`, docs/webhooks.md); first, so
        # the enum hook below names the enums of those bodies too.
        "partners.webhook_schema.add_webhooks",
        "drf_standardized_errors.openapi_hooks.postprocess_schema_enums",
        # R1: `"recordable": true` beside a code that may be recorded as it happened.
        "core.openapi.describe_recordable_errors",
    ],
    "APPEND_COMPONENTS": {
        "securitySchemes": {
            "ApiKeyAuth": {"type": "apiKey", "in": "header", "name": "Authorization"}
        }
    },
    "SECURITY": [{"ApiKeyAuth": []}],
    # ReDoc from drf-spectacular-sidecar (static files), not a CDN.
    "REDOC_DIST": "SIDECAR",
}

# Logs: one line per record on stderr, JSON (LOG_FORMAT=json, the production default) or plain
# text; every record carries the request id of the request or task it belongs to (core/requestid.py).
LOG_FORMAT = env("LOG_FORMAT", default="plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.requestid.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        # One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id,
        # and any `extra` fields (the access log's method, path, status, duration_ms, actor).
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Operations (core/metrics.py; docs/operations.md "Monitoring") ---
HARBOUR_OPS = {
    # /metrics answers a request with `Authorization: Bearer <METRICS_TOKEN>`, or from an
    # address in METRICS_ALLOWED_NETWORKS (CIDRs); anything else is 403. Neither set: 403 always.
    "METRICS_TOKEN": env.str("METRICS_TOKEN", default=""),
    "METRICS_ALLOWED_NETWORKS": env.list("METRICS_ALLOWED_NETWORKS", default=[]),
    # The Celery queues whose depth /metrics reports.
    "METRICS_QUEUES": env.list("METRICS_QUEUES", default=["celery"]),
}

# Product settings (configurable per deployment).
from datetime import timedelta  # noqa: E402

HARBOUR = {
    "SERVICE_NAME": env("HARBOUR_SERVICE_NAME", default="Harbour"),
    # A2 / A4 good-practice targets (configurable per deployment).
    "ASSESSMENT_TARGET": timedelta(minutes=env.int("ASSESSMENT_TARGET_MINUTES", default=180)),
    "HANDOVER_TARGET": timedelta(minutes=env.int("HANDOVER_TARGET_MINUTES", default=60)),
    # One-time handover links (detentions/handover.py): how long a link lasts, how many
    # refused uses end it, how many hits on the link page one address may make per window, and
    # the address the emailed links start with.
    "HANDOVER_LINK": {
        "TTL": timedelta(minutes=env.int("HANDOVER_LINK_TTL_MINUTES", default=120)),
        "MAX_REFUSED_USES": env.int("HANDOVER_LINK_MAX_REFUSED_USES", default=5),
        "RATE": env.int("HANDOVER_LINK_RATE", default=20),
        "RATE_WINDOW": timedelta(seconds=env.int("HANDOVER_LINK_RATE_WINDOW_SECONDS", default=600)),
        "BASE_URL": env("HARBOUR_PUBLIC_URL", default="http://localhost:8000"),
    },
    # RS4: the Mental Health Act 2025's commencement instant (RFC 3339 with an offset), set
    # when the regulations are made; unset, the `mha2025` rule set is never chosen.
    "MHA2025_COMMENCEMENT": env("MHA2025_COMMENCEMENT", default="") or None,
    # Repeat demand for multi-agency care planning: N or more incidents within the window.
    "REPEAT_CONTACT": {
        "WINDOW_DAYS": env.int("REPEAT_CONTACT_WINDOW_DAYS", default=90),
        "MIN_INCIDENTS": env.int("REPEAT_CONTACT_MIN_INCIDENTS", default=3),
    },
    "REPEAT_LOCATION": {
        "WINDOW_DAYS": env.int("REPEAT_LOCATION_WINDOW_DAYS", default=90),
        "MIN_INCIDENTS": env.int("REPEAT_LOCATION_MIN_INCIDENTS", default=3),
    },
    # Possible duplicate people: trigram similarity of normalised full names (0..1).
    "DUPLICATE_NAME_SIMILARITY": 0.3,
    # The board's urgency bands (core/urgency.py): how long before each deadline a detention
    # is shown amber, then red. Past the deadline it is always red ("overdue").
    "BOARD_URGENCY": {
        "EXPIRY": {
            "RED": timedelta(minutes=env.int("BOARD_EXPIRY_RED_MINUTES", default=60)),
            "AMBER": timedelta(minutes=env.int("BOARD_EXPIRY_AMBER_MINUTES", default=120)),
        },
        "WELFARE_CHECK": {
            "AMBER": timedelta(minutes=env.int("BOARD_CHECK_AMBER_MINUTES", default=10))
        },
        "REVIEW": {"AMBER": timedelta(minutes=env.int("BOARD_REVIEW_AMBER_MINUTES", default=10))},
        "ASSESSMENT": {
            "AMBER": timedelta(minutes=env.int("BOARD_ASSESSMENT_AMBER_MINUTES", default=30))
        },
    },
}

# --- Referrals, webhooks and API keys (partners app, accounts key self-service) ---
HARBOUR.update(
    {
        # How long the receiving partner has to respond, by urgency (see partners/models.py).
        "REFERRAL_DUE": {
            "emergency": timedelta(minutes=env.int("REFERRAL_DUE_EMERGENCY_MINUTES", default=60)),
            "urgent": timedelta(minutes=env.int("REFERRAL_DUE_URGENT_MINUTES", default=4 * 60)),
            "routine": timedelta(
                minutes=env.int("REFERRAL_DUE_ROUTINE_MINUTES", default=5 * 24 * 60)
            ),
        },
        # Webhooks: HTTPS only, unless a deployment (or the tests) allows http to localhost.
        "WEBHOOK_ALLOW_HTTP_LOCALHOST": env.bool("WEBHOOK_ALLOW_HTTP_LOCALHOST", default=False),
        # Deliveries never reach private, loopback, link-local, shared, multicast, reserved or
        # metadata addresses, except these (CIDRs or host names) for on-premises partners,
        # e.g. WEBHOOK_ALLOWED_NETWORKS=10.20.0.0/16,case-system.nhs.internal
        "WEBHOOK_ALLOWED_NETWORKS": env.list("WEBHOOK_ALLOWED_NETWORKS", default=[]),
        # Extra certificate authorities for deliveries (a PEM file), e.g. an internal CA.
        "WEBHOOK_CA_FILE": env.str("WEBHOOK_CA_FILE", default=""),
        "WEBHOOK_MAX_ATTEMPTS": env.int("WEBHOOK_MAX_ATTEMPTS", default=8),
        "WEBHOOK_BACKOFF_SECONDS": env.int("WEBHOOK_BACKOFF_SECONDS", default=30),
        "WEBHOOK_TIMEOUT_SECONDS": env.int("WEBHOOK_TIMEOUT_SECONDS", default=10),
        # Key rotation: how long the old key keeps working unless the administrator chooses.
        "API_KEY_ROTATION_OVERLAP": timedelta(
            hours=env.int("API_KEY_ROTATION_OVERLAP_HOURS", default=24)
        ),
    }
)

# --- Deadline alerts (alerts app) ---
ALERTS = {
    # expiry_warning thresholds: minutes before expires_at.
    "EXPIRY_WARNING_MINUTES": env.list(
        "ALERTS_EXPIRY_WARNING_MINUTES", cast=int, default=[360, 120, 60, 30]
    ),
    # An alert nobody acknowledged is escalated to the next level after this long.
    "ESCALATE_AFTER": timedelta(minutes=env.int("ALERTS_ESCALATE_AFTER_MINUTES", default=15)),
    # /healthz fails when the last completed sweep is older than this.
    "SWEEP_STALE_SECONDS": env.int("ALERTS_SWEEP_STALE_SECONDS", default=60),
    # The catch-up sweep looks this far back in the detentions' history for deadlines that
    # passed while no sweep ran and were met late (raised closed, `satisfied_late`).
    "LATE_LOOKBACK_HOURS": env.int("ALERTS_LATE_LOOKBACK_HOURS", default=48),
    # The sweep queues again a delivery still pending this long after it was written (its
    # message was lost, e.g. in a broker restart), or still sending this long after its attempt
    # began (its worker died mid-send).
    "REQUEUE_PENDING_AFTER": timedelta(
        seconds=env.int("ALERTS_REQUEUE_PENDING_SECONDS", default=120)
    ),
    "REQUEUE_SENDING_AFTER": timedelta(
        seconds=env.int("ALERTS_REQUEUE_SENDING_SECONDS", default=300)
    ),
    # Legal deadline alerts (alerts.models.LEGAL_DEADLINE_KINDS) are sent again this often to
    # everyone they are addressed to until someone acknowledges them (0: never repeat).
    "REPEAT_EVERY": timedelta(minutes=env.int("ALERTS_REPEAT_EVERY_MINUTES", default=10)),
}
# GOV.UK Notify (alerts by Notify email and text message; alerts/notify.py). Without an API key
# the Notify channels are unavailable (the channels page says so; nobody is sent anything by
# Notify). The key is Notify's whole API key (`name-<service id>-<secret>`).
NOTIFY = {
    "API_KEY": env.str("NOTIFY_API_KEY", default=""),
    "BASE_URL": env.str("NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk"),
    # Templates: the email template's subject is ((subject)) and its body ((body)); the text
    # message template is ((message)).
    "EMAIL_TEMPLATE_ID": env.str("NOTIFY_EMAIL_TEMPLATE_ID", default=""),
    "SMS_TEMPLATE_ID": env.str("NOTIFY_SMS_TEMPLATE_ID", default=""),
    # The bearer token Notify sends with its delivery-status callbacks (set the same value in
    # Notify's "Callbacks for delivery receipts"); without it every callback is refused.
    "CALLBACK_BEARER_TOKEN": env.str("NOTIFY_CALLBACK_BEARER_TOKEN", default=""),
    "TIMEOUT_SECONDS": env.int("NOTIFY_TIMEOUT_SECONDS", default=10),
}
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="harbour@localhost")

AUTHENTICATION_BACKENDS = [
    # django-axes first: refuses sign-in while locked out (core/security.py).
    "core.security.LockoutBackend",
    # Passwords, unless the user's organisation signs in only with its identity provider.
    "accounts.backends.LocalPasswordBackend",
    "accounts.permissions.RoleBackend",
    # OpenID Connect per organisation (accounts/oidc.py; docs/operations.md).
    "accounts.oidc.OrganisationOIDCBackend",
]

# mozilla-django-oidc: the settings shared by every organisation's provider (the rest are per
# provider, in accounts.IdentityProvider).
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc-callback"
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT_SECONDS", default=10)
OIDC_CLOCK_LEEWAY_SECONDS = env.int("OIDC_CLOCK_LEEWAY_SECONDS", default=30)
OIDC_STORE_ID_TOKEN = False
OIDC_STORE_ACCESS_TOKEN = False
OIDC_VERIFY_SSL = True

# Audit (audit/): the hash-chain seal and the access log's reason for access.
HARBOUR_AUDIT = {
    # Only rows written at least this long ago are sealed (later commits of earlier ids).
    "SETTLE_SECONDS": env.int("AUDIT_SETTLE_SECONDS", default=5),
    # How long a skipped id is looked for before a late row counts as inserted out of order.
    "PENDING_SECONDS": env.int("AUDIT_PENDING_SECONDS", default=600),
    "SEAL_MAX_ROWS": env.int("AUDIT_SEAL_MAX_ROWS", default=5000),
    # A reason for access covers that record for this long (in the viewer's session).
    "ACCESS_REASON_MINUTES": env.int("AUDIT_ACCESS_REASON_MINUTES", default=30),
    "TRUST_X_FORWARDED_FOR": env.bool("AUDIT_TRUST_X_FORWARDED_FOR", default=False),
}

# Tactical advisers, joint protocols and training (advisers/, protocols/, training/).
HARBOUR_DELIVERY = {
    # Protocol documents: PDF, DOCX or ODT only (sniffed), at most this many bytes.
    "PROTOCOL_MAX_BYTES": env.int("PROTOCOL_MAX_BYTES", default=10 * 1024 * 1024),
    # Zip bombs: bounds on what a .docx/.odt may unpack to (protocols/documents.py).
    "PROTOCOL_MAX_UNCOMPRESSED_BYTES": env.int(
        "PROTOCOL_MAX_UNCOMPRESSED_BYTES", default=50 * 1024 * 1024
    ),
    "PROTOCOL_MAX_MEMBERS": env.int("PROTOCOL_MAX_MEMBERS", default=1000),
    "PROTOCOL_MAX_COMPRESSION_RATIO": env.int("PROTOCOL_MAX_COMPRESSION_RATIO", default=200),
    # Reminders before a protocol's review date (days before; 0 = on the day).
    "PROTOCOL_REVIEW_REMINDER_DAYS": env.list(
        "PROTOCOL_REVIEW_REMINDER_DAYS", cast=int, default=[30, 0]
    ),
    # Reminders before a training refresher falls due (days before).
    "TRAINING_REFRESHER_REMINDER_DAYS": env.list(
        "TRAINING_REFRESHER_REMINDER_DAYS", cast=int, default=[30]
    ),
    # Months each course stays in date (course code -> months); see training.courses.
    "TRAINING_VALIDITY_MONTHS": env.json("TRAINING_VALIDITY_MONTHS", default={}),
    # A roster shift longer than this is refused (hours).
    "ROSTER_MAX_SHIFT_HOURS": env.int("ROSTER_MAX_SHIFT_HOURS", default=16),
}

# --- Reporting (reporting/): officer cost per hour (GBP) for the dashboards' cost figures ---
HARBOUR["OFFICER_HOURLY_COST"] = env.float("OFFICER_HOURLY_COST", default=42.0)
# An export task (reporting.tasks.run_export) records its progress every this many rows.
HARBOUR["EXPORT_PROGRESS_EVERY"] = env.int("REPORTING_EXPORT_PROGRESS_EVERY", default=5000)

# --- Security hardening (core/security.py, accounts/otp.py; README "Security") ---
HARBOUR_SECURITY = {
    # Second factor enforced after the password for these roles (superusers always).
    "OTP_REQUIRED_ROLES": ["administrator", "auditor", "mh_tactical_adviser"],
    # A signed-in session with no request for this long is signed out.
    "IDLE_TIMEOUT": timedelta(minutes=env.int("SESSION_IDLE_MINUTES", default=30)),
    "CONTENT_SECURITY_POLICY": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    },
    # /api/v1/docs/ only: ReDoc (served from our static files) injects its own styles.
    "API_DOCS_CONTENT_SECURITY_POLICY": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "font-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "worker-src": ["'self'", "blob:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    },
    "PERMISSIONS_POLICY": {
        "camera": "()",
        "microphone": "()",
        "geolocation": "(self)",
        "payment": "()",
        "usb": "()",
    },
}
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# django-axes: 5 failed sign-ins for one username from one IP address lock that pair out for
# 15 minutes; a successful sign-in resets the count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_LOCKOUT_CALLABLE = "core.security.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token"]

# django-otp: the issuer shown in authenticator apps.
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Harbour")

# Data protection (privacy/): how long each kind of record is kept before it is listed for a
# retention review (days; counted from the incident, the end of the detention, the referral,
# the person's last change once nothing else about them is left, and the access-log entry).
RETENTION = {
    "incidents": timedelta(days=env.int("RETENTION_INCIDENTS_DAYS", default=6 * 365)),
    "detentions": timedelta(days=env.int("RETENTION_DETENTIONS_DAYS", default=8 * 365)),
    "people": timedelta(days=env.int("RETENTION_PEOPLE_DAYS", default=6 * 365)),
    "referrals": timedelta(days=env.int("RETENTION_REFERRALS_DAYS", default=6 * 365)),
    "access_log": timedelta(days=env.int("RETENTION_ACCESS_LOG_DAYS", default=2 * 365)),
}
