from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import health
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


@login_required
def home(request):
    membership = getattr(request.user, "membership", None)
    return render(
        request,
        "core/home.html",
        {
            "links": entries_for(request.user),
            "roles": membership.role_labels() if membership else [],
        },
    )
