"""Changes to alerts (the one door): acknowledging. Raising, closing and escalating belong to
the sweep (alerts.sweep)."""

from django.db import transaction
from django.utils import timezone

from core.actor import current_actor

from .models import Alert


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
    import json

    from django.db import connection

    from . import addressing, sweep
    from .webhooks import publish_raised

    now = now or timezone.now()
    subject = addressing.Subject(
        force_id=detention.organisation_id,
        place_org_id=place.organisation_id if place is not None else None,
    )
    orgs, roles = addressing.addressees(kind, 0, subject)
    row = {
        "subject": detention.pk,
        "kind": str(kind),
        "threshold_minutes": None,
        "due_at": due_at.isoformat(),
        "orgs": orgs,
        "roles": roles,
    }
    with connection.cursor() as cursor:
        cursor.execute(
            sweep._INSERT_ALERTS.format(subject="detention_id"),
            {"now": now, "rows": json.dumps([row])},
        )
        ids = [r[0] for r in cursor.fetchall()]
    sweep._write_history(ids, now, update=False, reason=reason or "raised")
    deliveries = sweep._create_deliveries(
        sweep._plan_deliveries(dict.fromkeys(ids, (orgs, roles)), {})
    )
    sweep._dispatch_on_commit(deliveries)
    publish_raised(ids, now)
    return ids
