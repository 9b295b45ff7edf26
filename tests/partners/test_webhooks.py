"""Webhooks: outbox rows in the change's transaction, HMAC signatures, retries with backoff."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from partners import services, webhooks
from partners.models import WebhookDelivery
from tests.conftest import wait_for

from .conftest import T0


class Receiver:
    """A tiny HTTP server on 127.0.0.1 answering with the given statuses in turn, then 200.

    `headers` are sent with every answer; `tls` (an `ssl.SSLContext` for a server) makes it
    HTTPS; `host` and `port` choose where it listens."""

    def __init__(self, statuses=(), *, headers=None, tls=None, host="127.0.0.1", port=0):
        self.statuses = list(statuses)
        self.requests = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                code = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(code)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((host, port), Handler)
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/harbour-hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    with Receiver(statuses=[500, 503]) as r:
        yield r


@pytest.fixture
def subscription(partner_org, receiver):
    sub, secret = webhooks.create_subscription(
        partner_org,
        name="Case system",
        url=receiver.url,
        events=["referral.created", "referral.updated"],
    )
    sub.plain_secret = secret
    return sub


def test_delivery_is_signed_and_survives_two_failures(
    subscription, receiver, send, partner_org, settings, django_capture_on_commit_callbacks
):
    settings.HARBOUR = {**settings.HARBOUR, "WEBHOOK_BACKOFF_SECONDS": 30}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        referral = send(now=T0)
    assert len(callbacks) == 1  # the Celery task is queued only after commit
    delivery = WebhookDelivery.objects.get()
    assert (delivery.event, delivery.status, delivery.subscription) == (
        "referral.created",
        "pending",
        subscription,
    )

    d = webhooks.deliver(delivery.pk, now=T0)
    assert (d.status, d.attempts, d.last_status_code) == ("pending", 1, 500)
    assert d.next_attempt_at == T0 + timedelta(seconds=30)
    assert webhooks.deliver(delivery.pk, now=T0 + timedelta(seconds=10)) is None  # not due yet
    assert webhooks.due_delivery_ids(now=T0 + timedelta(seconds=10)) == []

    t2 = T0 + timedelta(seconds=30)
    assert webhooks.due_delivery_ids(now=t2) == [delivery.pk]
    d = webhooks.deliver(delivery.pk, now=t2)
    assert (d.status, d.attempts, d.last_status_code) == ("pending", 2, 503)
    assert d.next_attempt_at == t2 + timedelta(seconds=60)  # exponential backoff

    t3 = t2 + timedelta(seconds=60)
    d = webhooks.deliver(delivery.pk, now=t3)
    assert (d.status, d.attempts, d.last_status_code, d.delivered_at) == ("delivered", 3, 200, t3)
    assert webhooks.deliver(delivery.pk, now=t3 + timedelta(hours=1)) is None  # never twice

    assert len(receiver.requests) == 3
    headers, body = receiver.requests[-1]
    assert headers["X-Harbour-Event"] == "referral.created"
    assert headers["X-Harbour-Delivery"] == str(delivery.event_id)
    signature = headers["X-Harbour-Signature"]
    assert signature.startswith(f"t={int(t3.timestamp())},v1=")
    assert webhooks.verify(subscription.plain_secret, body, signature, now=int(t3.timestamp()))
    assert not webhooks.verify("whsec_wrong", body, signature, now=int(t3.timestamp()))
    assert not webhooks.verify(
        subscription.plain_secret, body + b" ", signature, now=int(t3.timestamp())
    )
    assert not webhooks.verify(  # a replay long after is refused
        subscription.plain_secret, body, signature, now=int(t3.timestamp()) + 3600
    )
    # the documented recipe (docs/webhooks.md) agrees
    assert _documented_verify(subscription.plain_secret, body, signature, int(t3.timestamp()))
    payload = json.loads(body)
    assert payload["event"] == "referral.created"
    assert payload["data"]["referral"]["reference"] == referral.reference
    # the partner's payload holds only the minimum about the person
    assert set(payload["data"]["referral"]["person_summary"]) == {
        "given_name",
        "family_name",
        "date_of_birth",
    }


def _documented_verify(secret, body, header, now):
    import hashlib
    import hmac

    parts = dict(item.split("=", 1) for item in header.split(","))
    timestamp = int(parts["t"])
    if abs(now - timestamp) > 300:
        return False
    expected = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


def test_gives_up_after_max_attempts(partner_org, send, settings):
    settings.HARBOUR = {**settings.HARBOUR, "WEBHOOK_MAX_ATTEMPTS": 2}
    with Receiver(statuses=[500, 500, 500]) as r:
        webhooks.create_subscription(partner_org, name="x", url=r.url, events=["referral.created"])
        send(now=T0)
        delivery = WebhookDelivery.objects.get()
        webhooks.deliver(delivery.pk, now=T0)
        d = webhooks.deliver(delivery.pk, now=T0 + timedelta(hours=1))
    assert (d.status, d.attempts, d.next_attempt_at) == ("failed", 2, None)


def test_unreachable_receiver_records_the_error(partner_org, send):
    webhooks.create_subscription(
        partner_org, name="x", url="http://127.0.0.1:9/nothing", events=["referral.created"]
    )
    send(now=T0)
    d = webhooks.deliver(WebhookDelivery.objects.get().pk, now=T0)
    assert d.status == "pending" and d.last_status_code is None and d.last_error


def test_updates_go_to_both_organisations(send, partner_org, force, receiver):
    for org in (partner_org, force):
        webhooks.create_subscription(org, name="x", url=receiver.url, events=["referral.updated"])
    referral = send()
    assert not WebhookDelivery.objects.exists()  # nobody subscribed to created
    services.change_status(referral, to_status="acknowledged", organisation=partner_org)
    assert sorted(
        WebhookDelivery.objects.values_list("subscription__organisation__slug", flat=True)
    ) == ["midshire-liaison", "midshire-police"]
    sender_payload = WebhookDelivery.objects.get(subscription__organisation=force).payload
    assert sender_payload["data"]["referral"]["person_summary"]["nhs_number"] == "9434765919"


def test_outbox_rows_roll_back_with_the_change(subscription, send):
    with pytest.raises(RuntimeError), transaction.atomic():
        send()
        assert WebhookDelivery.objects.count() == 1
        raise RuntimeError
    assert not WebhookDelivery.objects.exists()


def test_inactive_or_other_event_subscriptions_get_nothing(partner_org, send, receiver):
    sub, _ = webhooks.create_subscription(
        partner_org, name="x", url=receiver.url, events=["alert.raised"]
    )
    send()
    assert not WebhookDelivery.objects.exists()
    webhooks.emit(partner_org, "alert.raised", {"alert": {"id": 1}})
    assert WebhookDelivery.objects.get().event == "alert.raised"
    sub.active = False
    sub.save()
    webhooks.emit(partner_org, "alert.raised", {"alert": {"id": 2}})
    assert WebhookDelivery.objects.count() == 1


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://partner.example.org/hook", True),
        ("http://partner.example.org/hook", False),
        ("http://127.0.0.1:8000/hook", True),  # tests allow http to localhost only
        ("http://localhost/hook", True),
        ("ftp://127.0.0.1/hook", False),
    ],
)
def test_https_only(url, ok):
    if ok:
        webhooks.validate_webhook_url(url)
    else:
        with pytest.raises(ValidationError):
            webhooks.validate_webhook_url(url)


def test_http_localhost_refused_unless_allowed(settings):
    settings.HARBOUR = {**settings.HARBOUR, "WEBHOOK_ALLOW_HTTP_LOCALHOST": False}
    with pytest.raises(ValidationError):
        webhooks.validate_webhook_url("http://127.0.0.1:8000/hook")


def test_admin_lists_deliveries_with_attempts(admin_client, subscription, send):
    send()
    page = admin_client.get("/admin/partners/webhookdelivery/")
    assert page.status_code == 200
    assert "referral.created" in page.content.decode()
    assert (
        subscription.plain_secret
        not in admin_client.get(
            f"/admin/partners/webhooksubscription/{subscription.pk}/change/"
        ).content.decode()
    )


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_delivered_by_a_real_worker(celery_worker, partner_org, send):
    with Receiver() as r:
        webhooks.create_subscription(
            partner_org, name="live", url=r.url, events=["referral.created"]
        )
        send()
        delivery = WebhookDelivery.objects.get()
        wait_for(
            lambda: WebhookDelivery.objects.get(pk=delivery.pk).status == "delivered",
            timeout=30,
            message="the worker to deliver the webhook",
        )
        assert len(r.requests) == 1


# --- self-service pages --------------------------------------------------------------------


@pytest.fixture
def org_admin(make_user, partner_org):
    return make_user("liaison-admin", partner_org, "administrator")


def test_admin_subscribes_and_sees_the_secret_once(web, org_admin, partner_org):
    client = web.as_user(org_admin)
    r = client.post(
        "/organisation/webhooks/new/",
        {"name": "Case system", "url": "http://partner.example.org/hook", "events": []},
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert "Give an https:// address." in body and "Choose at least one event." in body
    r = client.post(
        "/organisation/webhooks/new/",
        {
            "name": "Case system",
            "url": "https://partner.example.org/hook",
            "events": ["referral.created", "alert.raised"],
        },
    )
    from partners.models import WebhookSubscription

    sub = WebhookSubscription.objects.get(organisation=partner_org)
    assert r.url == f"/organisation/webhooks/{sub.pk}/secret/"
    page = client.get(r.url).content.decode()
    assert sub.secret in page
    assert sub.secret not in client.get(r.url).content.decode()
    assert sub.secret not in client.get("/organisation/webhooks/").content.decode()
    assert sub.events == ["alert.raised", "referral.created"]
    r = client.post(f"/organisation/webhooks/{sub.pk}/turn-off/")
    sub.refresh_from_db()
    assert r.status_code == 302 and not sub.active


def test_webhook_pages_three_personas(web, org_admin, make_user, outsider_partner, partner_user):
    sub, _ = webhooks.create_subscription(
        org_admin.membership.organisation,
        name="x",
        url="https://partner.example.org/hook",
        events=["referral.created"],
    )
    outsider_admin = make_user("mind-admin", outsider_partner, "administrator")
    assert web.as_user(partner_user).get("/organisation/webhooks/").status_code == 403
    client = web.as_user(outsider_admin)
    assert "partner.example.org" not in client.get("/organisation/webhooks/").content.decode()
    assert client.post(f"/organisation/webhooks/{sub.pk}/turn-off/").status_code == 404
    assert client.get(f"/organisation/webhooks/{sub.pk}/secret/").status_code == 404
