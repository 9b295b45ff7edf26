"""GOV.UK Notify channels against a Notify-compatible server on loopback (tests/notify_server.py:
a real HTTP server that checks the API key's JWT and the payload): a text message reaches it,
Notify's 4xx is a permanent failure and its 5xx is retried, its callbacks record the final
status, and without Notify set up the Notify channels are unavailable and say so."""

from datetime import timedelta

import jwt
import pytest
import requests
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.services import set_mobile_number
from alerts import services
from alerts.models import Alert, AlertKind, Channel, Delivery
from alerts.sweep import sweep
from alerts.tasks import deliver
from tests import notify_server

from .conftest import detain

pytestmark = pytest.mark.django_db

MOBILE = "+447700900123"
RECEIPTS = "/api/v1/notify/delivery-receipts/"


@pytest.fixture
def sergeant_by_sms(staffed, notify_server):
    """The custody sergeant chose text messages (Notify) only."""
    sergeant = staffed["sergeant"]
    services.set_channels(sergeant, channels=[Channel.NOTIFY_SMS], mobile_number="07700 900123")
    sergeant.refresh_from_db()
    return sergeant


@pytest.fixture
def welfare_due(force, station, staffed):
    now = timezone.now()
    detain(force, at=now - timedelta(minutes=51), place=station, now=now)
    return now


def sms_deliveries():
    return Delivery.objects.filter(channel=Channel.NOTIFY_SMS).order_by("pk")


def test_an_sms_alert_reaches_the_notify_server(sergeant_by_sms, welfare_due, notify_server):
    sweep(now=welfare_due)
    welfare = Alert.objects.get(kind=AlertKind.WELFARE_CHECK_OVERDUE)
    [delivery] = sms_deliveries().filter(alert=welfare)
    assert (delivery.address, delivery.user_id, delivery.status) == (
        MOBILE,
        sergeant_by_sms.pk,
        "pending",
    )
    # Text messages only: the sergeant is not emailed; the inspector (no choice) still is.
    assert not Delivery.objects.filter(alert=welfare, address="sergeant@example.org").exists()
    assert Delivery.objects.filter(
        alert=welfare, channel=Channel.EMAIL, address="inspector@example.org"
    ).exists()

    deliver.apply(args=[delivery.pk])

    [sent] = notify_server.received
    assert sent["phone_number"] == MOBILE
    assert sent["template_id"] == notify_server.settings()["SMS_TEMPLATE_ID"]
    assert sent["reference"] == str(delivery.pk)
    assert "Welfare check overdue" in sent["personalisation"]["message"]
    assert "PS4" in sent["personalisation"]["message"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.error) == ("sent", 1, "")
    assert str(delivery.notify_id) == sent["id"]
    # Claimed once: the task queued again sends nothing more.
    deliver.apply(args=[delivery.pk])
    assert len(notify_server.received) == 1


def test_notify_email_carries_the_subject_and_body(staffed, welfare_due, notify_server):
    services.set_channels(staffed["inspector"], channels=[Channel.NOTIFY_EMAIL])
    sweep(now=welfare_due)
    [delivery] = Delivery.objects.filter(channel=Channel.NOTIFY_EMAIL)
    deliver.apply(args=[delivery.pk])
    [sent] = notify_server.received
    assert sent["email_address"] == "inspector@example.org"
    assert sent["template_id"] == notify_server.settings()["EMAIL_TEMPLATE_ID"]
    assert sent["personalisation"]["subject"].startswith("Welfare check overdue")
    assert "Acknowledge it in Harbour" in sent["personalisation"]["body"]
    assert mail.outbox == []  # not through Harbour's own mail relay


# --- The server is strict: it checks the key's JWT and the payload --------------------------------


def _post(server, token, body, path="/v2/notifications/sms"):
    return requests.post(
        server.url + path,
        json=body,
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )


