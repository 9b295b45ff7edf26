"""Email delivery: a Delivery row written (pending) in the transaction that raised the alert,
sent by a separate task, updated after with status, attempts and any error."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from alerts.models import Alert, AlertKind, Delivery
from alerts.sweep import sweep
from alerts.tasks import deliver

from .conftest import detain

pytestmark = pytest.mark.django_db


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP relay refused the connection")


@pytest.fixture
def welfare_due(force, station, staffed):
    now = timezone.now()
    detain(force, at=now - timedelta(minutes=51), place=station, now=now)
    return now


def test_raising_writes_pending_deliveries_to_the_addressed_people_before_sending(
    welfare_due, staffed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        result = sweep(now=welfare_due)
    welfare = Alert.objects.get(kind=AlertKind.WELFARE_CHECK_OVERDUE)
    rows = Delivery.objects.filter(alert=welfare)
    assert {d.address for d in rows} == {"sergeant@example.org", "inspector@example.org"}
    assert {(d.status, d.attempts) for d in rows} == {("pending", 0)}
    assert mail.outbox == []  # nothing is sent inside the sweep's transaction
    assert set(result.deliveries) >= {d.pk for d in rows}
    assert callbacks  # sending is queued only once the transaction has committed


def test_the_delivery_task_sends_the_email_and_records_it(welfare_due, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sweep(now=welfare_due)
    delivery = Delivery.objects.get(
        address="sergeant@example.org", alert__kind="welfare_check_overdue"
    )
    deliver.apply(args=[delivery.pk])
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.error) == ("sent", 1, "")
    assert delivery.sent_at is not None
    [message] = [m for m in mail.outbox if m.to == ["sergeant@example.org"]]
    assert "Welfare check overdue" in message.subject
    # Delivered once: a repeated task does not send again.
    deliver.apply(args=[delivery.pk])
    assert len([m for m in mail.outbox if m.to == ["sergeant@example.org"]]) == 1
    assert [h.status for h in delivery.history.order_by("history_date", "history_id")] == [
        "pending",
        "sending",
        "sent",
    ]


def test_a_failed_send_is_recorded_with_the_error_and_retried(welfare_due, settings):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenBackend"
    sweep(now=welfare_due)
    delivery = Delivery.objects.filter(alert__kind="welfare_check_overdue").first()
    deliver.apply(args=[delivery.pk])  # eager: every retry runs at once
    delivery.refresh_from_db()
    assert delivery.status == "failed"
    assert delivery.attempts == 1 + deliver.max_retries  # each attempt counted
    assert "SMTP relay refused" in delivery.error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    deliver.apply(args=[delivery.pk])
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.error) == (
        "sent",
        2 + deliver.max_retries,
        "",
    )


def test_escalation_writes_deliveries_for_the_next_level_only(welfare_due, staffed):
    sweep(now=welfare_due)
    before = set(Delivery.objects.values_list("address", flat=True))
    later = welfare_due + timedelta(minutes=16)
    import time_machine

    with time_machine.travel(later, tick=False):
        sweep(now=later)
    welfare = Alert.objects.get(kind=AlertKind.WELFARE_CHECK_OVERDUE)
    escalated = set(
        Delivery.objects.filter(alert=welfare, escalation_level=1).values_list("address", flat=True)
    )
    assert escalated == {"superintendent@example.org", "mhlead@midshire.police.example"}
    assert "sergeant@example.org" in before
