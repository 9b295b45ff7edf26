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
