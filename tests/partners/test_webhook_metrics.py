"""/metrics counts every failed webhook delivery attempt (a real receiver on loopback answering
500) and the deliveries given up."""

import pytest
from prometheus_client.parser import text_string_to_metric_families

from core import health, metrics
from partners import webhooks
from partners.models import WebhookDelivery

from .conftest import T0
from .test_webhooks import Receiver

pytestmark = pytest.mark.django_db
TOKEN = "metrics-token-for-the-tests-0123456789"


def value(client, name) -> float:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    for family in text_string_to_metric_families(response.content.decode()):
        for s in family.samples:
            if s.name == name:
                return s.value
    raise AssertionError(f"{name} not in /metrics")


def test_failed_attempts_and_given_up_deliveries(client, settings, send, partner_org):
    settings.HARBOUR_OPS = {**settings.HARBOUR_OPS, "METRICS_TOKEN": TOKEN}
    settings.HARBOUR = {**settings.HARBOUR, "WEBHOOK_MAX_ATTEMPTS": 2}
    health.redis_client().delete(metrics.COUNTERS_KEY)
    with Receiver(statuses=[500, 502]) as receiver:
        webhooks.create_subscription(
            partner_org, name="Case system", url=receiver.url, events=["referral.created"]
        )
        send(now=T0)
        delivery = WebhookDelivery.objects.get()
        assert value(client, "harbour_webhook_delivery_failures_total") == 0
        webhooks.deliver(delivery.pk, now=T0)
        assert value(client, "harbour_webhook_delivery_failures_total") == 1
        assert value(client, "harbour_webhook_deliveries_given_up") == 0
        delivery.refresh_from_db()
        webhooks.deliver(delivery.pk, now=delivery.next_attempt_at)
    assert value(client, "harbour_webhook_delivery_failures_total") == 2
    assert value(client, "harbour_webhook_deliveries_given_up") == 1
