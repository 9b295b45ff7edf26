"""The access log: every successful read of a person, a detention or a referral.

`AccessLogMiddleware` (right after `core.actor.ActorMiddleware`) matches the request path against
`ROUTES` (path regexes -> model + URL keyword), and after a 2xx response writes one `AccessLog`
row: who (user or API key, and their organisation), when, from where (IP, user agent, path),
what (model, id, the record's organisation, the person it concerns) and why.

What is logged: GET/HEAD of detail pages and API detail endpoints, and of the record's history
(page and API). List and search results are not logged row by row (they show summaries; logging
each row would make every list cost a write per row); open the record and it is logged.

Why: a viewer is "outside the owning organisation's normal roles" when the record is not visible
to their organisation (the policy modules, `core.policy.REGISTRY`), or when their only role that lets them see it
is auditor. Then a reason is required:
- pages: an auditor (or superuser) is sent to the "reason for access" page first; the reason is
  kept in the session for that record for `ACCESS_REASON_MINUTES`;
- API: the `X-Access-Reason` header (or a reason in the browser session); without it the
  response is replaced by 403 `access_reason_required` and nothing is shown.

Cost: at most three queries per logged request (find the record's owners, check visibility
when the viewer's organisation is not an owner, insert the row); none for other requests.

The middleware also refuses every unsafe method (POST, PUT, PATCH, DELETE) to users whose only
role is auditor: they read everything and change nothing, whatever a view forgets to check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from accounts.permissions import Perm, has_perm, permissions_for_roles
from accounts.principal import resolve as principal_for
from accounts.roles import Role
from core.records import model_for_label, record_label

from .policy import auditors_read_other_organisations, outside_organisation
from .sealing import audit_settings

SESSION_KEY = "audit_access_reasons"
REASON_HEADER = "HTTP_X_ACCESS_REASON"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


@dataclass(frozen=True)
class AccessRoute:
    pattern: str
    model: str  # "app_label.Model"
    channel: str  # "page" or "api"
    kwarg: str = "pk"
    owner_fields: tuple[str, ...] = ("organisation_id",)
    person_field: str | None = "person_id"  # "id" when the record is the person
    perm: Perm | None = None

    @property
    def regex(self):
        return _compiled(self.pattern)

    @property
    def label(self) -> str:
        """The public label (`core.records`): what the access log records."""
        return record_label(model_for_label(self.model))


_cache: dict[str, re.Pattern] = {}


def _compiled(pattern: str) -> re.Pattern:
    if pattern not in _cache:
        _cache[pattern] = re.compile(pattern)
    return _cache[pattern]


_DET = {"model": "detentions.Detention", "perm": Perm.VIEW_DETENTIONS}
_PER = {"model": "people.Person", "perm": Perm.VIEW_PEOPLE, "person_field": "id"}
_REF = {
    "model": "partners.Referral",
    "perm": Perm.VIEW_REFERRALS,
    "owner_fields": ("from_organisation_id", "to_organisation_id"),
}

ROUTES: list[AccessRoute] = [
    AccessRoute(r"^/detentions/(?P<pk>\d+)/$", channel="page", **_DET),
    AccessRoute(r"^/people/(?P<pk>\d+)/$", channel="page", **_PER),
    AccessRoute(r"^/referrals/(?P<pk>\d+)/$", channel="page", **_REF),
    AccessRoute(r"^/audit/history/incidents\.detention/(?P<pk>\d+)/$", channel="page", **_DET),
    AccessRoute(r"^/audit/history/incidents\.person/(?P<pk>\d+)/$", channel="page", **_PER),
    AccessRoute(r"^/audit/history/partners\.referral/(?P<pk>\d+)/$", channel="page", **_REF),
    AccessRoute(r"^/api/v1/detentions/(?P<pk>\d+)/$", channel="api", **_DET),
    AccessRoute(r"^/api/v1/detentions/(?P<pk>\d+)/history/$", channel="api", **_DET),
    # Force, search and restraint (use_of_force/): read as part of the detention.
    AccessRoute(
        r"^/api/v1/detentions/(?P<pk>\d+)/(use-of-force|searches)/$", channel="api", **_DET
    ),
    AccessRoute(r"^/api/v1/people/(?P<pk>\d+)/$", channel="api", **_PER),
    AccessRoute(r"^/api/v1/referrals/(?P<pk>\d+)/$", channel="api", **_REF),
]


def routes() -> list[AccessRoute]:
    extra = audit_settings().get("ACCESS_ROUTES", [])
    return [*[r if isinstance(r, AccessRoute) else AccessRoute(**r) for r in extra], *ROUTES]


# The history API names its record in the query string (`?model=&id=`).
HISTORY_API = "/api/v1/audit/history/"
HISTORY_API_ROUTES = {
    "incidents.detention": AccessRoute(HISTORY_API, channel="api", **_DET),
    "incidents.person": AccessRoute(HISTORY_API, channel="api", **_PER),
    "partners.referral": AccessRoute(HISTORY_API, channel="api", **_REF),
}


def match(path: str, query=None):
    if path == HISTORY_API:
        if query is None:  # the schema asks whether the path may need a reason: it may
            return HISTORY_API_ROUTES["incidents.person"], ""
        route = HISTORY_API_ROUTES.get((query.get("model") or "").lower())
        pk = query.get("id") or ""
        return (route, pk) if route is not None and pk.isdigit() else (None, None)
    for route in routes():
        m = route.regex.match(path)
        if m:
            return route, m.group(route.kwarg)
    return None, None


def is_logged_api_path(path: str) -> bool:
    """An API path this log records, so it may refuse it without a reason (the schema says so:
    core.openapi, installed from audit.apps)."""
    route, _pk = match(path)
    return route is not None and route.channel == "api"


@dataclass
class Target:
    route: AccessRoute
    pk: str
    owners: tuple
    person_id: int | None

    @property
    def key(self) -> str:
        return f"{self.route.label}:{self.pk}"


def resolve(route: AccessRoute, pk: str) -> Target | None:
    """One query: the record's owning organisation(s) and the person it concerns."""
    try:
        model = model_for_label(route.model)
    except LookupError:  # an app not installed (yet)
        return None
    fields = list(route.owner_fields) + ([route.person_field] if route.person_field else [])
    row = model._base_manager.filter(pk=pk).values(*fields).first()
    if row is None:
        return None
    return Target(
        route,
        pk,
        tuple(row[f] for f in route.owner_fields if row[f] is not None),
        row[route.person_field] if route.person_field else None,
    )


