"""Queue a Celery task by the name it is registered under, from code that must not import it.

A task module is a door, like a view: it imports the domain (services, sweeps, outboxes) and
calls it. The domain never imports a task module (import-linter contract `tasks-are-doors`,
docs/architecture.md "Layers"), so when a service decides that work should happen later it
names the task instead. Each name is a constant next to the code that queues it, and the task
registers under that same constant (`@shared_task(name=webhooks.DELIVER_TASK)`), so the two
cannot drift apart.

Publishing goes through the project's Celery app (`current_app`); `harbour.celery` adds the
caller's identity to every message's headers, whichever way it was published.
"""

from __future__ import annotations

from collections.abc import Iterable

from celery import current_app
from django.db import transaction


def enqueue(task_name: str, *args, countdown: float | None = None):
    """Publish one task now."""
    return current_app.send_task(task_name, args=args, countdown=countdown)


def enqueue_on_commit(task_name: str, arg_lists: Iterable[tuple]) -> None:
    """Publish one task per tuple of arguments once the current transaction commits (nothing
    if it rolls back), from a single on-commit callback."""
    batch = [tuple(args) for args in arg_lists]
    if batch:
        transaction.on_commit(lambda: [enqueue(task_name, *args) for args in batch])
