"""Webhooks: an outbox row per (subscription, event), signed, delivered after commit, retried.

Other apps emit events with `emit(organisation, event, payload)` inside their own transaction:

    from partners.webhooks import emit
    emit(detention.organisation, "alert.raised", {"alert": AlertSerializer(alert).data})

It writes a `WebhookDelivery` row for each active subscription of that organisation to that event
(in the caller's transaction: a rolled-back change sends nothing) and, on commit, queues the Celery
task `partners.tasks.deliver_webhook`. A beat sweep (`partners.tasks.deliver_due_webhooks`) picks
up anything due that was missed (a worker that was down, a retry whose time has come).

Every request carries `X-Harbour-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret,
f"{t}.{body}")>`, `X-Harbour-Event` and `X-Harbour-Delivery` (the event id, stable across
retries, for the receiver to de-duplicate). See docs/webhooks.md for the verification recipe.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
import urllib.error
import urllib.request
import uuid
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import DeliveryStatus, WebhookDelivery, WebhookEvent, WebhookSubscription

SIGNATURE_HEADER = "X-Harbour-Signature"
STUCK_AFTER = timedelta(minutes=5)  # a claimed row whose worker died goes back to pending


def _settings():
    return settings.HARBOUR


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


def validate_webhook_url(url: str) -> None:
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


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


@transaction.atomic
def create_subscription(
    organisation, *, name: str, url: str, events, created_by=None
) -> tuple[WebhookSubscription, str]:
    """Returns the subscription and its signing secret (shown to the user once)."""
    validate_webhook_url(url)
    unknown = set(events) - set(WebhookEvent.values)
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
    if event not in WebhookEvent.values:
        raise ValueError(f"unknown webhook event {event!r}")
    now = now or timezone.now()
    subs = [
        s
        for s in WebhookSubscription.objects.filter(organisation=organisation, active=True)
        if event in s.events
    ]
    deliveries = []
    for sub in subs:
        event_id = uuid.uuid4()
        body = {
            "id": str(event_id),
            "event": event,
            "created_at": now.isoformat().replace("+00:00", "Z"),
            "organisation": organisation.slug,
            "data": payload,
        }
        deliveries.append(
            WebhookDelivery.objects.create(
                subscription=sub,
                event=event,
                event_id=event_id,
                payload=json.loads(json.dumps(body, cls=DjangoJSONEncoder)),
                next_attempt_at=now,
                created_at=now,
            )
        )
    if deliveries:
        from core.dispatch import enqueue_each_on_commit

        from .tasks import deliver_webhook

        ids = [d.pk for d in deliveries]
        enqueue_each_on_commit(deliver_webhook, ids)
    return deliveries


def _backoff(attempts: int) -> timedelta:
    base = _settings().get("WEBHOOK_BACKOFF_SECONDS", 30)
    return timedelta(seconds=base * (2 ** max(attempts - 1, 0)))


def claim(delivery_id: int, *, now=None) -> WebhookDelivery | None:
    """Atomically claims a due delivery (two workers never send the same attempt twice)."""
    now = now or timezone.now()
    claimed = WebhookDelivery.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        pk=delivery_id,
        status=DeliveryStatus.PENDING,
    ).update(status=DeliveryStatus.SENDING, claimed_at=now)
    if claimed != 1:
        return None
    return WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)


def send(delivery: WebhookDelivery, *, now=None) -> WebhookDelivery:
    """One attempt for a claimed delivery; records the outcome and the next attempt."""
    now = now or timezone.now()
    sub = delivery.subscription
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = int(now.timestamp())
    request = urllib.request.Request(  # noqa: S310 - the URL is validated https (or test localhost)
        sub.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Harbour-Webhooks/1.0",
            SIGNATURE_HEADER: sign(sub.secret, body, timestamp),
            "X-Harbour-Event": delivery.event,
            "X-Harbour-Delivery": str(delivery.event_id),
        },
    )
    code, error = None, ""
    try:
        validate_webhook_url(sub.url)
        with urllib.request.urlopen(  # noqa: S310
            request, timeout=_settings().get("WEBHOOK_TIMEOUT_SECONDS", 10)
        ) as response:
            code = response.status
    except urllib.error.HTTPError as exc:
        code, error = exc.code, f"HTTP {exc.code}"
    except ValidationError as exc:
        error = "; ".join(exc.messages)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        error = str(getattr(exc, "reason", exc))[:1000]

    delivery.attempts += 1
    delivery.last_status_code = code
    delivery.last_error = error
    delivery.claimed_at = None
    if code is not None and 200 <= code < 300:
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


def deliver(delivery_id: int, *, now=None) -> WebhookDelivery | None:
    """Claims and sends one delivery if it is due; None when not due or already taken."""
    delivery = claim(delivery_id, now=now)
    if delivery is None:
        return None
    return send(delivery, now=now)


def due_delivery_ids(*, now=None, limit=100) -> list[int]:
    """Pending deliveries whose time has come (and claims abandoned by a dead worker)."""
    now = now or timezone.now()
    WebhookDelivery.objects.filter(
        status=DeliveryStatus.SENDING, claimed_at__lt=now - STUCK_AFTER
    ).update(status=DeliveryStatus.PENDING, claimed_at=None)
    return list(
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


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
    if ids:
        from core.dispatch import enqueue_each_on_commit

        from .tasks import deliver_webhook

        enqueue_each_on_commit(deliver_webhook, ids)
    return len(ids)


@transaction.atomic
def deactivate_subscription(subscription: WebhookSubscription) -> WebhookSubscription:
    sub = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    if sub.active:
        sub.active = False
        sub.save(update_fields=["active"])
    return sub
