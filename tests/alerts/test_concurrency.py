"""Two sweeps at the same instant on committed data (two threads, two connections): every alert
and every escalation happens exactly once, and history has one row per change."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from alerts.models import Alert, Delivery
from alerts.sweep import sweep

from .conftest import detain

pytestmark = pytest.mark.django_db(transaction=True)


def run_twice_at_once(now):
    barrier = threading.Barrier(2)
    results, errors = [], []

    def one():
        try:
            barrier.wait(timeout=10)
            results.append(sweep(now=now))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=one) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    return results


def test_concurrent_sweeps_raise_and_escalate_each_alert_once(force, station, suite, staffed):
    now = timezone.now()
    for _ in range(5):
        detain(force, at=now - timedelta(hours=24, minutes=30), place=station, now=now)
        detain(force, at=now - timedelta(hours=24, minutes=30), place=suite, now=now)

    raised = run_twice_at_once(now)
    total = Alert.objects.count()
    assert total > 0
    assert sum(len(r.raised) for r in raised) == total
    assert Alert.history.filter(history_type="+").count() == total
    deliveries = Delivery.objects.count()
    assert sum(len(r.deliveries) for r in raised) == deliveries

    later = now + timedelta(minutes=16)
    escalated = run_twice_at_once(later)
    assert sum(len(r.escalated) for r in escalated) == total
    assert set(Alert.objects.values_list("escalation_level", flat=True)) == {1}
    assert Alert.history.filter(history_change_reason="escalated").count() == total
