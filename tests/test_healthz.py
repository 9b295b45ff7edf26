import pytest

from core import health

pytestmark = pytest.mark.django_db


def test_healthz_is_200_when_database_redis_and_worker_are_up(client):
    health.record_heartbeat()
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["database"], body["redis"], body["worker"], body["down"]) == ("ok", "ok", "ok", [])


def test_healthz_is_503_naming_redis_when_redis_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["redis"].startswith("down")
    assert "redis" in body["down"]


def test_healthz_is_503_when_no_worker_has_beaten_recently(client, settings):
    health.redis_client().delete(health.HEARTBEAT_KEY)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["worker"]


def test_healthz_needs_no_sign_in(client):
    assert client.get("/healthz").status_code in (200, 503)