# --- Who is looking, and are they outside their normal roles? ----------------------------------


def principal_org(user):
    return principal_for(user).organisation_id


def _is_key(user) -> bool:
    return hasattr(user, "key") and hasattr(user, "has_scope")


def _roles(user) -> set:
    membership = getattr(user, "membership", None)
    return set(membership.roles) if membership else set()


def is_read_only_auditor(user) -> bool:
    if not getattr(user, "is_authenticated", False) or _is_key(user) or user.is_superuser:
        return False
    roles = _roles(user)
    return bool(roles) and roles <= {Role.AUDITOR}


def may_be_asked(user) -> bool:
    """Users whose cross-organisation reads are allowed by design, so the prompt comes first."""
    if _is_key(user):
        return user.has_scope("audit:read")
    return user.is_superuser or has_perm(user, Perm.VIEW_AUDIT)


def outside_normal_roles(user, target: Target) -> bool:
    org_id = principal_org(user)
    if not _is_key(user):
        normal = permissions_for_roles(_roles(user) - {Role.AUDITOR})
        if target.route.perm is not None and target.route.perm not in normal:
            return True
    if org_id is None:
        return True
    if org_id in target.owners:
        return False
    return outside_organisation(principal_for(user), target.route.label, target.pk)


def _may_read_if_reason_given(user, target: Target) -> bool:
    """Ask for a reason only where one would open the record: another organisation's record is
    open to auditors only where the deployment allows it (audit/policy.py); otherwise the view
    answers 404 and there is nothing to ask."""
    actor = principal_for(user)
    perm = target.route.perm
    if not (actor.has_perm(Perm.VIEW_AUDIT) or (perm is not None and actor.has_perm(perm))):
        return False  # no role of theirs opens it: the view answers 403/404, nothing to ask
    if not outside_organisation(actor, target.route.label, target.pk):
        return True
    return auditors_read_other_organisations()


