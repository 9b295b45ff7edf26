"""Sending one delivery by its channel (alerts.tasks.deliver claims the row, calls `send`
outside any transaction, and records the outcome through alerts.services).

- `email`: Django's mail (EMAIL_BACKEND), as ever.
- `notify_email`, `notify_sms`: GOV.UK Notify (alerts.notify), the delivery's id as Notify's
  `reference` so that its callback finds the delivery even before Notify's answer is recorded.

`Permanent` is raised when sending again cannot help (Notify refused it with a 4xx, or Notify is
not set up): the delivery is marked `permanent-failure` and not retried. Any other exception is
retried with back-off.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail

from . import notify
from .models import Channel
from .render import email_for, personalisation


class Permanent(Exception):
    pass


def send(delivery) -> str | None:
    """Sends it; returns GOV.UK Notify's notification id (None for plain email)."""
    alert = delivery.alert
    if delivery.channel == Channel.EMAIL:
        subject, body = email_for(alert, delivery.repeat)
        send_mail(
            subject, body, settings.DEFAULT_FROM_EMAIL, [delivery.address], fail_silently=False
        )
        return None
    try:
        return notify.send(
            delivery.channel,
            delivery.address,
            personalisation=personalisation(alert, delivery.channel, delivery.repeat),
            reference=str(delivery.pk),
        )
    except (notify.Refused, notify.NotConfigured) as exc:
        raise Permanent(str(exc)) from exc
