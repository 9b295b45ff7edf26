"""Every URL pattern of the project, with its path parameters filled from real objects.

Used by the permission matrix and the CSRF test. A pattern whose parameters cannot be filled
fails those tests, so a URL added later is covered by default: add a rule to `PARAMS` below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

ABSENT = 999999  # an id nothing has: the page must answer 404 (never 500) for everyone


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name" (or the pattern when unnamed)
    pattern: str  # the full pattern text
    params: tuple[str, ...]

    @property
    def kind(self) -> str:
        if self.pattern.startswith("admin/"):
            return "admin"
        if self.pattern.startswith("api/"):
            return "api"
        return "page"


_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>|\(\?P<(?P<rname>[^>]+)>[^)]*\)")


def _walk(patterns, prefix="", namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(p.url_patterns, prefix + str(p.pattern), full_ns)
        elif isinstance(p, URLPattern):
            name = p.name or str(p.pattern)
            yield prefix + str(p.pattern), f"{namespace}:{name}" if namespace else name


def all_routes() -> list[Route]:
    routes = []
    seen = set()
    for pattern, name in _walk(get_resolver().url_patterns):
        if "format" in pattern and r"\.(?P<format>" in pattern:
            continue  # DRF's format-suffix duplicates
        params = tuple(m.group("name") or m.group("rname") for m in _PARAM.finditer(pattern))
        key = (pattern, name)
        if key in seen:
            continue
        seen.add(key)
        routes.append(Route(name=name, pattern=pattern, params=params))
    return routes


def to_path(route: Route, values: dict[str, object]) -> str:
    """Builds the path from the pattern text (works for path() and DRF's regex routes)."""

    def sub(m):
        name = m.group("name") or m.group("rname")
        return str(values[name])

    path = _PARAM.sub(sub, route.pattern)
    path = path.replace("^", "").replace("$", "")
    return "/" + path


# (regex on the route name, parameter) -> attribute of the `World` (or a constant).
# Object ids belong to the owning force (or the partners it works with), so the outsider
# persona must not see them.
PARAMS: list[tuple[str, str, object]] = [
    (r"^admin:", "*", "admin"),  # the admin site: filled by `admin_path`
    (r"^(api-)?detention|^assessments:", "pk", "detention"),
    (r"^detention-start-|^incident-log-", "draft_id", "nodraft"),  # no such draft
    (r"^detention-start-step$", "slug", "details"),
    (r"^incident-log-step$", "slug", "where"),
    (r"detention-transfer-arrival", "transfer_id", ABSENT),
    (r"^assessments:end_delay$", "delay_pk", ABSENT),
    (r"^approvals:(ask|on_word)$", "pk", "detention"),
    (r"^approvals:(approve|refuse)$", "pk", ABSENT),
    (r"^approval-", "pk", ABSENT),
    (r"^use_of_force:detention-", "pk", "detention"),
    (r"^use_of_force:review$", "pk", ABSENT),
    (r"^incident-", "pk", "incident"),
    (r"^incident-remove-person$", "person_pk", "person"),
    (r"^incident-remove-officer$", "officer_pk", "officer"),
    (r"^person-|^privacy:subject-access", "pk", "person"),
    (r"^person-merge$", "other_pk", "person2"),
    (r"^(response-)?plan-", "pk", "plan"),
    (r"^plan-remove-", "item_pk", ABSENT),
    (r"^places_of_safety:|^place-of-safety-", "pk", "place"),
    (r"^referral", "pk", "referral"),
    (r"^alert", "pk", "alert"),
    (r"^privacy:review$", "record_type", "detentions"),
    (r"^privacy:review$", "pk", "retention_target"),
    (r"^privacy:delete$", "pk", ABSENT),
    (r"^reporting:npu", "code", "npu_code"),
    (r"^reporting:(csv|npu_csv)$", "key", "report_key"),
    (r"^reporting:export", "pk", ABSENT),
    (r"^audit:history$", "label", "history_label"),
    (r"^audit:history$", "pk", "detention"),
    (r"^api-key-", "prefix", "api_key_prefix"),
    (r"^oidc-start$", "slug", "no-such-provider"),
    (r"^handover-link$", "token", "not-a-signed-token"),
    (r"^role-mapping-delete$", "pk", ABSENT),
    (r"^(api-)?webhook-", "pk", ABSENT),
    (r"^protocols:", "pk", ABSENT),
    (r"^advisers:shift", "pk", ABSENT),
    (r"^training:officer$", "user_id", "officer"),
]


class UnfilledParameter(LookupError):
    pass


def fill(route: Route, world, *, absent: bool = False) -> str:
    """The route's path with its parameters filled from `world` (or, with `absent=True`, every
    object id replaced by one that does not exist)."""
    if route.kind == "admin":
        return admin_path(route, world)
    values = {}
    for param in route.params:
        for name_re, p, source in PARAMS:
            if p == param and re.search(name_re, route.name):
                if isinstance(source, str) and hasattr(world, source):
                    value = getattr(world, source)
                    value = getattr(value, "pk", value)
                else:
                    value = source
                if absent and isinstance(value, int):
                    value = ABSENT
                values[param] = value
                break
        else:
            raise UnfilledParameter(
                f"{route.name} ({route.pattern}): no rule fills <{param}>; "
                "add one to tests/security/urlmap.py PARAMS"
            )
    return to_path(route, values)


def admin_path(route: Route, world) -> str:
    """Admin pages: the index, each model's list and add pages (object pages are skipped)."""
    if route.params or "(" in route.pattern:
        return ""  # object pages: covered by the list page's permission (same ModelAdmin)
    return to_path(route, {})
