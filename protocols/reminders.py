"""Review reminders for current protocols, as plain records for the alert sweep.

`due_reminders(now)` is pure with respect to the database (it only reads) and idempotent: it
returns every reminder whose due instant has passed and that still applies; the alert app raises
each (subject, kind, threshold_days) once through its unique constraint.

A reminder is due at 00:00 UK time on `review_due_on - threshold_days`. A protocol stored after a
threshold had already passed gets only the most pressing passed threshold (one nearest the review
date), not a burst of stale ones. Superseded protocols have no reminders.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from accounts.roles import Role

from .models import Protocol

LONDON = ZoneInfo("Europe/London")
KIND = "protocol_review_due"
ROLES = (str(Role.MH_TACTICAL_ADVISER), str(Role.ADMINISTRATOR))


@dataclass(frozen=True)
class Reminder:
    subject: str  # model label, e.g. "protocols.protocol"
    subject_id: int
    kind: str
    threshold_days: int
    due_at: dt.datetime  # UTC
    organisation_id: int
    roles: tuple[str, ...]
    user_ids: tuple[int, ...] = ()


def thresholds() -> list[int]:
    return sorted({int(d) for d in settings.HARBOUR_DELIVERY["PROTOCOL_REVIEW_REMINDER_DAYS"]})


def due_instant(day: dt.date, threshold_days: int) -> dt.datetime:
    when = day - dt.timedelta(days=threshold_days)
    return dt.datetime.combine(when, dt.time(0), tzinfo=LONDON).astimezone(dt.UTC)


def passed_thresholds(day: dt.date, created_at: dt.datetime, now: dt.datetime, ths) -> list:
    """[(threshold, due_at)] due by `now`: every one that fell due during the subject's life,
    plus the most pressing one if it fell due before the subject existed."""
    passed = [(t, due_instant(day, t)) for t in sorted(ths)]
    passed = [(t, due) for t, due in passed if due <= now]
    if not passed:
        return []
    most_pressing = passed[0]
    out = [(t, due) for t, due in passed if due >= created_at]
    if most_pressing not in out:
        out.append(most_pressing)
    return sorted(out, key=lambda x: -x[0])


def due_reminders(now: dt.datetime | None = None) -> list[Reminder]:
    now = now or timezone.now()
    ths = thresholds()
    if not ths:
        return []
    horizon = timezone.localdate(now) + dt.timedelta(days=max(ths) + 1)
    rows = (
        Protocol.objects.current()
        .filter(review_due_on__lte=horizon)
        .order_by("review_due_on", "pk")
        .values_list("pk", "review_due_on", "created_at", "force_id")
    )
    out = []
    for pk, review_on, created_at, force_id in rows:
        for t, due in passed_thresholds(review_on, created_at, now, ths):
            out.append(
                Reminder(
                    subject="protocols.protocol",
                    subject_id=pk,
                    kind=KIND,
                    threshold_days=t,
                    due_at=due,
                    organisation_id=force_id,
                    roles=ROLES,
                )
            )
    return out
