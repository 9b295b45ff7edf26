"""Handover alerts (A4 as a request and its answer, detentions/handover.py).

Installed from `AlertsConfig.ready` as a `core.events` listener; runs in the service's own
transaction, through `alerts.services.raise_now` (the sweep's insert, addressing, history and
pending deliveries sent on commit by the outbox):

- `detention.handover_requested` -> `handover_requested`, for the staff of the place's operator;
  when the request made a one-time link (the place has a shared inbox), a delivery to that
  inbox too: the email carries the link (`email_lines`), the inbox page never does.
- `detention.handover_accepted` / `_declined` -> `handover_accepted` / `handover_declined`, for
  the detaining force's officers and custody sergeants, at once; the request's alert for the
  place's staff is closed (`handover_answered`).

None escalates; each is raised once per request (`due_at` = the request's or answer's instant,
`alert_once_per_deadline`).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Alert, AlertKind, CloseReason

KINDS = {
    "detention.handover_requested": AlertKind.HANDOVER_REQUESTED,
    "detention.handover_accepted": AlertKind.HANDOVER_ACCEPTED,
    "detention.handover_declined": AlertKind.HANDOVER_DECLINED,
}


def on_event(event, record, *, now=None, data=None) -> None:
    kind = KINDS.get(event)
    if kind is None:
        return
    from . import sweep
    from .services import raise_now

    # The handover workflow (detentions/handover.py) publishes these with the request; an event
    # without one (a handover recorded directly, as before requests existed) asks nobody.
    hreq = (data or {}).get("handover")
    if hreq is None:
        return
    now = now or timezone.now()
    if kind == AlertKind.HANDOVER_REQUESTED:
        ids = raise_now(
            kind,
            detention=record,
            due_at=hreq.requested_at,
            place=hreq.place,
            now=now,
            reason="handover requested",
        )
        link = hreq.links.order_by("-pk").first()  # made with the request, if any
        if ids and link is not None:
            planned = [sweep.PlannedDelivery(ids[0], None, link.sent_to, 0)]
            sweep._dispatch_on_commit(sweep._create_deliveries(planned))
        return
    Alert.objects.filter(
        detention=record,
        kind=AlertKind.HANDOVER_REQUESTED,
        due_at=hreq.requested_at,
        closed_at__isnull=True,
    ).update(closed_at=now, closed_reason=CloseReason.HANDOVER_ANSWERED)
    raise_now(
        kind,
        detention=record,
        due_at=hreq.answered_at,
        place=hreq.place,
        now=now,
        reason=f"handover {hreq.state}",
    )


def _request_for(alert):
    """The handover request an alert is about (the request's or its answer's instant)."""
    from detentions.models import HandoverRequest

    return (
        HandoverRequest.objects.filter(detention_id=alert.detention_id)
        .filter(Q(requested_at=alert.due_at) | Q(answered_at=alert.due_at))
        .select_related("place")
        .order_by("-requested_at")
        .first()
    )


def describe(alert) -> str:
    """The inbox's and the email's words for a handover alert."""
    hreq = _request_for(alert)
    if hreq is None:
        return ""
    at = timezone.localtime(alert.due_at).strftime("%H:%M")
    values = {"at": at, "place": hreq.place, "name": hreq.answered_by_name}
    if alert.kind == AlertKind.HANDOVER_REQUESTED:
        return _("Police asked at %(at)s for health staff at %(place)s to take over.") % values
    if alert.kind == AlertKind.HANDOVER_DECLINED:
        return _(
            "%(name)s at %(place)s declined the handover at %(at)s: %(reason)s. "
            "The police keep the person."
        ) % {**values, "reason": hreq.decline_reason}
    if hreq.police_must_stay:
        return _(
            "%(name)s at %(place)s accepted the handover at %(at)s. Police must stay: %(reason)s"
        ) % {**values, "reason": hreq.stay_reason}
    return _("%(name)s at %(place)s accepted the handover at %(at)s. Police may leave.") % values


def email_lines(alert) -> list[str]:
    """Extra lines of a handover-requested email: the one-time link, when there is one that
    may still be used."""
    if alert.kind != AlertKind.HANDOVER_REQUESTED:
        return []
    from detentions import handover

    hreq = _request_for(alert)
    link = hreq.links.filter(used_at__isnull=True).order_by("-pk").first() if hreq else None
    if link is None:
        return []
    until = timezone.localtime(link.expires_at).strftime("%d %b %Y %H:%M %Z")
    return [
        _(
            "If you do not have a Harbour account, accept or decline it with this one-time "
            "link (it works once, until %(until)s):"
        )
        % {"until": until},
        handover.url_for(link),
    ]
