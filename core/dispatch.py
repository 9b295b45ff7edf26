"""Queueing Celery tasks from a request without letting a broker outage fail the request.

The database rows (alert deliveries, webhook deliveries, exports) are the source of truth; the
message only says "look at this row now". So a publish that fails (Redis down) is logged as a
warning and dropped, never raised into the request that already committed its change: a beat
sweep finds the row and queues it again (`alerts.sweep._requeue_stuck_deliveries`,
`partners.tasks.deliver_due_webhooks`, `reporting.tasks.run_queued_exports`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction

log = logging.getLogger(__name__)

# One short attempt: a request must not wait long on a broker that is down (the sweeps retry).
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}


def enqueue(task, *args) -> bool:
    """`task.delay(*args)`; False (logged) when the broker cannot be reached."""
    try:
        task.apply_async(args, retry_policy=PUBLISH_RETRY_POLICY)
    except Exception as exc:  # noqa: BLE001 - kombu/redis raise several kinds; the sweep catches up
        log.warning(
            "Could not queue %s%r (%s: %s); the sweep will queue it again.",
            task.name,
            args,
            exc.__class__.__name__,
            exc,
        )
        return False
    return True


def enqueue_each_on_commit(task, ids: Iterable[int]) -> None:
    """Once the current transaction commits, `task.delay(pk)` for each id; never raises."""
    ids = list(ids)
    if ids:
        transaction.on_commit(lambda: [enqueue(task, pk) for pk in ids])
