import ipaddress
import secrets

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import attention, health
from .navigation import entries_for


@require_GET
@never_cache
def healthz(request):
    """200 when the database, Redis, a Celery worker and the alerts sweep are all up; 503 naming
    what is down (`sweep` when the last completed alerts sweep is older than a minute). What
    cannot be checked because Redis is down (the worker heartbeat, the sweep record) is listed
    under `unknown`, not `down`: `down` names the cause."""
    checks = {
        "database": health.check_database(),
        "redis": health.check_redis(),
        "worker": health.check_worker(),
        "sweep": health.check_sweep(),
    }
    down = sorted(name for name, state in checks.items() if state.startswith("down"))
    unknown = sorted(name for name, state in checks.items() if state.startswith("unknown"))
    age = health.sweep_age()
    body = {
        **checks,
        # `sweep` is the number of seconds since the last completed alerts sweep (null when
        # none is recorded); its state is `sweep_state`, and `down` names "sweep" when stale.
        "sweep": None if age is None else round(age, 1),
        "sweep_state": checks["sweep"],
        "status": "ok" if not (down or unknown) else "down",
        "down": down,
        "unknown": unknown,
    }
    return JsonResponse(body, status=200 if not (down or unknown) else 503)


@require_GET
@never_cache
def livez(request):
    """Liveness: the process answers (nothing else is checked; a restart would not help a
    database outage). For a container's or Kubernetes' liveness probe."""
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
def readyz(request):
    """Readiness: 200 when this process can serve (PostgreSQL and Redis answer), else 503
    naming what is down. Workers and the sweep are /healthz's concern, not a web pod's."""
    checks = {"database": health.check_database(), "redis": health.check_redis()}
    down = sorted(name for name, state in checks.items() if state != "ok")
    body = {**checks, "status": "ok" if not down else "down", "down": down}
    return JsonResponse(body, status=200 if not down else 503)


def _metrics_allowed(request) -> bool:
    conf = settings.HARBOUR_OPS
    token = conf["METRICS_TOKEN"]
    given = request.headers.get("Authorization", "")
    if token and given.startswith("Bearer "):
        return secrets.compare_digest(given.removeprefix("Bearer ").encode(), token.encode())
    networks = conf["METRICS_ALLOWED_NETWORKS"]
    if not networks:
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(n, strict=False) for n in networks)


@require_GET
@never_cache
def metrics(request):
    """Prometheus metrics (core/metrics.py) for a scraper holding METRICS_TOKEN (a bearer token)
    or calling from METRICS_ALLOWED_NETWORKS; 403 for everyone else, signed in or not."""
    if not _metrics_allowed(request):
        return JsonResponse(
            {"detail": "Metrics need the bearer token or an allowed network."}, status=403
        )
    from prometheus_client import CONTENT_TYPE_LATEST

    from . import metrics as harbour_metrics

    return HttpResponse(harbour_metrics.exposition(), content_type=CONTENT_TYPE_LATEST)


@login_required
def home(request):
    """Each role's home page: what needs attention now (the panels the apps register in
    core/attention.py, each asking its app's policy), then everything the user may do."""
    membership = getattr(request.user, "membership", None)
    actor = getattr(request, "principal", None)
    return render(
        request,
        "core/home.html",
        {
            "panels": attention.panels_for(actor, request.user),
            "links": entries_for(request.user),
            "roles": membership.role_labels() if membership else [],
        },
    )


def accessibility(request):
    """The accessibility statement (GOV.UK's model statement): open to everyone, signed in
    or not, linked from every page's footer."""
    return render(request, "core/accessibility.html")