def _token(secret=notify_server.SECRET_KEY, iss=notify_server.SERVICE_ID, iat=None, alg="HS256"):
    import time

    claims = {"iss": iss, "iat": int(time.time()) if iat is None else iat}
    return jwt.encode(claims, secret, algorithm=alg, headers={"typ": "JWT"})


SMS = {
    "phone_number": "07700900123",
    "template_id": notify_server.SMS_TEMPLATE,
    "personalisation": {"message": "hello"},
}


def test_the_notify_server_refuses_a_bad_token_and_a_bad_payload():
    import time

    server = notify_server.start()
    try:
        assert _post(server, _token(), SMS).status_code == 201
        assert (
            _post(server, _token(secret="another-secret-key-of-some-length"), SMS).status_code
            == 403
        )
        assert _post(server, _token(iss="another-service"), SMS).status_code == 403
        assert _post(server, _token(iat=int(time.time()) - 31), SMS).status_code == 403
        assert _post(server, _token(iat=int(time.time()) + 31), SMS).status_code == 403
        assert _post(server, _token(alg="HS512"), SMS).status_code == 403
        no_token = requests.post(server.url + "/v2/notifications/sms", json=SMS, timeout=5)
        assert no_token.status_code == 401
        assert _post(server, _token(), {**SMS, "phone_number": "01632 960001"}).status_code == 400
        assert _post(server, _token(), {**SMS, "template_id": "nope"}).status_code == 400
        assert _post(server, _token(), {**SMS, "personalisation": {}}).status_code == 400
        email = {**SMS, "template_id": notify_server.EMAIL_TEMPLATE}
        assert _post(server, _token(), email, "/v2/notifications/email").status_code == 400
        assert len(server.received) == 1
        assert [status for status, _ in server.refused] == [403] * 5 + [401] + [400] * 4
    finally:
        server.stop()


# --- Failures: 4xx permanent, 5xx and a dead server retried -------------------------------------


def test_a_notify_4xx_is_a_permanent_failure_not_retried(
    sergeant_by_sms, welfare_due, notify_server, settings
):
    settings.NOTIFY = notify_server.settings(
        API_KEY=f"harbour-{notify_server.service_id}-{'0' * 36}"
    )
    sweep(now=welfare_due)
    [delivery] = sms_deliveries()
    deliver.apply(args=[delivery.pk])
    delivery.refresh_from_db()
    assert delivery.status == "permanent-failure"
    assert delivery.attempts == 1  # not retried: sending again cannot help
    assert "GOV.UK Notify refused it (403)" in delivery.error
    assert notify_server.received == []
    assert [s for s, _ in notify_server.refused] == [403]


def test_a_refused_number_is_a_permanent_failure(staffed, welfare_due, notify_server):
    sergeant = staffed["sergeant"]
    services.set_channels(sergeant, channels=[Channel.NOTIFY_SMS], mobile_number="07700900123")
    sweep(now=welfare_due)
    [delivery] = sms_deliveries()
    notify_server.fail_next(400)  # e.g. Notify's "Can't send to this recipient..."
    deliver.apply(args=[delivery.pk])
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("permanent-failure", 1)
    assert "(400)" in delivery.error


def test_a_notify_5xx_is_retried_with_back_off_until_it_is_accepted(
    sergeant_by_sms, welfare_due, notify_server
):
    sweep(now=welfare_due)
    [delivery] = sms_deliveries()
    notify_server.fail_next(500, times=2)
    deliver.apply(args=[delivery.pk])  # eager: the retries run at once
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.error) == ("sent", 3, "")
    assert len(notify_server.received) == 1
    statuses = [h.status for h in delivery.history.order_by("history_date", "history_id")]
    assert statuses == ["pending", "sending", "failed", "sending", "failed", "sending", "sent"]


