"""Health of the things the product cannot work without."""

import time

import redis
from django.conf import settings
from django.db import connection

HEARTBEAT_KEY = "harbour:worker:heartbeat"
SWEEP_KEY = "harbour:alerts:sweep:completed"


def redis_client(**kwargs) -> redis.Redis:
    return redis.Redis.from_url(
        settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2, **kwargs
    )


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        return f"down: {exc.__class__.__name__}"


def check_redis() -> str:
    try:
        redis_client().ping()
        return "ok"
    except Exception as exc:  # noqa: BLE001
        return f"down: {exc.__class__.__name__}"


def check_worker() -> str:
    """Fresh when a worker ran the heartbeat task (beat triggers it every 15 s) recently."""
    try:
        value = redis_client().get(HEARTBEAT_KEY)
    except Exception:  # noqa: BLE001
        return "unknown: redis is down"
    if value is None:
        return "down: no heartbeat"
    age = time.time() - float(value)
    if age > settings.WORKER_HEARTBEAT_STALE_SECONDS:
        return f"down: last heartbeat {int(age)} s ago"
    return "ok"


def record_heartbeat() -> None:
    redis_client().set(HEARTBEAT_KEY, str(time.time()), ex=24 * 3600)


def record_sweep() -> None:
    """Called by alerts.tasks.sweep after a sweep COMPLETED (not when one started). The sweep's
    work is in the database; if Redis went away meanwhile, the record is skipped (warned)."""
    from .cache import CACHE_ERRORS, warn_cache_down

    try:
        redis_client().set(SWEEP_KEY, str(time.time()), ex=24 * 3600)
    except CACHE_ERRORS as exc:
        warn_cache_down("the alerts sweep's health record", exc)


def sweep_age() -> float | None:
    """Seconds since the last completed alerts sweep (None: none recorded or Redis down)."""
    try:
        value = redis_client().get(SWEEP_KEY)
    except Exception:  # noqa: BLE001
        return None
    return None if value is None else max(0.0, time.time() - float(value))


def check_sweep() -> str:
    """The deadline alerts are only as fresh as the last sweep: down when older than a minute;
    unknown when Redis (where completions are recorded) cannot be read."""
    try:
        redis_client().ping()
    except Exception:  # noqa: BLE001
        return "unknown: redis is down"
    age = sweep_age()
    if age is None:
        return "down: no completed sweep"
    if age > settings.ALERTS["SWEEP_STALE_SECONDS"]:
        return f"down: last sweep {int(age)} s ago"
    return "ok"
