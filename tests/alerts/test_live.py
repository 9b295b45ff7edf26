"""Live: real `celery worker` and `celery beat` subprocesses on the test database and the test
Redis. Times are real-now-relative (a subprocess cannot be time-travelled): each detention is made
so that its deadline falls a few seconds from now. Polling uses tests.conftest.wait_for."""

import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from alerts.models import Alert, AlertKind, CloseReason
from detentions import services as svc
from tests.conftest import ROOT, wait_for

from .conftest import detain

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

SWEEP_EVERY = 10  # the production default (settings ALERTS_SWEEP_SECONDS)


class Cluster:
    """Workers and beats as subprocesses; every one is terminated at teardown. `redis_url`: the
    Redis they use for everything (broker, results, cache, health records; default the tests')."""

    def __init__(self, tmp_path, redis_url=None, prefix="alerts-live", **env):
        from harbour.celery import app

        self.app = app
        self.tmp = tmp_path
        self.prefix = prefix
        self.procs: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, object] = {}
        db = settings.DATABASES["default"]
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "harbour.settings.test",
            "DATABASE_URL": f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}",
            "TEST_REDIS_URL": redis_url or settings.REDIS_URL,
            "CONN_MAX_AGE": "0",
            "ALERTS_SWEEP_SECONDS": str(SWEEP_EVERY),
            **env,
        }
        app.control.purge()

    def _start(self, name, args):
        artifacts = ROOT / "test-artifacts"
        artifacts.mkdir(exist_ok=True)
        log = open(artifacts / f"{self.prefix}-{name}.log", "w")  # noqa: SIM115 - closed in stop()
        self.logs[name] = log
        self.procs[name] = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "harbour", *args],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def worker(self, name):
        node = self.node(name)
        self._start(
            name,
            ["worker", "--pool=solo", "--loglevel=INFO", "--without-mingle", "--without-gossip"]
            + ["-n", node],
        )
        wait_for(
            lambda: self.procs[name].poll() is not None or self.answers(name),
            timeout=60,
            message=f"worker {name} to answer a ping",
        )
        assert self.procs[name].poll() is None, f"worker {name} exited"

    def answers(self, name) -> bool:
        """The worker answers a ping. This process's own broker connections may be the ones a
        broker restart broke: an error counts as no answer (the next poll reconnects)."""
        try:
            return any(self.node(name) in reply for reply in self.app.control.ping(timeout=0.5))
        except Exception:  # noqa: BLE001
            return False

    def node(self, name) -> str:
        return f"{self.prefix}-{name}-{os.getpid()}@localhost"

    def beat(self, name):
        self._start(
            name,
            [
                "beat",
                "--loglevel=INFO",
                f"--schedule={self.tmp / (name + '.db')}",
                f"--pidfile={self.tmp / (name + '.pid')}",
            ],
        )

    def stop(self, *names):
        for name in names or list(self.procs):
            proc = self.procs.pop(name, None)
            if proc is None:
                continue
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            self.logs.pop(name).close()

    def kill(self, name) -> None:
        """kill -9: no shutdown, nothing acknowledged or restored."""
        proc = self.procs.pop(name)
        proc.kill()
        proc.wait()
        self.logs.pop(name).close()

    def log(self, name) -> str:
        return (ROOT / "test-artifacts" / f"{self.prefix}-{name}.log").read_text()


@pytest.fixture
def cluster(tmp_path):
    c = Cluster(tmp_path)
    try:
        yield c
    finally:
        c.stop()
        c.app.control.purge()