def test_notify_unreachable_is_failed_and_retried_then_sent_later(
    sergeant_by_sms, welfare_due, notify_server, settings
):
    sweep(now=welfare_due)
    [delivery] = sms_deliveries()
    settings.NOTIFY = notify_server.settings(BASE_URL="http://127.0.0.1:9")  # nothing listens
    deliver.apply(args=[delivery.pk])
    delivery.refresh_from_db()
    assert delivery.status == "failed"
    assert delivery.attempts == 1 + deliver.max_retries
    assert "503" in delivery.error  # notifications-python-client: a request that failed
    settings.NOTIFY = notify_server.settings()
    deliver.apply(args=[delivery.pk])
    delivery.refresh_from_db()
    assert delivery.status == "sent"
    assert len(notify_server.received) == 1


# --- Notify's callbacks ---------------------------------------------------------------------------


def _callback(token):
    client = APIClient()
    if token:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def sent_sms(sergeant_by_sms, welfare_due, notify_server):
    sweep(now=welfare_due)
    [delivery] = sms_deliveries()
    deliver.apply(args=[delivery.pk])
    delivery.refresh_from_db()
    return delivery, notify_server.received[0]


@pytest.mark.parametrize(
    "status", ["delivered", "permanent-failure", "temporary-failure", "technical-failure"]
)
def test_a_callback_records_the_delivery_status(sent_sms, notify_server, status):
    delivery, notification = sent_sms
    token = notify_server.settings()["CALLBACK_BEARER_TOKEN"]
    response = _callback(token).post(
        RECEIPTS, notify_server.receipt(notification, status), format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"delivery": delivery.pk, "status": status}
    delivery.refresh_from_db()
    assert delivery.status == status
    assert delivery.status_reported_at is not None
    last = delivery.history.latest("history_date", "history_id")
    assert (last.status, last.history_change_reason) == (status, "GOV.UK Notify callback")
    assert last.changed_by == "system:notify-callback"
    # The same callback again changes nothing.
    versions = delivery.history.count()
    again = _callback(token).post(
        RECEIPTS, notify_server.receipt(notification, status), format="json"
    )
    assert again.status_code == 200
    assert delivery.history.count() == versions


def test_a_callback_that_arrives_before_the_answer_is_recorded_stands(
    sergeant_by_sms, welfare_due, notify_server
):
    """Notify may call back before the worker has recorded its answer: the delivery is found by
    our reference, and the worker's `sent` does not overwrite `delivered`."""
    sweep(now=welfare_due)
    [delivery] = sms_deliveries()
    notification = {
        "id": "5a0c7b4e-1f2d-4c3b-9a8e-7d6c5b4a3f21",
        "reference": str(delivery.pk),
        "type": "sms",
        "phone_number": MOBILE,
        "template_id": notify_server.settings()["SMS_TEMPLATE_ID"],
        "created_at": "2026-06-01T08:00:00.000000Z",
    }
    token = notify_server.settings()["CALLBACK_BEARER_TOKEN"]
    response = _callback(token).post(
        RECEIPTS, notify_server.receipt(notification, "delivered"), format="json"
    )
    assert response.status_code == 200
    services.record_sent(delivery.pk, notify_id=notification["id"])
    delivery.refresh_from_db()
    assert delivery.status == "delivered"
    assert str(delivery.notify_id) == notification["id"]


def test_callbacks_without_the_bearer_token_are_refused(sent_sms, notify_server):
    delivery, notification = sent_sms
    body = notify_server.receipt(notification, "delivered")
    assert _callback(None).post(RECEIPTS, body, format="json").status_code == 401
    wrong = _callback("not-the-token").post(RECEIPTS, body, format="json")
    assert wrong.status_code == 401
    assert wrong.json()["errors"][0]["code"] == "authentication_failed"
    delivery.refresh_from_db()
    assert delivery.status == "sent"  # nothing changed


def test_a_callback_for_an_unknown_notification_or_status_is_refused(sent_sms, notify_server):
    delivery, notification = sent_sms
    token = notify_server.settings()["CALLBACK_BEARER_TOKEN"]
    unknown = {**notification, "id": "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e", "reference": None}
    response = _callback(token).post(
        RECEIPTS, notify_server.receipt(unknown, "delivered"), format="json"
    )
    assert response.status_code == 404
    bad = _callback(token).post(
        RECEIPTS,
        {**notify_server.receipt(notification, "delivered"), "status": "lost"},
        format="json",
    )
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["attr"] == "status"
    delivery.refresh_from_db()
    assert delivery.status == "sent"


