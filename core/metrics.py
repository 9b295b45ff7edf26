"""Prometheus metrics (prometheus-client), served at /metrics (core.views.metrics).

- `harbour_http_request_duration_seconds` (histogram; method, view, status): observed by
  core.requestid.RequestIdMiddleware in each web process. Under gunicorn set
  PROMETHEUS_MULTIPROC_DIR (the image does; docker/gunicorn.conf.py empties it at start and
  marks dead workers) so every worker's samples are added up, whichever worker answers.
- What the workers and beat do is read at scrape time from where it is already shared, so any
  web process answers for the whole deployment: the alerts sweep's duration (a summary kept in
  Redis by alerts.tasks.sweep) and lag (seconds since the last completed sweep), alerts raised by
  kind (the alerts table: each alert is one row, raised exactly once), webhook delivery failures
  (a Redis counter incremented on every failed attempt, and the deliveries given up), and the
  Celery queue depth (the length of each queue's Redis list).
"""

from __future__ import annotations

import logging
import os

from django.conf import settings
from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, SummaryMetricFamily

from . import health

log = logging.getLogger(__name__)

COUNTERS_KEY = "harbour:metrics"
SWEEP_SUM = "alerts_sweep_seconds_sum"
SWEEP_COUNT = "alerts_sweep_count"
WEBHOOK_FAILURES = "webhook_delivery_failures"

REQUEST_LATENCY = Histogram(
    "harbour_http_request_duration_seconds",
    "Time to answer a web or API request, by method, view and status.",
    ["method", "view", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def observe_request(method: str, view: str, status: int, seconds: float) -> None:
    REQUEST_LATENCY.labels(method=method, view=view, status=str(status)).observe(seconds)


def _incr(field: str, amount: float = 1) -> None:
    """A shared counter in Redis; a failure to count never fails the work being counted."""
    try:
        client = health.redis_client()
        if isinstance(amount, float):
            client.hincrbyfloat(COUNTERS_KEY, field, amount)
        else:
            client.hincrby(COUNTERS_KEY, field, amount)
    except Exception:  # noqa: BLE001
        log.warning("metrics: could not count %s", field, exc_info=True)


def record_sweep_duration(seconds: float) -> None:
    try:
        pipe = health.redis_client().pipeline()
        pipe.hincrbyfloat(COUNTERS_KEY, SWEEP_SUM, float(seconds))
        pipe.hincrby(COUNTERS_KEY, SWEEP_COUNT, 1)
        pipe.execute()
    except Exception:  # noqa: BLE001
        log.warning("metrics: could not record the sweep duration", exc_info=True)


def count_webhook_failure() -> None:
    _incr(WEBHOOK_FAILURES)


# Callables yielding metric families read from the database, registered by the apps from their
# AppConfig.ready (alerts raised by kind, webhook deliveries given up).
DATABASE_COLLECTORS: list = []


def register_database_collector(collect) -> None:
    DATABASE_COLLECTORS.append(collect)


class DeploymentCollector:
    """What the whole deployment is doing, read from PostgreSQL and Redis at each scrape."""

    def collect(self):
        up = GaugeMetricFamily(
            "harbour_dependency_up", "1 when the dependency answers.", labels=["dependency"]
        )
        db_ok = health.check_database() == "ok"
        up.add_metric(["database"], 1.0 if db_ok else 0.0)
        redis_ok = health.check_redis() == "ok"
        up.add_metric(["redis"], 1.0 if redis_ok else 0.0)
        yield up

        counters: dict[bytes, bytes] = {}
        if redis_ok:
            client = health.redis_client()
            counters = client.hgetall(COUNTERS_KEY)
            depth = GaugeMetricFamily(
                "harbour_celery_queue_depth",
                "Tasks waiting in each Celery queue (the broker's Redis list).",
                labels=["queue"],
            )
            for queue in settings.HARBOUR_OPS["METRICS_QUEUES"]:
                depth.add_metric([queue], float(client.llen(queue)))
            yield depth

        def counter(field: str) -> float:
            return float(counters.get(field.encode(), 0) or 0)

        yield SummaryMetricFamily(
            "harbour_alerts_sweep_duration_seconds",
            "Time each completed alerts sweep took.",
            count_value=counter(SWEEP_COUNT),
            sum_value=counter(SWEEP_SUM),
        )
        age = health.sweep_age()
        if age is not None:
            yield GaugeMetricFamily(
                "harbour_alerts_sweep_lag_seconds",
                "Seconds since the last completed alerts sweep (alerts are this stale).",
                value=age,
            )

        if not db_ok:
            return
        yield CounterMetricFamily(
            "harbour_webhook_delivery_failures",
            "Failed webhook delivery attempts (each attempt that did not get a 2xx).",
            value=counter(WEBHOOK_FAILURES),
        )
        for collect in DATABASE_COLLECTORS:  # the apps' own figures (core imports no app)
            yield from collect()


def exposition() -> bytes:
    """The text exposition: this process's (or, under gunicorn, every worker's) request
    metrics, then the deployment's."""
    from prometheus_client import REGISTRY

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)
    else:
        processes = REGISTRY
    deployment = CollectorRegistry()
    deployment.register(DeploymentCollector())
    return generate_latest(processes) + generate_latest(deployment)
