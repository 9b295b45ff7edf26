"""One outbox mechanism for every row that a task sends once: alert emails
(`alerts.Delivery`) and webhook deliveries (`partners.WebhookDelivery`).

The row is written in the transaction that makes the change and is the truth; a Celery task
named after it (`core.queue`) makes one attempt. An attempt first claims the row: under a row
lock taken with SKIP LOCKED (a second worker on the same row finds nothing to claim and does
not wait), a row the outbox says is claimable now is marked `sending`, its attempt counted and
its claim time stamped, and saved (so the claim is in the row's history). The message is sent
outside any transaction; the caller records the outcome. A worker that dies mid-send leaves
the row `sending`: once its claim is older than the outbox allows, the row is claimable again
and the beat sweep queues it again (`requeue_stuck`), so nothing is silently dropped.

Each outbox names its model, its task, the column stamped at a claim and two conditions, as
functions of the current instant: which rows may be claimed, and which the sweep queues again.
The model has `status` (with `sending`) and `attempts` columns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models, transaction

from .queue import enqueue

SENDING = "sending"


@dataclass(frozen=True)
class Outbox:
    model: type[models.Model]
    task: str  # the task that makes one attempt at a row, by name
    claimed_at: str  # the column stamped when a worker claims a row
    claimable: Callable[[object], models.Q]  # rows a worker may claim at this instant
    stuck: Callable[[object], models.Q]  # rows the sweep queues again at this instant
    stuck_order: tuple[str, ...] = ("pk",)

    def claim(self, pk, *, now, related: tuple[str, ...] = ()):
        """The row, claimed for one attempt; None when it is not claimable (already sent, not
        due, or being sent by another worker)."""
        with transaction.atomic():
            row = (
                self.model.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related(*related)
                .filter(self.claimable(now), pk=pk)
                .first()
            )
            if row is None:
                return None
            row.status = SENDING
            row.attempts += 1
            setattr(row, self.claimed_at, now)
            row.save(update_fields=["status", "attempts", self.claimed_at])
        return row

    def stuck_ids(self, now, *, limit: int) -> list:
        """The rows the sweep queues again: due, or lost (message dropped, worker died)."""
        return list(
            self.model.objects.filter(self.stuck(now))
            .order_by(*self.stuck_order)
            .values_list("pk", flat=True)[:limit]
        )

    def requeue_stuck(self, now, *, limit: int) -> list:
        """Queues an attempt at each stuck row (at least once, never silently dropped)."""
        ids = self.stuck_ids(now, limit=limit)
        for pk in ids:
            enqueue(self.task, pk)
        return ids
