import time

import pytest

from core import health

pytestmark = pytest.mark.django_db


def test_healthz_is_200_when_database_redis_worker_and_sweep_are_up(client):
    health.record_heartbeat()
    health.record_sweep()
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["database"], body["redis"], body["worker"], body["down"]) == ("ok", "ok", "ok", [])
    assert 0 <= body["sweep"] < 5


def test_healthz_is_503_naming_redis_when_redis_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["redis"].startswith("down")
    # Redis is named as the cause; what cannot be checked without it is `unknown`, not down.
    assert body["down"] == ["redis"]
    assert body["unknown"] == ["sweep", "worker"]
    assert body["worker"] == body["sweep_state"] == "unknown: redis is down"


def test_healthz_is_503_when_no_worker_has_beaten_recently(client, settings):
    health.redis_client().delete(health.HEARTBEAT_KEY)
    health.record_sweep()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["worker"]


def test_healthz_reports_seconds_since_the_last_completed_sweep(client):
    health.record_heartbeat()
    health.redis_client().set(health.SWEEP_KEY, str(time.time() - 42))
    body = client.get("/healthz").json()
    assert 41 <= body["sweep"] < 50
    assert body["down"] == []


def test_healthz_is_503_naming_the_sweep_when_older_than_a_minute(client):
    health.record_heartbeat()
    health.redis_client().set(health.SWEEP_KEY, str(time.time() - 61))
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["sweep"]
    assert body["sweep"] >= 61
    assert body["sweep_state"].startswith("down")


def test_healthz_is_503_when_no_sweep_ever_completed(client):
    health.record_heartbeat()
    health.redis_client().delete(health.SWEEP_KEY)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["sweep"]
    assert response.json()["sweep"] is None


def test_healthz_needs_no_sign_in(client):
    assert client.get("/healthz").status_code in (200, 503)
