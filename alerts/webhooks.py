"""`alert.raised` for partners' systems: the alerts side of `partners.events`.

`AlertsConfig.ready` registers the alert as a kind of record webhooks can carry (the alert as
`GET /api/v1/alerts/{id}/` shows it), sent to the organisations it is addressed to (and that may
see it: `alerts/policy.py`). The sweep and `services.raise_now` call `publish_raised` with the
ids they inserted, in their transaction: an alert raised closed (a deadline met late) is a trace,
not news, and is not sent. Nothing is read when no organisation subscribed to `alert.raised`
(one query), so a catch-up sweep of thousands of alerts costs nothing more unless someone
listens.
"""

from __future__ import annotations

from core import events
from partners import events as partner_events

from . import policy
from .models import Alert
from .serializers import AlertSerializer

EVENT = "alert.raised"


def _visible_to(organisation_id: int, alert: Alert) -> bool:
    return (
        organisation_id in (alert.organisations or [])
        and policy.alerts_of_organisation(organisation_id).filter(pk=alert.pk).exists()
    )


def _render(alert: Alert, organisation, now) -> dict:
    return dict(AlertSerializer(Alert.objects.get(pk=alert.pk)).data)


def register() -> None:
    partner_events.register_kind(Alert, "alert", _visible_to, _render)


def publish_raised(alert_ids, now) -> None:
    """`alert.raised` for each open alert of `alert_ids` (call in the raising transaction)."""
    if not alert_ids or not partner_events.subscribed_organisations(EVENT).exists():
        return
    for alert in Alert.objects.filter(pk__in=list(alert_ids), closed_at__isnull=True).order_by(
        "pk"
    ):
        events.publish(EVENT, alert, now=now)
