"""Health of the things the product cannot work without."""

import time

import redis
from django.conf import settings
from django.db import connection

HEARTBEAT_KEY = "harbour:worker:heartbeat"


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
