"""Legal deadline alerts repeat every ALERTS["REPEAT_EVERY"] (10 min) until acknowledged, to
everyone they are addressed to, by each person's channels; other alerts are told once. Each
repeat is sent once however many sweeps run (the unique constraint `alert_repeat_once`), and
acknowledging stops the repeats at once (a repeat not sent yet is cancelled)."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from alerts import services
from alerts.models import (
    LEGAL_DEADLINE_KINDS,
    Alert,
    AlertKind,
    AlertRepeat,
    Channel,
    CloseReason,
    Delivery,
)
from alerts.sweep import sweep
from alerts.tasks import deliver
from detentions import services as svc

from .conftest import detain

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
ARRIVED = T0 + timedelta(minutes=20)
RAISED = ARRIVED + timedelta(minutes=31)  # the welfare check was due at ARRIVED + 30 min


def at(t):
    return time_machine.travel(t, tick=False)


def sweep_at(t):
    with at(t):
        return sweep(now=t)


@pytest.fixture
def at_station(force, station, staffed, notify_server):
    """A detention at a police station; the sergeant is told by text message (Notify)."""
    services.set_channels(
        staffed["sergeant"], channels=[Channel.NOTIFY_SMS], mobile_number="07700900123"
    )
    with at(T0 + timedelta(minutes=21)):
        return detain(force, at=T0, place=station)


def welfare_alert():
    return Alert.objects.get(kind=AlertKind.WELFARE_CHECK_OVERDUE)


def repeats_of(alert):
    return list(alert.repeats.values_list("number", flat=True))


def test_the_legal_deadline_kinds_are_the_law_s_deadlines():
    assert {
        AlertKind.EXPIRY_WARNING,
        AlertKind.EXPIRED,
        AlertKind.WELFARE_CHECK_OVERDUE,
        AlertKind.REVIEW_OVERDUE,
        AlertKind.TRANSFER_REQUIRED,
    } == LEGAL_DEADLINE_KINDS


def test_a_welfare_check_alert_repeats_by_sms_until_acknowledged(at_station, notify_server):
    sweep_at(RAISED)
    alert = welfare_alert()
    assert alert.raised_at == RAISED
    first = set(Delivery.objects.filter(alert=alert).values_list("channel", "address", "repeat"))
    assert first == {
        (Channel.NOTIFY_SMS, "+447700900123", 0),
        ("email", "inspector@example.org", 0),
    }

    sweep_at(RAISED + timedelta(minutes=9, seconds=59))
    assert repeats_of(alert) == []  # not yet

    result = sweep_at(RAISED + timedelta(minutes=10))
    assert repeats_of(alert) == [1]
    assert len(result.repeated) == 1
    repeat1 = Delivery.objects.filter(alert=alert, repeat=1)
    assert set(repeat1.values_list("channel", "address")) == {
        (Channel.NOTIFY_SMS, "+447700900123"),
        ("email", "inspector@example.org"),
    }
    sms = repeat1.get(channel=Channel.NOTIFY_SMS)
    with at(RAISED + timedelta(minutes=10, seconds=5)):
        deliver.apply(args=[sms.pk])
    [message] = notify_server.received
    assert message["phone_number"] == "+447700900123"
    assert "REPEAT 1, NOT YET ACKNOWLEDGED" in message["personalisation"]["message"]
    assert "Welfare check overdue" in message["personalisation"]["message"]

    sweep_at(RAISED + timedelta(minutes=15))  # escalated: superintendent and MH lead added
    sweep_at(RAISED + timedelta(minutes=20))
    assert repeats_of(alert) == [1, 2]
    # The second repeat goes to everyone the alert is now addressed to (after escalation).
    assert set(
        Delivery.objects.filter(alert=alert, repeat=2).values_list("address", flat=True)
    ) == {
        "+447700900123",
        "inspector@example.org",
        "superintendent@example.org",
        "mhlead@midshire.police.example",
    }

    with at(RAISED + timedelta(minutes=21)):
        services.acknowledge(alert, by="sergeant")
    # A repeat written but not sent is cancelled at once, and none follows.
    assert set(Delivery.objects.filter(alert=alert, repeat=2).values_list("status", flat=True)) == {
        "cancelled"
    }
    for minutes in (30, 40, 50):
        sweep_at(RAISED + timedelta(minutes=minutes))
    assert repeats_of(alert) == [1, 2]
    pending = Delivery.objects.filter(alert=alert, repeat=2).first()
    with at(RAISED + timedelta(minutes=51)):
        assert deliver.apply(args=[pending.pk]).result == "not claimable"
    assert len(notify_server.received) == 1


def test_a_repeat_claimed_after_the_alert_closed_is_cancelled_not_sent(at_station, notify_server):
    sweep_at(RAISED)
    sweep_at(RAISED + timedelta(minutes=10))
    alert = welfare_alert()
    sms = Delivery.objects.get(alert=alert, repeat=1, channel=Channel.NOTIFY_SMS)
    with at(RAISED + timedelta(minutes=11)):
        svc.record_welfare_check(
            at_station,
            checked_at=RAISED + timedelta(minutes=11),
            professional_name="RMN Cole",
        )
        sweep(now=RAISED + timedelta(minutes=11))
    alert.refresh_from_db()
    assert alert.closed_reason == CloseReason.WELFARE_CHECK_RECORDED
    with at(RAISED + timedelta(minutes=12)):
        assert deliver.apply(args=[sms.pk]).result == "cancelled"
    sms.refresh_from_db()
    assert sms.status == "cancelled"
    assert notify_server.received == []
    sweep_at(RAISED + timedelta(minutes=20))
    assert repeats_of(alert) == [1]  # a closed alert does not repeat


def test_each_repeat_is_written_once_however_often_the_sweep_runs(at_station):
    sweep_at(RAISED)
    later = RAISED + timedelta(minutes=10)
    sweep_at(later)
    sweep_at(later)
    sweep_at(later + timedelta(seconds=10))
    alert = welfare_alert()
    assert repeats_of(alert) == [1]
    assert Delivery.objects.filter(alert=alert, repeat=1).count() == 2  # SMS + inspector email
    assert AlertRepeat.history.filter(alert_id=alert.pk, history_type="+").count() == 1


def test_after_an_outage_one_repeat_is_sent_numbered_by_the_schedule(at_station):
    sweep_at(RAISED)
    sweep_at(RAISED + timedelta(minutes=35))  # no sweep for 35 minutes
    alert = welfare_alert()
    [repeat] = alert.repeats.all()
    assert (repeat.number, repeat.due_at) == (3, RAISED + timedelta(minutes=30))
    sweep_at(RAISED + timedelta(minutes=40))
    assert repeats_of(alert) == [3, 4]


def test_targets_and_other_alerts_are_told_once(force, suite, staffed):
    """A missed handover target (A4) is a good-practice target, not a legal deadline."""
    with at(T0 + timedelta(minutes=21)):
        detain(force, at=T0, place=suite)
    due = ARRIVED + timedelta(hours=1, minutes=1)
    sweep_at(due)
    handover = Alert.objects.get(kind=AlertKind.HANDOVER_TARGET_MISSED)
    for minutes in (10, 20, 30, 60):
        sweep_at(due + timedelta(minutes=minutes))
    assert repeats_of(handover) == []
    assert not Delivery.objects.filter(alert=handover, repeat__gt=0).exists()


def test_repeats_can_be_switched_off(at_station, settings):
    settings.ALERTS = {**settings.ALERTS, "REPEAT_EVERY": timedelta(0)}
    sweep_at(RAISED)
    sweep_at(RAISED + timedelta(minutes=30))
    assert repeats_of(welfare_alert()) == []


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_write_each_repeat_once(force, station, staffed):
    now = timezone.now()
    detain(force, at=now - timedelta(minutes=70), place=station, now=now)  # welfare due now-20
    sweep(now=now - timedelta(minutes=11))
    alert = welfare_alert()

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
    assert repeats_of(alert) == [1]
    assert sum(len(r.repeated) for r in results) == 1
    repeated = Delivery.objects.filter(alert=alert, repeat=1)
    assert repeated.count() == 2
    assert {d for r in results for d in r.deliveries} >= set(repeated.values_list("pk", flat=True))
