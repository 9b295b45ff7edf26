"""Live: a real `celery worker` subprocess sends an alert text message to the Notify-compatible
server on loopback (tests/notify_server.py, in this process). The message published on commit
is lost (the queue purged, as a broker restart would), the beat sweep's re-queue finds the
pending delivery, Notify answers 503 to the first attempt and the worker's retry is accepted;
Notify's callback then records it delivered."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from alerts import services
from alerts.models import Channel, Delivery
from alerts.sweep import sweep
from tests.conftest import wait_for

from .conftest import detain
from .test_live import Cluster

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


@pytest.fixture
def notify_cluster(tmp_path, notify_server):
    cfg = notify_server.settings()
    c = Cluster(
        tmp_path,
        prefix="notify-worker",
        NOTIFY_API_KEY=cfg["API_KEY"],
        NOTIFY_BASE_URL=cfg["BASE_URL"],
        NOTIFY_SMS_TEMPLATE_ID=cfg["SMS_TEMPLATE_ID"],
        NOTIFY_EMAIL_TEMPLATE_ID=cfg["EMAIL_TEMPLATE_ID"],
    )
    try:
        yield c
    finally:
        c.stop()
        c.app.control.purge()


def test_the_worker_sends_the_sms_through_notify_retrying_a_503(
    notify_cluster, notify_server, force, station, staffed
):
    services.set_channels(
        staffed["sergeant"], channels=[Channel.NOTIFY_SMS], mobile_number="07700900123"
    )
    now = timezone.now()
    detain(force, at=now - timedelta(minutes=51), place=station, now=now)
    sweep(now=now)  # the welfare check is overdue: deliveries written, queued on commit
    [sms] = Delivery.objects.filter(channel=Channel.NOTIFY_SMS)
    notify_cluster.app.control.purge()  # the messages are lost (as in a broker restart)

    notify_cluster.worker("w1")
    notify_server.fail_next(503)
    # The beat's next sweeps re-queue what is still pending after ALERTS["REQUEUE_PENDING_AFTER"].
    sweep(now=now + timedelta(minutes=3))

    sent = wait_for(
        lambda: Delivery.objects.filter(pk=sms.pk, status="sent").first(),
        timeout=60,
        message="the text message accepted by Notify",
    )
    assert sent.attempts == 2  # 503 first, then the retry
    [message] = notify_server.received
    assert message["phone_number"] == "+447700900123"
    assert message["reference"] == str(sms.pk)
    assert str(sent.notify_id) == message["id"]
    assert [status for status, _ in notify_server.refused] == [503]
    statuses = [h.status for h in sent.history.order_by("history_date", "history_id")]
    assert statuses == ["pending", "sending", "failed", "sending", "sent"]

    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Bearer {notify_server.settings()['CALLBACK_BEARER_TOKEN']}"
    )
    response = client.post(
        "/api/v1/notify/delivery-receipts/",
        notify_server.receipt(message, "delivered"),
        format="json",
    )
    assert response.status_code == 200
    sent.refresh_from_db()
    assert sent.status == "delivered"
