"""Security hardening: sign-in lockout, enforced two-factor authentication, idle session expiry
and security headers (a content security policy with no inline scripts).

Settings (harbour/settings/base.py, `HARBOUR_SECURITY`):
- `OTP_REQUIRED_ROLES`: roles that must pass a second factor after their password
  (administrators, auditors and the force mental health lead). Everyone else may set one up.
- `IDLE_TIMEOUT`: a signed-in session with no request for this long is signed out.
- `CONTENT_SECURITY_POLICY`, `PERMISSIONS_POLICY`: the headers sent with every response.

Lockout (django-axes): see `AXES_*` in settings; `LockoutBackend` is first in
AUTHENTICATION_BACKENDS.
"""

from __future__ import annotations

import time

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

# Session keys.
LAST_ACTIVITY_KEY = "harbour_last_activity"


def security_settings() -> dict:
    return settings.HARBOUR_SECURITY


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, first in AUTHENTICATION_BACKENDS.

    Every interactive sign-in (the sign-in page, the admin's sign-in) passes the request, so
    attempts are counted per username and IP address and locked out after
    `AXES_FAILURE_LIMIT` failures. A call without a request (a management command, or the test
    client's `Client.login`) cannot be attributed to a client: it is not counted here and falls
    through to the ordinary ModelBackend, instead of raising.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


# --- Two-factor authentication ---------------------------------------------------------------


def otp_required(user) -> bool:
    """True when the user must pass a second factor (by role; superusers always)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return bool(set(user.roles) & set(security_settings()["OTP_REQUIRED_ROLES"]))


def has_confirmed_device(user) -> bool:
    """The user has set up a second factor (an authenticator app, confirmed with a code)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def otp_verified(request) -> bool:
    user = request.user
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


# Paths an enforced user may reach before the second factor: the OTP pages themselves, signing
# out, static files and the health check.
_OTP_EXEMPT_NAMES = (
    "otp-verify",
    "otp-setup",
    "logout",
    "login",
    "set-language",
    "javascript-catalog",
)


def _exempt_paths() -> tuple[str, ...]:
    return tuple(reverse(name) for name in _OTP_EXEMPT_NAMES) + (
        settings.STATIC_URL,
        "/healthz",
    )


class OTPEnforcementMiddleware:
    """After a password sign-in, users whose role requires it must pass the OTP step before any
    other page (and before the API, when they use it through their session). Users with no
    confirmed device are sent to set one up. Goes after django_otp's OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            getattr(user, "is_authenticated", False)
            and otp_required(user)
            and not otp_verified(request)
            and not request.path.startswith(_exempt_paths())
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "type": "client_error",
                        "errors": [
                            {
                                "code": "two_factor_required",
                                "detail": _(
                                    "Sign in with your second factor in the browser first, "
                                    "or use an API key."
                                ),
                                "attr": None,
                            }
                        ],
                    },
                    status=403,
                )
            target = "otp-verify" if has_confirmed_device(user) else "otp-setup"
            next_url = request.get_full_path()
            url = reverse(target)
            if request.method == "GET" and url_has_allowed_host_and_scheme(
                next_url, allowed_hosts={request.get_host()}
            ):
                url += "?" + urlencode({"next": next_url})
            return redirect(url)
        return self.get_response(request)


# --- Idle session expiry ---------------------------------------------------------------------


def start_activity_clock(sender, request, user, **kwargs):
    """`user_logged_in` receiver: the idle clock starts at sign-in (saved with the new session,
    so the first request after it writes nothing). Connected in privacy.apps."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_ACTIVITY_KEY] = int(time.time())


class IdleTimeoutMiddleware:
    """Signs a session out after `IDLE_TIMEOUT` with no request. The last-activity time is
    written at most once a minute, so most requests do not write the session."""

    WRITE_EVERY = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            timeout = int(security_settings()["IDLE_TIMEOUT"].total_seconds())
            last = request.session.get(LAST_ACTIVITY_KEY)
            if last is not None and now - int(last) > timeout:
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)  # the API answers 401 as for anyone
                messages.info(
                    request, _("You were signed out because you were inactive. Sign in again.")
                )
                url = reverse("login")
                if request.method == "GET":
                    url += "?" + urlencode({"next": request.get_full_path()})
                return redirect(url)
            if last is None or now - int(last) >= self.WRITE_EVERY:
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


# --- Security headers ------------------------------------------------------------------------


def _policy(directives: dict[str, list[str]]) -> str:
    return "; ".join(f"{k} {' '.join(v)}".strip() for k, v in directives.items())


class SecurityHeadersMiddleware:
    """Content-Security-Policy (no inline scripts, no inline styles), Permissions-Policy and
    Cross-Origin-Resource-Policy on every response. (Referrer-Policy, X-Content-Type-Options,
    Cross-Origin-Opener-Policy and HSTS come from Django's SecurityMiddleware.)"""

    def __init__(self, get_response):
        self.get_response = get_response
        conf = security_settings()
        self.csp = _policy(conf["CONTENT_SECURITY_POLICY"])
        self.docs_csp = _policy(conf["API_DOCS_CONTENT_SECURITY_POLICY"])
        self.permissions = ", ".join(f"{k}={v}" for k, v in conf["PERMISSIONS_POLICY"].items())

    def __call__(self, request):
        response = self.get_response(request)
        if request.path == "/api/v1/docs/":
            # ReDoc renders the schema with a script and styles of its own.
            response.setdefault("Content-Security-Policy", self.docs_csp)
        else:
            response.setdefault("Content-Security-Policy", self.csp)
        response.setdefault("Permissions-Policy", self.permissions)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' lockout page (AXES_LOCKOUT_CALLABLE): plain words, with the cool-off time
    in minutes; HTTP 429."""
    from axes.helpers import get_client_username, get_cool_off, get_failure_limit
    from django.shortcuts import render

    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "username": get_client_username(request, credentials) or "",
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(
        request,
        settings.AXES_LOCKOUT_TEMPLATE,
        context,
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
