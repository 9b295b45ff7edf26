"""Domain events: what happened to a record, told to whoever listens.

Domain code (a service, inside its own transaction) says what happened:

    from core import events
    events.publish("detention.arrived", detention, now=now)

and the apps that care listen, installed from their `AppConfig.ready` (the higher app installs
it, so the lower one never imports it): partners turns events into webhook deliveries, alerts may
tell people. A listener runs in the caller's transaction, so a rolled-back change tells nobody;
anything slow a listener must queue (an outbox row, `core.queue.enqueue_on_commit`), never do
in line.

Event names are `<record>.<what happened>`, lower case with underscores; `NAMES` lists every one
a listener may be told (the webhook subscription choices are built from it, and publishing a name
not listed fails at once rather than going nowhere).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

# Every event a domain service publishes, with a plain-words description (docs/webhooks.md; the
# webhook subscription page shows it, so it is translated).
NAMES: dict[str, Any] = {
    "detention.started": _("a detention was started"),
    "detention.arrived": _("the person arrived at a place of safety"),
    "detention.transferred": _("the person was transferred to another place of safety"),
    "detention.extended": _("the detention was extended"),
    "detention.handover_requested": _(
        "an officer asked health staff to take over the person's care"
    ),
    "detention.handover_accepted": _("health staff accepted the handover"),
    "detention.handover_declined": _("health staff declined the handover"),
    "detention.unlawful_act_recorded": _(
        "something that happened outside the law was recorded (R1)"
    ),
    "detention.breached": _("a legal time limit passed while the person was still detained"),
    "detention.ended": _("the detention ended"),
    "referral.created": _("a referral was sent"),
    "referral.updated": _("a referral's status changed"),
    "alert.raised": _("an alert was raised"),
}

Listener = Callable[..., None]
_listeners: list[Listener] = []


def listen(listener: Listener) -> Listener:
    """Install a listener: `listener(event, record, *, now, data)`. Idempotent (ready() may run twice)."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def publish(event: str, record: Any, *, now=None, **data: Any) -> None:
    """Tell every listener that `event` happened to `record` (call inside the change's transaction)."""
    if event not in NAMES:
        raise ValueError(f"unknown event {event!r}: add it to core.events.NAMES")
    for listener in list(_listeners):
        listener(event, record, now=now, data=data)