def session_reason(request, target: Target, now=None) -> str:
    session = getattr(request, "session", None)
    if session is None or not session.session_key:
        return ""
    entry = session.get(SESSION_KEY, {}).get(target.key)
    if not entry:
        return ""
    until = parse_datetime(entry.get("until", ""))
    if until is None or until <= (now or timezone.now()):
        return ""
    return entry.get("reason", "")


def remember_reason(request, label: str, pk: str, reason: str, now=None) -> None:
    minutes = audit_settings()["ACCESS_REASON_MINUTES"]
    until = (now or timezone.now()) + timedelta(minutes=minutes)
    reasons = {
        k: v
        for k, v in request.session.get(SESSION_KEY, {}).items()
        if (parse_datetime(v.get("until", "")) or until) > timezone.now()
    }
    reasons[f"{label}:{pk}"] = {"reason": reason, "until": until.isoformat()}
    request.session[SESSION_KEY] = reasons


def client_ip(request) -> str | None:
    if audit_settings().get("TRUST_X_FORWARDED_FOR"):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def write_log(request, response, target: Target, *, outside: bool, reason: str):
    from .models import AccessLog

    user = request.user
    key = _is_key(user)
    AccessLog.objects.create(
        actor_kind="api_key" if key else "user",
        actor_label=user.get_username(),
        user_id=None if key else user.pk,
        api_key_id=str(user.key.pk) if key else "",
        actor_organisation_id=principal_org(user),
        record_model=target.route.label,
        record_id=str(target.pk),
        record_organisation_id=target.owners[0] if target.owners else None,
        person_id=target.person_id,
        channel=target.route.channel,
        method=request.method,
        path=request.get_full_path()[:500],
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:500],
        status_code=response.status_code,
        outside_normal_roles=outside,
        reason=reason[:2000],
    )


def _api_error(status, code, detail):
    return JsonResponse(
        {"type": "client_error", "errors": [{"code": code, "detail": detail, "attr": None}]},
        status=status,
    )


class AccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        user = getattr(request, "user", None)
        if (
            request.method not in SAFE_METHODS
            and user is not None
            and is_read_only_auditor(user)
            and path not in _write_allowlist()
        ):
            if path.startswith("/api/"):
                return _api_error(
                    403, "permission_denied", _("Auditors may read records, not change them.")
                )
            raise PermissionDenied
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        route, pk = match(path, request.GET)
        if route is None:
            return self.get_response(request)

        target, outside = None, None
        if route.channel == "page" and user is not None and user.is_authenticated:
            target = resolve(route, pk)
            if target is not None and may_be_asked(user):
                outside = outside_normal_roles(user, target)
                if (
                    outside
                    and not session_reason(request, target)
                    and _may_read_if_reason_given(user, target)
                ):
                    query = urlencode(
                        {"model": route.label, "pk": pk, "next": request.get_full_path()}
                    )
                    return HttpResponseRedirect(f"{reverse('audit:access-reason')}?{query}")

        response = self.get_response(request)
        if not 200 <= response.status_code < 300:
            return response
        user = getattr(request, "user", None)  # DRF puts an API key's principal here
        if user is None or not user.is_authenticated:
            return response
        if target is None:
            target = resolve(route, pk)
            if target is None:
                return response
        if outside is None:  # (computed once per request)
            outside = outside_normal_roles(user, target)
        reason = ""
        if outside:
            reason = (request.META.get(REASON_HEADER) or "").strip() or session_reason(
                request, target
            )
            if route.channel == "api" and not reason and may_be_asked(user):
                return _api_error(
                    403,
                    "access_reason_required",
                    _(
                        "Give the reason for looking at this record in the X-Access-Reason "
                        "header: it is outside your organisation's normal access."
                    ),
                )
        write_log(request, response, target, outside=outside, reason=reason)
        return response


def _write_allowlist() -> set[str]:
    return {
        reverse("logout"),
        reverse("audit:access-reason"),
        reverse("login"),
        # The second factor (core/security.py): auditors must be able to pass it.
        reverse("otp-verify"),
        reverse("otp-setup"),
    }
