"""Refresher reminders, as plain records for the alert sweep (see protocols.reminders).

For each officer's latest completion of each course (an older completion is not reminded once a
newer one exists), a reminder falls due at 00:00 UK time `threshold_days` before
`refresher_due_on`. It goes to the officer (user_ids) and to the force's mental health lead role.
Only active officers of a police force are reminded. Read-only and idempotent.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.roles import Role
from protocols.reminders import Reminder, passed_thresholds

from .models import TrainingRecord

KIND = "training_refresher_due"
ROLES = (str(Role.MH_TACTICAL_ADVISER),)


def thresholds() -> list[int]:
    return sorted({int(d) for d in settings.HARBOUR_DELIVERY["TRAINING_REFRESHER_REMINDER_DAYS"]})


def due_reminders(now: dt.datetime | None = None) -> list[Reminder]:
    now = now or timezone.now()
    ths = thresholds()
    if not ths:
        return []
    today = timezone.localdate(now)
    horizon = today + dt.timedelta(days=max(ths) + 1)
    # The latest completion per (officer, course) whose refresher is near (or past): a record
    # due by the horizon with no newer completion of the course (index training_latest), so
    # only the near ones are read, not every record.
    newer = TrainingRecord.objects.filter(
        user_id=OuterRef("user_id"),
        course=OuterRef("course"),
        completed_on__gt=OuterRef("completed_on"),
    )
    latest = (
        TrainingRecord.objects.filter(
            refresher_due_on__lte=horizon,
            user__is_active=True,
            user__membership__organisation__kind="police_force",
        )
        .exclude(Exists(newer))
        .order_by("user_id", "course")
        .values_list(
            "pk", "user_id", "refresher_due_on", "created_at", "user__membership__organisation_id"
        )
    )
    out = []
    for pk, user_id, due_on, created_at, org_id in latest:
        for t, due in passed_thresholds(due_on, created_at, now, ths):
            out.append(
                Reminder(
                    subject="training.trainingrecord",
                    subject_id=pk,
                    kind=KIND,
                    threshold_days=t,
                    due_at=due,
                    organisation_id=org_id,
                    roles=ROLES,
                    user_ids=(user_id,),
                )
            )
    return sorted(out, key=lambda r: (r.due_at, r.subject_id))
