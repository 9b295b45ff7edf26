"""Queue a Celery task by the name it is registered under, from code that must not import it,
without letting a broker outage fail the caller.

A task module is a door, like a view: it imports the domain (services, sweeps, outboxes) and
calls it. The domain never imports a task module (import-linter contract `tasks-are-doors`,
docs/architecture.md "Layers"), so when a service decides that work should happen later it
names the task instead. Each name is a constant next to the code that queues it, and the task
registers under that same constant (`@shared_task(name=webhooks.DELIVER_TASK)`), so the two
cannot drift apart.

The database rows (alert deliveries, webhook deliveries, exports) are the source of truth; the
message only says "look at this row now". So a publish that fails (Redis down) is logged as a
warning and dropped, never raised into the request that already committed its change: a beat
sweep finds the row and queues it again (`core.outbox.Outbox.requeue_stuck`: alert and webhook
deliveries; `reporting.tasks.run_queued_exports`).

Publishing goes through the project's Celery app (`current_app`); `harbour.celery` adds the
caller's identity to every message's headers, whichever way it was published.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from celery import current_app
from django.db import transaction

log = logging.getLogger(__name__)

# One short attempt: a request must not wait long on a broker that is down (the sweeps retry).
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}


def _short_repr(args: tuple) -> str:
    parts = [
        f"[{len(a)} items]" if isinstance(a, list | tuple) and len(a) > 10 else repr(a)
        for a in args
    ]
    return f"({', '.join(parts)}{',' if len(parts) == 1 else ''})"


def enqueue(task_name: str, *args, countdown: float | None = None) -> bool:
    """Publish one task now; False (logged) when the broker cannot be reached."""
    try:
        current_app.send_task(
            task_name,
            args=args,
            countdown=countdown,
            retry_policy=PUBLISH_RETRY_POLICY,
            # A batch of 500 ids would otherwise be repr'd into every message's headers (and
            # the worker's log lines): a third of a catch-up sweep's publishing time.
            argsrepr=_short_repr(args),
        )
    except Exception as exc:  # noqa: BLE001 - kombu/redis raise several kinds; the sweep catches up
        log.warning(
            "Could not queue %s%r (%s: %s); the sweep will queue it again.",
            task_name,
            args,
            exc.__class__.__name__,
            exc,
        )
        return False
    return True


def enqueue_on_commit(task_name: str, arg_lists: Iterable[tuple]) -> None:
    """Publish one task per tuple of arguments once the current transaction commits (nothing
    if it rolls back), from a single on-commit callback; never raises."""
    batch = [tuple(args) for args in arg_lists]
    if batch:
        transaction.on_commit(lambda: [enqueue(task_name, *args) for args in batch])
