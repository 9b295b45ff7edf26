"""Webhook delivery tasks. The outbox row is the truth; these only move it on."""

from celery import shared_task
from django.utils import timezone

from . import webhooks


@shared_task(name=webhooks.DELIVER_TASK, ignore_result=True)
def deliver_webhook(delivery_id: int) -> str:
    """One attempt at a due delivery; a failure schedules the next attempt with backoff."""
    delivery = webhooks.deliver(delivery_id)
    if delivery is None:
        return "not-due"
    if delivery.status == "pending" and delivery.next_attempt_at is not None:
        countdown = max((delivery.next_attempt_at - timezone.now()).total_seconds(), 0)
        deliver_webhook.apply_async((delivery_id,), countdown=countdown)
    return delivery.status


@shared_task(name="partners.tasks.deliver_due_webhooks", ignore_result=True)
def deliver_due_webhooks() -> int:
    """Beat sweep: sends whatever is due (a worker that was down catches up here)."""
    return len(webhooks.DELIVERIES.requeue_stuck(timezone.now(), limit=100))
