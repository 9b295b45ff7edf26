"""Changes to alerts (the one door): acknowledging; how each person is told (channels); what
became of each delivery. Raising, closing, escalating and repeating belong to the sweep
(alerts.sweep)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actor import current_actor

from . import notify
from .models import DEFAULT_CHANNELS, NOTIFY_CHANNELS, Alert, Channel, ChannelPreference, Delivery

# A delivery not sent yet: a repeat still in one of these is cancelled by an acknowledgement.
UNSENT = (Delivery.Status.PENDING, Delivery.Status.FAILED)


class AlreadyAcknowledged(Exception):
    pass


@transaction.atomic
def acknowledge(alert: Alert, *, by: str | None = None, now=None) -> Alert:
    """Records who acknowledged the alert and when. Acknowledging twice keeps the first."""
    now = now or timezone.now()
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.acknowledged_at is not None:
        return alert
    if by is None:
        actor = current_actor()
        by = actor.label if actor is not None else ""
    alert.acknowledged_at = now
    alert.acknowledged_by = by
    alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
    # Repeats stop at once: the sweep repeats only unacknowledged alerts, and a repeat written
    # but not sent yet is cancelled here (a worker that claims one later finds it cancelled).
    for delivery in Delivery.objects.select_for_update().filter(
        alert=alert, repeat__gt=0, status__in=UNSENT
    ):
        delivery.status = Delivery.Status.CANCELLED
        delivery._change_reason = "alert acknowledged"
        delivery.save(update_fields=["status"])
    return alert


def close_stale_on_commit(detention_id: int) -> None:
    """After a change to a detention commits, close its alerts that no longer apply at once
    (the next sweep would too, within seconds)."""
    from .sweep import close_stale

    transaction.on_commit(lambda: close_stale(detention_id=detention_id))


def raise_now(kind: str, *, detention, due_at, place=None, now=None, reason: str = "") -> list[int]:
    """Raise an alert about a recorded fact (not a deadline the sweep finds) in the caller's
    transaction, through the sweep's own machinery: the same `INSERT ... ON CONFLICT DO
    NOTHING` on `alert_once_per_deadline` (so the same fact alerts once however often this
    runs), its addressing (`addressing.LEVELS`), history rows and pending deliveries sent on
    commit. Returns the ids inserted (empty when it was already raised)."""
    from django.db import connection

    from . import addressing, sweep
    from .webhooks import publish_raised

    now = now or timezone.now()
    subject = addressing.Subject(
        force_id=detention.organisation_id,
        place_org_id=place.organisation_id if place is not None else None,
    )
    orgs, roles = addressing.addressees(kind, 0, subject)
    rows = sweep._AlertRows()
    rows.add(detention.pk, str(kind), None, due_at.isoformat(), None, orgs, roles)
    with connection.cursor() as cursor:
        cursor.execute(sweep._INSERT_ALERTS.format(subject="detention_id"), rows.params(now))
        ids = [r[0] for r in cursor.fetchall()]
    sweep._write_history(ids, now, update=False, reason=reason or "raised")
    deliveries = sweep._create_deliveries(
        sweep._plan_deliveries(dict.fromkeys(ids, (orgs, roles)), {})
    )
    sweep._dispatch_on_commit(deliveries)
    publish_raised(ids, now)
    return ids


# --- How a person is told ------------------------------------------------------------------


def channels_of(user) -> list[str]:
    """The channels a person chose (by email, as ever, when they chose none)."""
    pref = ChannelPreference.objects.filter(user=user).first()
    return list(pref.channels) if pref else list(DEFAULT_CHANNELS)


def channel_errors(user, channels, *, mobile_number=None) -> dict[str, list[str]]:
    """What is wrong with this choice for `user` ({field: [messages]}; empty when nothing):
    no channel, an unknown one, a Notify channel not set up here, a text message with no UK
    mobile number (`mobile_number`: the one about to be stored, when given), an email with no
    address."""
    chosen = set(channels)
    errors: dict[str, list[str]] = {}
    unknown = sorted(chosen - set(Channel.values))
    if unknown:
        errors.setdefault("channels", []).append(
            _("Unknown channel: %(c)s") % {"c": ", ".join(unknown)}
        )
    elif not chosen:
        errors.setdefault("channels", []).append(_("Choose at least one way to be told"))
    for channel in Channel.values:
        if channel in chosen and channel in NOTIFY_CHANNELS and not notify.available(channel):
            errors.setdefault("channels", []).append(notify.unavailable_reason(channel))
    mobile = user.mobile_number if mobile_number is None else mobile_number
    if Channel.NOTIFY_SMS in chosen and not mobile:
        errors.setdefault("mobile_number", []).append(
            _("Enter a UK mobile number to be told by text message")
        )
    if chosen & {Channel.EMAIL, Channel.NOTIFY_EMAIL} and not user.email:
        errors.setdefault("channels", []).append(
            _(
                "There is no email address on the account: choose text message, or ask an "
                "administrator to add one"
            )
        )
    return errors


@transaction.atomic
def set_channels(user, *, channels, mobile_number=None) -> ChannelPreference:
    """Records how `user` is told about alerts; `mobile_number` (when given) is stored on the
    user too (accounts.services.set_mobile_number). Refused with ValidationError({field:
    [messages]}) and nothing changed when `channel_errors` finds anything."""
    from accounts import services as accounts
    from accounts.phone import normalise_uk_mobile

    errors: dict[str, list[str]] = {}
    normalised = None
    if mobile_number is not None:
        try:
            normalised = normalise_uk_mobile(mobile_number)
        except ValidationError as exc:
            errors["mobile_number"] = list(exc.messages)
    for field, messages in channel_errors(
        user, channels, mobile_number=normalised if normalised is not None else None
    ).items():
        if field not in errors:
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    if normalised is not None:
        user = accounts.set_mobile_number(user, normalised)
    chosen = [c for c in Channel.values if c in set(channels)]
    pref, created = ChannelPreference.objects.select_for_update().get_or_create(
        user=user, defaults={"channels": chosen}
    )
    if not created and list(pref.channels) != chosen:
        pref.channels = chosen
        pref.save(update_fields=["channels", "updated_at"])
    return pref


# --- What became of a delivery (alerts.tasks.deliver, Notify's callbacks) --------------------


def _locked(delivery_id):
    return Delivery.objects.select_for_update().get(pk=delivery_id)


@transaction.atomic
def cancel_stale_repeat(delivery_id) -> bool:
    """A repeat whose alert was acknowledged or closed since it was written is not sent."""
    delivery = _locked(delivery_id)
    alert = Alert.objects.get(pk=delivery.alert_id)
    if delivery.repeat == 0 or alert.is_open:
        return False
    delivery.status = Delivery.Status.CANCELLED
    delivery._change_reason = "alert acknowledged" if alert.acknowledged_at else "alert closed"
    delivery.save(update_fields=["status"])
    return True


@transaction.atomic
def record_sent(delivery_id, *, notify_id=None, now=None) -> Delivery:
    """Sent (or accepted by Notify, with its notification id). A callback that arrived first
    (a final status already recorded) stands."""
    delivery = _locked(delivery_id)
    fields = ["sent_at", "error"]
    delivery.sent_at = now or timezone.now()
    delivery.error = ""
    if notify_id:
        delivery.notify_id = notify_id
        fields.append("notify_id")
    if delivery.status in (Delivery.Status.SENDING, Delivery.Status.FAILED):
        delivery.status = Delivery.Status.SENT
        fields.append("status")
    delivery.save(update_fields=fields)
    return delivery


@transaction.atomic
def record_failure(delivery_id, error: str, *, permanent: bool) -> Delivery:
    """A failed attempt: `failed` (tried again) or, when sending again cannot help (Notify
    refused it, Notify is not set up), `permanent-failure`."""
    delivery = _locked(delivery_id)
    if delivery.status not in (Delivery.Status.SENDING, Delivery.Status.FAILED):
        # Notify's callback came first (it accepted the message after all): that stands, and
        # the message is not sent again.
        delivery.error = error[:2000]
        delivery.save(update_fields=["error"])
        return delivery
    delivery.status = Delivery.Status.PERMANENT_FAILURE if permanent else Delivery.Status.FAILED
    delivery.error = error[:2000]
    delivery.save(update_fields=["status", "error"])
    return delivery


class UnknownNotification(LookupError):
    pass


@transaction.atomic
def record_notify_status(*, notify_id, reference, status, reported_at=None) -> Delivery:
    """GOV.UK Notify's callback: the final status of a message it accepted. Found by Notify's
    notification id, or by our reference (the delivery's id) when the callback arrives before
    the worker recorded Notify's answer. The same callback twice changes nothing."""
    if status not in notify.CALLBACK_STATUSES:
        raise ValidationError({"status": [_("Unknown status: %(s)s") % {"s": status}]})
    rows = Delivery.objects.select_for_update().filter(channel__in=list(NOTIFY_CHANNELS))
    delivery = rows.filter(notify_id=notify_id).first() if notify_id else None
    if delivery is None and reference and str(reference).isdigit():
        delivery = rows.filter(pk=int(reference)).first()
        if delivery is not None and delivery.notify_id and str(delivery.notify_id) != notify_id:
            delivery = None  # another notification of the same delivery (sent twice)
    if delivery is None:
        raise UnknownNotification(notify_id)
    if delivery.status == status:
        return delivery
    delivery.status = status
    delivery.status_reported_at = reported_at or timezone.now()
    fields = ["status", "status_reported_at"]
    if notify_id and delivery.notify_id is None:
        delivery.notify_id = notify_id
        fields.append("notify_id")
    delivery._change_reason = "GOV.UK Notify callback"
    delivery.save(update_fields=fields)
    return delivery
