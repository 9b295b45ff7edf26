"""A worker survives its broker's restart (issue 18, item 4). Reproduces the crash found in the
field: the redis-server broker is killed under a live worker holding unacknowledged messages
(tasks with a countdown, as webhook and email retries are), then started again; Celery 5.7 then
stopped the worker with `Unrecoverable error: AttributeError("'NoneType' object has no attribute
'hostname'")` while "Restoring 3 unacknowledged message(s)". With harbour.celery.Consumer it
reconnects and runs tasks again."""

import pytest

from core import health
from tests.alerts.test_live import Cluster
from tests.conftest import wait_for

from .redis_server import celery_broker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def test_a_worker_reconnects_after_its_broker_is_killed_and_restarted(own_redis, tmp_path):
    from core.tasks import heartbeat

    with celery_broker(own_redis.url()):
        cluster = Cluster(tmp_path, redis_url=own_redis.url(), prefix="broker-restart")
        try:
            cluster.worker("w1")
            for _ in range(3):  # held by the worker, unacknowledged, until their countdown
                heartbeat.apply_async(countdown=600)
            wait_for(
                lambda: cluster.log("w1").count("core.tasks.heartbeat[") == 3,
                timeout=30,
                message="the worker to hold three messages",
            )
            own_redis.kill()
            wait_for(
                lambda: "Connection to broker lost" in cluster.log("w1"),
                timeout=30,
                message="the worker to notice",
            )
            own_redis.start()
            # It reconnects (answers a ping) and runs a task sent after the restart.
            wait_for(
                lambda: cluster.procs["w1"].poll() is not None or cluster.answers("w1"),
                timeout=60,
                message="the worker to answer a ping after the restart",
            )
            log = cluster.log("w1")
            assert cluster.procs["w1"].poll() is None, log[-3000:]
            assert "Unrecoverable error" not in log
            heartbeat.delay()
            wait_for(
                lambda: own_redis.client().get(health.HEARTBEAT_KEY),
                timeout=30,
                message="a task to run after the restart",
            )
        finally:
            cluster.stop()
