"""The fault suite (issue 18, item 8): two workers and two beats on a redis-server broker the
test owns; deadlines fall due throughout while a worker is killed (-9) in the middle of a sweep
and the broker is killed and started again (losing every queued message: no persistence, as in
docker-compose.yml). At the end: no alert raised twice, none missed, every `due_at` the instant
the deadline fell, every email (written to files by the workers) sent exactly once, and a
welfare check met late during the broker outage left its trace (`satisfied_late`).

Bounded: every wait polls with a timeout (tests.conftest.wait_for); the deadlines are placed a
few seconds ahead of each phase, so the suite takes about a minute and a half."""

import re
from collections import Counter
from datetime import timedelta
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from django.db import connection
from django.utils import timezone

from alerts.models import Alert, AlertKind, CloseReason, Delivery
from alerts.render import email_for
from core.tasks import heartbeat
from detentions import services as svc
from detentions.models import Detention
from tests.conftest import wait_for
from tests.faults.redis_server import celery_broker

from .conftest import detain
from .test_live import Cluster, assert_each_alert_raised_once, expiring_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

SWEEP_EVERY = 2


def in_sweep(cluster, name) -> bool:
    """The worker's latest sweep was received and has not finished (a solo pool: it is in it)."""
    log = cluster.log(name)
    ids = re.findall(r"alerts\.tasks\.sweep\[([0-9a-f-]+)\] received", log)
    return bool(ids) and f"alerts.tasks.sweep[{ids[-1]}] succeeded" not in log


def blocked_by(pid) -> list[str]:
    """The statements of the sessions waiting for a lock that session `pid` holds."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT left(query, 60) FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))",
            [pid],
        )
        return [row[0] for row in cursor.fetchall()]


def emails_sent(path) -> Counter:
    """(to, subject) of every message the workers' file email backend wrote."""
    sent = Counter()
    for f in path.glob("*.log"):
        for chunk in f.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                msg = message_from_bytes(chunk)
                sent[(msg["To"], str(make_header(decode_header(msg["Subject"]))))] += 1
    return sent


def passed(instant):
    return lambda: timezone.now() > instant


def test_no_alert_doubled_or_missed_and_every_email_sent_once_under_faults(
    own_redis, tmp_path, force, suite, station, staffed
):
    mail = tmp_path / "mail"
    mail.mkdir()
    with celery_broker(own_redis.url()):
        cluster = Cluster(
            tmp_path,
            redis_url=own_redis.url(),
            prefix="faults",
            ALERTS_SWEEP_SECONDS=str(SWEEP_EVERY),
            ALERTS_REQUEUE_PENDING_SECONDS="5",
            ALERTS_REQUEUE_SENDING_SECONDS="30",
            TEST_EMAIL_FILE_PATH=str(mail),
        )
        try:
            _run(cluster, own_redis, force, suite, station, mail)
        finally:
            cluster.stop()