def test_with_no_callback_token_set_up_every_callback_is_refused(sent_sms, notify_server, settings):
    delivery, notification = sent_sms
    settings.NOTIFY = notify_server.settings(CALLBACK_BEARER_TOKEN="")
    response = _callback("anything").post(
        RECEIPTS, notify_server.receipt(notification, "delivered"), format="json"
    )
    assert response.status_code == 401
    assert "NOTIFY_CALLBACK_BEARER_TOKEN" in response.json()["errors"][0]["detail"]


# --- No Notify set up -----------------------------------------------------------------------------


def test_without_notify_set_up_its_channels_are_refused_with_a_clear_message(staffed, no_notify):
    sergeant = staffed["sergeant"]
    with pytest.raises(Exception) as refused:
        services.set_channels(sergeant, channels=[Channel.NOTIFY_SMS], mobile_number="07700900123")
    assert "GOV.UK Notify is not set up" in str(refused.value)
    assert "NOTIFY_API_KEY" in str(refused.value)
    sergeant.refresh_from_db()
    assert sergeant.mobile_number == ""  # nothing changed
    assert not sergeant.__class__.objects.filter(alert_channels__isnull=False).exists()


def test_a_choice_that_notify_cannot_meet_now_falls_back_to_email(
    sergeant_by_sms, welfare_due, no_notify
):
    """Notify was set up when the sergeant chose text messages, and is not now: the sergeant is
    emailed rather than told nothing."""
    sweep(now=welfare_due)
    welfare = Alert.objects.get(kind=AlertKind.WELFARE_CHECK_OVERDUE)
    channels = set(
        Delivery.objects.filter(alert=welfare, user=sergeant_by_sms).values_list(
            "channel", "address"
        )
    )
    assert channels == {(Channel.EMAIL, "sergeant@example.org")}


def test_a_notify_delivery_when_notify_is_no_longer_set_up_fails_saying_so(
    sergeant_by_sms, welfare_due, settings
):
    sweep(now=welfare_due)
    [delivery] = sms_deliveries()
    settings.NOTIFY = {**settings.NOTIFY, "API_KEY": ""}
    deliver.apply(args=[delivery.pk])
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("permanent-failure", 1)
    assert "GOV.UK Notify is not set up" in delivery.error


def test_the_mobile_number_is_stored_in_one_form(staffed):
    sergeant = staffed["sergeant"]
    for typed in ("07700 900123", "+44 7700 900123", "0044 (0)7700-900-123", "447700900123"):
        set_mobile_number(sergeant, typed)
        sergeant.refresh_from_db()
        assert sergeant.mobile_number == MOBILE


def test_a_failure_after_notify_s_callback_keeps_the_callback_s_status(sent_sms, notify_server):
    """The worker's request timed out after Notify had accepted the message, and Notify's
    callback came first: the delivery stays delivered and is not sent again."""
    delivery, notification = sent_sms
    token = notify_server.settings()["CALLBACK_BEARER_TOKEN"]
    _callback(token).post(RECEIPTS, notify_server.receipt(notification, "delivered"), format="json")
    recorded = services.record_failure(delivery.pk, "ReadTimeout: ...", permanent=False)
    assert recorded.status == "delivered"


def test_a_mobile_number_typed_in_the_admin_is_stored_in_one_form(staffed):
    sergeant = staffed["sergeant"]
    sergeant.mobile_number = "07700 900 123"
    sergeant.full_clean()
    assert sergeant.mobile_number == MOBILE
    sergeant.mobile_number = "01632 960001"
    with pytest.raises(ValidationError) as refused:
        sergeant.full_clean()
    assert list(refused.value.message_dict) == ["mobile_number"]