def assert_each_alert_raised_once():
    """No deadline alerted twice, and one creation in history per alert: no sweep wrote a row
    it did not insert."""
    doubled = (
        Alert.objects.values("detention", "kind", "threshold_minutes", "due_at")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert list(doubled) == []
    for alert in Alert.objects.all():
        assert alert.history.filter(history_type="+").count() == 1


def expiring_in(force, place, seconds):
    """A detention whose permitted period ends `seconds` from now (arrived 24 h minus that ago)."""
    now = timezone.now()
    arrived = now - timedelta(hours=24) + timedelta(seconds=seconds)
    return detain(force, at=arrived - timedelta(minutes=20), place=place, now=now)


def test_an_alert_appears_within_30_seconds_of_falling_due(cluster, force, suite):
    cluster.worker("w1")
    cluster.beat("b1")
    d = expiring_in(force, suite, 5)
    alert = wait_for(
        lambda: Alert.objects.filter(detention=d, kind=AlertKind.EXPIRED).first(),
        timeout=40,
        message="the expired alert",
    )
    assert alert.due_at == d.expires_at
    assert timedelta(0) <= alert.raised_at - alert.due_at < timedelta(seconds=30)
    assert alert.history.get().changed_by == "system:alerts.tasks.sweep"


def test_two_workers_and_two_beats_raise_each_alert_once(cluster, force, suite, station):
    for name in ("w1", "w2"):
        cluster.worker(name)
    cluster.beat("b1")
    cluster.beat("b2")
    detentions = [expiring_in(force, suite, s) for s in (2, 4, 6, 8, 10, 12)]
    detentions += [expiring_in(force, station, s) for s in (3, 7, 11)]
    wait_for(
        lambda: Alert.objects.filter(kind=AlertKind.EXPIRED).count() == len(detentions),
        timeout=45,
        message="every expired alert",
    )
    # Let both beats trigger a few more sweeps on both workers.
    deadline = time.monotonic() + 2.5 * SWEEP_EVERY
    wait_for(
        lambda: (
            time.monotonic() > deadline
            and cluster.log("w1").count("alerts.tasks.sweep") >= 2
            and cluster.log("w2").count("alerts.tasks.sweep") >= 2
        ),
        timeout=60,
        message="sweeps on both workers",
    )
    assert_each_alert_raised_once()
    per_detention = Alert.objects.filter(kind=AlertKind.EXPIRED).values("detention").distinct()
    assert per_detention.count() == len(detentions)


def test_after_an_outage_every_missed_alert_is_raised_once_with_its_due_time(cluster, force, suite):
    cluster.worker("w1")
    cluster.beat("b1")
    wait_for(lambda: "alerts.tasks.sweep" in cluster.log("w1"), timeout=30, message="a sweep")
    cluster.stop("b1", "w1")  # the whole worker side is down
    down_at = timezone.now()
    detentions = [expiring_in(force, suite, s) for s in (2, 5, 8)]
    outage_over = time.monotonic() + 15
    wait_for(lambda: time.monotonic() > outage_over, timeout=20, message="the outage to pass")
    assert not Alert.objects.filter(kind=AlertKind.EXPIRED).exists()

    back_at = timezone.now()
    cluster.worker("w1b")
    cluster.beat("b1b")
    wait_for(
        lambda: Alert.objects.filter(kind=AlertKind.EXPIRED).count() == 3,
        timeout=40,
        message="the missed alerts",
    )
    for d in detentions:
        [expired] = Alert.objects.filter(detention=d, kind=AlertKind.EXPIRED)
        assert expired.due_at == d.expires_at  # when it fell due, during the outage
        assert down_at < expired.due_at < back_at <= expired.raised_at
    # More sweeps raise nothing more.
    before = Alert.objects.count()
    seen = cluster.log("w1b").count("alerts.tasks.sweep")
    wait_for(
        lambda: cluster.log("w1b").count("alerts.tasks.sweep") > seen + 1,
        timeout=40,
        message="two more sweeps",
    )
    assert Alert.objects.count() == before


def test_a_late_recorded_welfare_check_closes_its_overdue_alert(cluster, force, station):
    cluster.worker("w1")
    cluster.beat("b1")
    now = timezone.now()
    arrived = now - timedelta(minutes=30) + timedelta(seconds=3)
    d = detain(force, at=arrived - timedelta(minutes=20), place=station, now=now)
    overdue = wait_for(
        lambda: Alert.objects.filter(detention=d, kind=AlertKind.WELFARE_CHECK_OVERDUE).first(),
        timeout=40,
        message="the welfare check overdue alert",
    )
    assert overdue.due_at == d.next_welfare_check_due_at
    svc.record_welfare_check(d, checked_at=timezone.now(), professional_name="RMN Cole")
    closed = wait_for(
        lambda: Alert.objects.filter(pk=overdue.pk, closed_at__isnull=False).first(),
        timeout=40,
        message="the alert to close",
    )
    assert closed.closed_reason == CloseReason.WELFARE_CHECK_RECORDED
    assert not Alert.objects.filter(
        detention=d, kind=AlertKind.WELFARE_CHECK_OVERDUE, closed_at__isnull=True
    ).exists()
