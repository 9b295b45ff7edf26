"""Webhooks: an outbox row per (subscription, event), signed, delivered after commit, retried.

Domain code publishes events (`core.events.publish`); `partners.events` (the listener installed
from `PartnersConfig.ready`) calls `emit(organisation, event, payload)` for each organisation
that subscribed and may see the record, inside the change's transaction.

`emit` writes a `WebhookDelivery` row for each active subscription of that organisation to that event
(in the caller's transaction: a rolled-back change sends nothing) and, on commit, queues the Celery
task `partners.tasks.deliver_webhook`. A beat sweep (`partners.tasks.deliver_due_webhooks`) picks
up anything due that was missed (a worker that was down, a retry whose time has come).

Every request carries `X-Harbour-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret,
f"{t}.{body}")>`, `X-Harbour-Event` and `X-Harbour-Delivery` (the event id, stable across
retries, for the receiver to de-duplicate), and the same signature in the Standard Webhooks
form (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of
id.timestamp.body>`). See docs/webhooks.md for the verification recipes.

Every body carries `"version"` (`PAYLOAD_VERSION`): within a version, changes are additive only
(new events, new keys); anything else is a new version (docs/webhooks.md).

A delivery resolves the host, refuses internal addresses and connects to the address it checked
(`partners/egress.py`); it never follows a redirect.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import ipaddress
import json
import secrets
import ssl
import uuid
from datetime import UTC, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import metrics
from core.outbox import Outbox
from core.queue import enqueue_on_commit

from . import egress
from .models import (
    SUBSCRIBABLE_EVENTS,
    TEST_EVENT,
    DeliveryStatus,
    WebhookDelivery,
    WebhookSubscription,
)

# The task that makes one attempt at a delivery (partners.tasks registers under this name;
# this module queues it by name and never imports the task module).
DELIVER_TASK = "partners.tasks.deliver_webhook"
SIGNATURE_HEADER = "X-Harbour-Signature"
VERSION_HEADER = "X-Harbour-Webhook-Version"
# The payload's version (the date it was fixed). Within a version only additive changes are made:
# new events, new keys in `data` or in a record. Removing or renaming a key, or changing what a
# value means, makes a new version (docs/webhooks.md, "Versions").
PAYLOAD_VERSION = "2026-12-01"
PAYLOAD_VERSIONS = [PAYLOAD_VERSION]  # the schema's enum (`WebhookPayloadVersionEnum`)
TEST_EVENT_INTERVAL = timedelta(minutes=1)  # at most one test event a minute per subscription
STUCK_AFTER = timedelta(minutes=5)  # a claimed row whose worker died goes back to pending


def _settings():
    return settings.HARBOUR


def instant(value) -> str:
    """An instant as the API writes it: UTC, `Z`."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def sign(secret: str, body: bytes, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(secret: str, body: bytes, header: str, *, now: int, tolerance: int = 300) -> bool:
    """The receiver's side of `sign` (the recipe in docs/webhooks.md)."""
    try:
        parts = dict(p.split("=", 1) for p in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = sign(secret, body, timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def _standard_key(secret: str) -> bytes:
    """The Standard Webhooks key: the base64 after `whsec_` (URL-safe secrets of older
    subscriptions are decoded with the URL-safe alphabet)."""
    text = secret.removeprefix("whsec_")
    text += "=" * (-len(text) % 4)
    altchars = b"-_" if ("-" in text or "_" in text) else None
    return base64.b64decode(text, altchars=altchars)


def sign_standard(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """`webhook-signature` of the Standard Webhooks specification (standardwebhooks.com)."""
    content = f"{msg_id}.{timestamp}.".encode() + body
    mac = hmac.new(_standard_key(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def validate_webhook_scheme(url: str) -> None:
    """HTTPS only; plain http only to localhost when the deployment allows it (tests)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and _settings().get("WEBHOOK_ALLOW_HTTP_LOCALHOST"):
        host = parts.hostname or ""
        try:
            loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if loopback:
            return
    raise ValidationError(_("Give an https:// address."), code="https_required")


def validate_webhook_url(url: str, *, resolver=None) -> None:
    """The scheme, then the address as a delivery would check it: a host that resolves to a
    private, loopback, link-local, shared, multicast, reserved or metadata address is refused
    (unless allow-listed). A name that does not resolve yet is accepted: every delivery checks
    again, at the time it connects."""
    validate_webhook_scheme(url)
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        egress.resolve(parts.hostname, port, resolver)
    except ValueError as exc:  # a port out of range
        raise ValidationError(_("Give an https:// address."), code="https_required") from exc
    except egress.Refused as exc:
        if exc.category == "address not found":
            return
        reason = exc.category.removeprefix("refused: ")
        raise ValidationError(
            _(
                "Harbour does not send to this address: it is a %(reason)s. "
                "Give the partner system's public https:// address."
            )
            % {"reason": reason},
            code="address_not_allowed",
        ) from exc


def new_secret() -> str:
    """`whsec_` and 32 random bytes in base64 (the Standard Webhooks form)."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


@transaction.atomic
def create_subscription(
    organisation, *, name: str, url: str, events, created_by=None, resolver=None
) -> tuple[WebhookSubscription, str]:
    """Returns the subscription and its signing secret (shown to the user once)."""
    validate_webhook_url(url, resolver=resolver)
    unknown = set(events) - set(SUBSCRIBABLE_EVENTS)
    if unknown or not events:
        raise ValidationError(_("Choose at least one known event."), code="invalid_events")
    secret = new_secret()
    sub = WebhookSubscription.objects.create(
        organisation=organisation,
        name=name,
        url=url,
        secret=secret,
        events=sorted(set(events)),
        created_by=created_by,
    )
    return sub, secret


def emit(organisation, event: str, payload: dict, *, now=None) -> list[WebhookDelivery]:
    """Queues `event` for every active subscription of `organisation` to it.

    Call inside the transaction that makes the change; the task is queued on commit.
    `payload` must be JSON-serialisable (instants as strings: use the API serializers).
    """
    if event not in SUBSCRIBABLE_EVENTS:
        raise ValueError(f"unknown webhook event {event!r}")
    now = now or timezone.now()
    subs = [
        s
        for s in WebhookSubscription.objects.filter(organisation=organisation, active=True)
        if event in s.events
    ]
    deliveries = [_queue(sub, event, payload, now) for sub in subs]
    _deliver_on_commit([d.pk for d in deliveries])
    return deliveries


def _queue(sub: WebhookSubscription, event: str, payload: dict, now) -> WebhookDelivery:
    event_id = uuid.uuid4()
    body = {
        "version": PAYLOAD_VERSION,
        "id": str(event_id),
        "event": event,
        "created_at": instant(now),
        "organisation": sub.organisation.slug,
        "data": payload,
    }
    return WebhookDelivery.objects.create(
        subscription=sub,
        event=event,
        event_id=event_id,
        payload=json.loads(json.dumps(body, cls=DjangoJSONEncoder)),
        next_attempt_at=now,
        created_at=now,
    )


def _deliver_on_commit(ids: list[int]) -> None:
    if ids:
        enqueue_on_commit(DELIVER_TASK, [(i,) for i in ids])


@transaction.atomic
def send_test_event(subscription: WebhookSubscription, *, now=None) -> WebhookDelivery:
    """Queues a `webhook.test` event to one active subscription (at most one a minute)."""
    now = now or timezone.now()
    sub = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    if not sub.active:
        raise ValidationError(_("This subscription is turned off."), code="subscription_inactive")
    if sub.deliveries.filter(event=TEST_EVENT, created_at__gt=now - TEST_EVENT_INTERVAL).exists():
        raise ValidationError(
            _("A test event was sent less than a minute ago. Try again in a minute."),
            code="test_event_too_soon",
        )
    delivery = _queue(sub, TEST_EVENT, {"message": "A test event from Harbour."}, now)
    _deliver_on_commit([delivery.pk])
    return delivery


def _backoff(attempts: int) -> timedelta:
    base = _settings().get("WEBHOOK_BACKOFF_SECONDS", 30)
    return timedelta(seconds=base * (2 ** max(attempts - 1, 0)))


def _claimable(now) -> Q:
    """Pending and due, or claimed by a worker that died (its claim older than STUCK_AFTER)."""
    return Q(status=DeliveryStatus.PENDING) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    ) | Q(status=DeliveryStatus.SENDING, claimed_at__lt=now - STUCK_AFTER)


def _stuck(now) -> Q:
    """What the beat sweep queues: pending and due, or claimed by a worker that died."""
    return Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=DeliveryStatus.SENDING, claimed_at__lt=now - STUCK_AFTER
    )


# The webhook deliveries' outbox (core.outbox): a claim stamps `claimed_at`.
DELIVERIES = Outbox(
    WebhookDelivery,
    task=DELIVER_TASK,
    claimed_at="claimed_at",
    claimable=_claimable,
    stuck=_stuck,
    stuck_order=("next_attempt_at", "pk"),
)


def claim(delivery_id: int, *, now=None) -> WebhookDelivery | None:
    """Claims a due delivery for one attempt (two workers never send the same attempt twice)."""
    return DELIVERIES.claim(delivery_id, now=now or timezone.now(), related=("subscription",))


def _request_headers(delivery: WebhookDelivery, body: bytes, timestamp: int) -> dict:
    secret = delivery.subscription.secret
    msg_id = str(delivery.event_id)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Harbour-Webhooks/1.0",
        SIGNATURE_HEADER: sign(secret, body, timestamp),
        "X-Harbour-Event": delivery.event,
        "X-Harbour-Delivery": msg_id,
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign_standard(secret, msg_id, timestamp, body),
    }
    version = delivery.payload.get("version")
    if version:  # rows queued before payloads had a version have none
        headers[VERSION_HEADER] = str(version)
    return headers


def post(url: str, body: bytes, headers: dict, *, resolver=None) -> int:
    """POSTs to `url` at an address checked just now; returns the status, never follows a
    redirect. Raises `egress.Refused` with the plain category of any failure."""
    validate_webhook_scheme(url)
    parts = urlsplit(url)
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    ip = egress.resolve(parts.hostname, port, resolver)
    timeout = _settings().get("WEBHOOK_TIMEOUT_SECONDS", 10)
    if https:
        conn = egress.PinnedHTTPSConnection(
            parts.hostname, port, pinned_ip=ip, timeout=timeout, context=egress.tls_context()
        )
    else:
        conn = egress.PinnedHTTPConnection(parts.hostname, port, pinned_ip=ip, timeout=timeout)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        response.read(65536)
        return response.status
    except TimeoutError as exc:
        raise egress.Refused("timed out") from exc
    except (ssl.SSLError, ssl.CertificateError) as exc:
        raise egress.Refused("TLS error") from exc
    except http.client.HTTPException as exc:
        raise egress.Refused("invalid response") from exc
    except OSError as exc:
        raise egress.Refused("connection failed") from exc
    finally:
        conn.close()


def send(delivery: WebhookDelivery, *, now=None, resolver=None) -> WebhookDelivery:
    """One attempt for a claimed delivery (its attempt counted by the claim); records the
    outcome and the next attempt.

    `last_error` holds plain words only ("refused: private address", "connection failed",
    "timed out", "TLS error", "HTTP 500", "HTTP 302: redirects are not followed"), never socket
    text, so the error is no oracle for probing ports."""
    now = now or timezone.now()
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = int(now.timestamp())
    code, error = None, ""
    try:
        code = post(
            delivery.subscription.url,
            body,
            _request_headers(delivery, body, timestamp),
            resolver=resolver,
        )
    except egress.Refused as exc:
        error = exc.category
    except ValidationError:
        error = "refused: address not allowed"
    if code is not None and 300 <= code < 400:
        error = f"HTTP {code}: redirects are not followed"
    elif code is not None and not 200 <= code < 300:
        error = f"HTTP {code}"

    delivery.last_status_code = code
    delivery.last_error = error
    delivery.claimed_at = None
    delivered = code is not None and 200 <= code < 300
    if not delivered:
        metrics.count_webhook_failure()
    if delivered:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        delivery.last_error = ""
    elif delivery.attempts >= _settings().get("WEBHOOK_MAX_ATTEMPTS", 8):
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.status = DeliveryStatus.PENDING
        delivery.next_attempt_at = now + _backoff(delivery.attempts)
    delivery.save()
    return delivery


def deliver(delivery_id: int, *, now=None, resolver=None) -> WebhookDelivery | None:
    """Claims and sends one delivery if it is due; None when not due or already taken."""
    delivery = claim(delivery_id, now=now)
    if delivery is None:
        return None
    return send(delivery, now=now, resolver=resolver)


def due_delivery_ids(*, now=None, limit=100) -> list[int]:
    """Pending deliveries whose time has come (and claims abandoned by a dead worker)."""
    return DELIVERIES.stuck_ids(now or timezone.now(), limit=limit)


@transaction.atomic
def retry_now(delivery_ids, *, now=None) -> int:
    """Puts undelivered deliveries back in the queue for an attempt now (admin action)."""
    now = now or timezone.now()
    ids = []
    for delivery in WebhookDelivery.objects.select_for_update().filter(pk__in=delivery_ids):
        if delivery.status == DeliveryStatus.DELIVERED:
            continue
        delivery.status = DeliveryStatus.PENDING
        delivery.next_attempt_at = now
        delivery.claimed_at = None
        delivery.save(update_fields=["status", "next_attempt_at", "claimed_at"])
        ids.append(delivery.pk)
    _deliver_on_commit(ids)
    return len(ids)


@transaction.atomic
def deactivate_subscription(subscription: WebhookSubscription) -> WebhookSubscription:
    sub = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    if sub.active:
        sub.active = False
        sub.save(update_fields=["active"])
    return sub