def _run(cluster, own_redis, force, suite, station, mail):
    for name in ("w1", "w2"):
        cluster.worker(name)
    cluster.beat("b1")
    cluster.beat("b2")

    # 1. Normal running: deadlines fall due a few seconds apart.
    first = [expiring_in(force, suite, s) for s in (2, 4, 6)]
    wait_for(
        lambda: (
            Alert.objects.filter(kind=AlertKind.EXPIRED).count() == len(first)
            and not Delivery.objects.exclude(status=Delivery.Status.SENT).exists()
        ),
        timeout=40,
        message="the first expired alerts, sent",
    )

    # 2. A worker killed (-9) in the middle of a sweep: another session holds a lock that stops
    # every sweep at its insert of deliveries, inside the transaction that raised the alerts.
    lock = connection.get_new_connection(connection.get_connection_params())
    try:
        lock_pid = lock.execute("SELECT pg_backend_pid()").fetchone()[0]
        lock.execute("LOCK TABLE alerts_delivery IN SHARE ROW EXCLUSIVE MODE")
        second = [expiring_in(force, suite, s) for s in (3, 4)]
        try:
            wait_for(
                lambda: (
                    # (The insert opens the statement, or its first CTE: `WITH ins AS (INSERT
                    # INTO "alerts_delivery" ... RETURNING *), history AS (...)`.)
                    any('INSERT INTO "alerts_delivery"' in q for q in blocked_by(lock_pid))
                    and any(in_sweep(cluster, w) for w in ("w1", "w2"))
                ),
                timeout=40,
                message="a sweep stopped mid-way",
            )
        except AssertionError as exc:
            states = {w: in_sweep(cluster, w) for w in ("w1", "w2")}
            raise AssertionError(f"{exc}: {states} {blocked_by(lock_pid)}") from exc
        victim = next(w for w in ("w1", "w2") if in_sweep(cluster, w))
        cluster.kill(victim)
    finally:
        lock.rollback()  # the victim's transaction dies with its connection
        lock.close()

    # 3. The broker killed and started again while the surviving worker holds unacknowledged
    # messages (the crash of issue 18); deadlines fall due meanwhile, and a welfare check falls
    # due and is made late before any sweep can run.
    survivor = "w2" if victim == "w1" else "w1"
    held = [heartbeat.apply_async(countdown=600).id for _ in range(2)]
    wait_for(
        lambda: all(f"core.tasks.heartbeat[{i}] received" in cluster.log(survivor) for i in held),
        timeout=30,
        message="the survivor to hold unacknowledged messages",
    )
    own_redis.kill()
    third = [expiring_in(force, suite, s) for s in (2, 4)]
    now = timezone.now()
    arrived = now - timedelta(minutes=30) + timedelta(seconds=2)
    at_station = detain(force, at=arrived - timedelta(minutes=20), place=station, now=now)
    welfare_due = at_station.next_welfare_check_due_at
    wait_for(passed(welfare_due + timedelta(seconds=1)), timeout=10, message="the check to be late")
    svc.record_welfare_check(at_station, checked_at=timezone.now(), professional_name="RMN Cole")
    wait_for(passed(third[-1].expires_at), timeout=15, message="the outage's deadlines to pass")
    own_redis.start()
    cluster.worker(victim + "-restarted")  # as `make run` or compose would restart it

    # 4. After the restart.
    fourth = [expiring_in(force, suite, s) for s in (2, 4)]
    detentions = first + second + third + fourth
    wait_for(
        lambda: (
            Alert.objects.filter(kind=AlertKind.EXPIRED).count() == len(detentions)
            and Alert.objects.filter(closed_reason=CloseReason.SATISFIED_LATE).exists()
            and not Delivery.objects.exclude(status=Delivery.Status.SENT).exists()
        ),
        timeout=90,
        message="every alert raised and every email sent",
    )
    # Let a few more sweeps run on the surviving workers: nothing more is raised or sent.
    settled = Alert.objects.count(), Delivery.objects.count()
    seen = cluster.log(victim + "-restarted").count("alerts.tasks.sweep[")
    wait_for(
        lambda: cluster.log(victim + "-restarted").count("alerts.tasks.sweep[") >= seen + 4,
        timeout=30,
        message="more sweeps",
    )
    assert (Alert.objects.count(), Delivery.objects.count()) == settled

    # 0 duplicates (one creation in history per alert too), 0 missed, true due instants.
    assert_each_alert_raised_once()
    for d in Detention.objects.filter(pk__in=[d.pk for d in detentions]):
        [expired] = Alert.objects.filter(detention=d, kind=AlertKind.EXPIRED)
        assert expired.due_at == d.expires_at
        assert expired.raised_at >= expired.due_at
    for warning in Alert.objects.filter(kind=AlertKind.EXPIRY_WARNING):
        expires = warning.detention.expires_at
        assert warning.due_at == expires - timedelta(minutes=warning.threshold_minutes)
    [late] = Alert.objects.filter(detention=at_station, kind=AlertKind.WELFARE_CHECK_OVERDUE)
    assert (late.due_at, late.closed_reason) == (welfare_due, CloseReason.SATISFIED_LATE)

    # Every email sent exactly once: one message per delivery, none twice.
    deliveries = Delivery.objects.select_related("alert", "alert__detention")
    expected = Counter((d.address, email_for(d.alert)[0]) for d in deliveries)
    assert len(expected) == deliveries.count() > 0
    assert emails_sent(mail) == expected
    # The workers that were not killed came through the broker restart.
    for name, proc in cluster.procs.items():
        assert proc.poll() is None, name
        assert "Unrecoverable error" not in cluster.log(name)
