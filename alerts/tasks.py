"""Celery tasks: the sweep (triggered by beat) and the sending of one delivery."""

import logging
import time

from celery import shared_task
from django.utils import timezone, translation

from accounts.language import language_of
from core import health, metrics
from core.queue import enqueue

from . import sending, services
from . import sweep as sweeping
from .models import Delivery

log = logging.getLogger(__name__)


@shared_task(name="alerts.tasks.sweep", ignore_result=True)
def sweep():
    """Raise, close and escalate alerts; then record that a sweep completed (for /healthz)."""
    started = time.perf_counter()
    result = sweeping.sweep()
    health.record_sweep()
    metrics.record_sweep_duration(time.perf_counter() - started)
    if any(result.as_dict().values()):
        log.info("alerts sweep: %s", result.as_dict())
    return result.as_dict()


@shared_task(name=sweeping.DELIVER_BATCH_TASK, ignore_result=True, acks_late=True)
def deliver_batch(delivery_ids: list[int]):
    """Queue one `deliver` per delivery of a batch the sweep queued as one message (a delivery
    queued twice is sent once: `deliver` claims its row)."""
    for pk in delivery_ids:
        enqueue(sweeping.DELIVER_TASK, pk)


@shared_task(
    name=sweeping.DELIVER_TASK,
    bind=True,
    ignore_result=True,
    max_retries=6,
    acks_late=True,
)
def deliver(self, delivery_id: int):
    """Send one delivery. The row was written before this task was queued; it is claimed
    (core.outbox: marked `sending` with the attempt counted), sent outside any transaction by
    its channel (alerts.sending: email, or GOV.UK Notify email or text message), then marked
    `sent` or `failed` with the error (and retried with back-off), or `permanent-failure` when
    sending again cannot help (Notify refused it with a 4xx). A repeat of an alert acknowledged
    since it was written is cancelled, not sent."""
    delivery = sweeping.DELIVERIES.claim(
        delivery_id, now=timezone.now(), related=("alert", "alert__detention", "user")
    )
    if delivery is None:
        return "not claimable"
    if delivery.repeat and services.cancel_stale_repeat(delivery.pk):
        return "cancelled"
    try:
        # In the recipient's preferred language (accounts.language; English when none).
        with translation.override(language_of(delivery.user)):
            notify_id = sending.send(delivery)
    except sending.Permanent as exc:
        services.record_failure(delivery.pk, str(exc), permanent=True)
        log.warning("alert delivery %s refused for good: %s", delivery.pk, exc)
        return "permanent-failure"
    except Exception as exc:  # noqa: BLE001 - any other failure is recorded and retried
        recorded = services.record_failure(
            delivery.pk, f"{exc.__class__.__name__}: {exc}", permanent=False
        )
        if recorded.status != Delivery.Status.FAILED:
            return recorded.status  # Notify's callback says it was accepted after all
        raise self.retry(exc=exc, countdown=min(300, 5 * 2**self.request.retries)) from exc
    services.record_sent(delivery.pk, notify_id=notify_id)
    return "sent"
