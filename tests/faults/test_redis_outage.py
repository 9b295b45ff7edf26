"""Degrade, never fail, without Redis (issue 18, item 3). A redis-server of the test's own holds
the cache (API throttle counts, session copies), the health records and the Celery broker; the
test stops it and the API and pages keep reading and writing: reads answer, a welfare check
posted through the API is saved (201), a referral whose webhook cannot be queued is saved and
queued by the beat sweep once Redis is back, sessions sign in and out, and /healthz names Redis
as what is down."""

import logging
from datetime import timedelta

import pytest
import redis
from django.urls import reverse
from django.utils import timezone

from detentions.models import WelfareCheck
from partners.models import Referral, WebhookDelivery, WebhookSubscription
from places_of_safety.models import PlaceOfSafety
from tests.alerts.conftest import detain
from tests.conftest import PASSWORD

from .redis_server import celery_broker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def redis_of_our_own(own_redis, settings):
    """Everything that lives in Redis, in the test's own redis-server."""
    settings.REDIS_URL = own_redis.url(0)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": own_redis.url(1),
            "KEY_PREFIX": "outage",
            "OPTIONS": settings.CACHE_OPTIONS,
        }
    }
    settings.SESSION_ENGINE = "core.sessions"  # production's: Redis in front of the database
    with celery_broker(own_redis.url(2)):
        yield own_redis


@pytest.fixture
def detention(force):
    station = PlaceOfSafety.objects.create(
        name="Castleford custody", kind="police_station", organisation=force, capacity=20
    )
    return detain(force, at=timezone.now() - timedelta(minutes=30), place=station)


def iso(dt):
    return dt.isoformat()


def test_the_api_reads_and_writes_while_redis_is_down(
    redis_of_our_own, force, detention, api_for, caplog
):
    api = api_for(force, "detentions:read", "detentions:write")
    assert api.get("/api/v1/detentions/").status_code == 200  # throttle counted in Redis
    redis_of_our_own.stop()

    with caplog.at_level(logging.WARNING, logger="harbour.cache"):
        assert api.get("/api/v1/detentions/").status_code == 200
        assert api.get(f"/api/v1/detentions/{detention.pk}/").status_code == 200
        response = api.post(
            f"/api/v1/detentions/{detention.pk}/welfare-checks/",
            {"checked_at": iso(timezone.now() - timedelta(minutes=1)), "professional_name": "N"},
            format="json",
            HTTP_IDEMPOTENCY_KEY="outage-1",
        )
    assert response.status_code == 201, response.content
    assert WelfareCheck.objects.filter(detention=detention, professional_name="N").exists()
    assert any("API throttling carries on" in r.getMessage() for r in caplog.records)


def test_a_task_that_cannot_be_queued_does_not_fail_the_request_and_is_queued_later(
    redis_of_our_own, force, partner_org, detention, api_for
):
    WebhookSubscription.objects.create(
        organisation=partner_org,
        name="Case system",
        url="https://127.0.0.1:9/",
        secret="s" * 32,
        events=["referral.created"],
    )
    api = api_for(force, "referrals:read", "referrals:write")
    redis_of_our_own.stop()
    response = api.post(
        "/api/v1/referrals/",
        {
            "person": detention.person_id,
            "incident": None,
            "detention": detention.pk,
            "to_organisation": partner_org.slug,
            "service": "liaison_diversion",
            "reason": "Frequent crisis calls",
            "urgency": "urgent",
            "consent": "given",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Referral.objects.filter(pk=response.json()["id"]).exists()
    [delivery] = WebhookDelivery.objects.filter(event="referral.created")
    assert delivery.status == "pending"  # the outbox row is the truth

    # Redis is back: the beat sweep queues what the request could not.
    redis_of_our_own.start()
    from partners.tasks import deliver_due_webhooks

    assert deliver_due_webhooks() >= 1
    broker = redis.Redis.from_url(redis_of_our_own.url(2))
    assert broker.llen("celery") >= 1


def test_pages_and_sessions_work_while_redis_is_down(
    redis_of_our_own, client, officer, sergeant, detention
):
    client.post(reverse("login"), {"username": sergeant.username, "password": PASSWORD})
    assert client.get("/").status_code == 200
    redis_of_our_own.stop()

    for path in ("/", f"/detentions/{detention.pk}/", "/detentions/", "/alerts/"):
        assert client.get(path).status_code == 200, path
    assert client.post(reverse("logout")).status_code == 302
    response = client.post(reverse("login"), {"username": officer.username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    assert client.get("/").context["user"] == officer


def test_healthz_names_redis_as_what_is_down(redis_of_our_own, client):
    redis_of_our_own.stop()
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["down"] == ["redis"]
    assert body["unknown"] == ["sweep", "worker"]


def test_an_export_requested_while_the_broker_is_down_is_queued_by_the_sweep_and_built_once(
    redis_of_our_own, force, make_user
):
    from accounts.roles import Role
    from reporting.models import Export, ExportStatus
    from reporting.services import request_export
    from reporting.tasks import run_export, run_queued_exports

    analyst = make_user("npulead", force, Role.NPU_LEAD)
    redis_of_our_own.stop()
    today = timezone.localdate().isoformat()
    export = request_export(
        user=analyst,
        organisation_id=force.pk,
        kind="incidents",
        params={"date_from": today, "date_to": today, "npu": None, "category": ""},
    )
    assert Export.objects.get(pk=export.pk).status == ExportStatus.QUEUED

    redis_of_our_own.start()
    assert run_queued_exports(older_than_seconds=0) == 1
    assert redis.Redis.from_url(redis_of_our_own.url(2)).llen("celery") == 1
    run_export(export.pk)
    run_export(export.pk)  # the message queued twice: claimed once
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE
    assert export.history.filter(status=ExportStatus.DONE).count() == 1
