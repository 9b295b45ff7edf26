"""Demo roster: the coming week for Response, Force Contact and Custody, with one deliberate gap
(Force Contact, 02:00-06:00 UK time on the third night). Idempotent: adds missing shifts only."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import Organisation
from accounts.roles import Role
from accounts.services import ensure_user
from advisers.models import Function, RosterShift
from advisers.services import add_shift

LONDON = ZoneInfo("Europe/London")
FORCE = "midshire-police"
PASSWORD = "harbour-demo-2026"  # noqa: S105 - the demo's printed password
ADVISERS = [
    ("mhlead", "Sgt Jo Reilly (MH tactical adviser)"),
    ("adviser-day", "Sgt Amira Khan (MH tactical adviser)"),
    ("adviser-night", "PC Tom Barker (MH tactical adviser)"),
    ("adviser-contact", "PC Lisa Wong (MH tactical adviser)"),
    ("adviser-custody", "Sgt Ben Ade (MH tactical adviser)"),
    ("adviser-relief", "PC Nia Evans (MH tactical adviser)"),
]
# (function, day adviser, night adviser)
PATTERN = [
    (Function.RESPONSE, "adviser-day", "adviser-night"),
    (Function.FORCE_CONTACT, "adviser-contact", "adviser-relief"),
    (Function.CUSTODY, "mhlead", "adviser-custody"),
]


def _at(day, hour):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON).astimezone(dt.UTC)


def _second_factor(user):
    """The demo's fixed authenticator for roles that must pass a second factor, when the tree has
    two-factor enforcement (core.security)."""
    try:
        from accounts.otp import ensure_demo_device
        from core.security import otp_required
    except ImportError:
        return
    if otp_required(user):
        ensure_demo_device(user)


def seed(stdout):
    force = Organisation.objects.filter(slug=FORCE).first()
    if force is None:
        return
    users = {}
    for username, display in ADVISERS:
        users[username] = ensure_user(
            username,
            organisation=force,
            roles=[Role.MH_TACTICAL_ADVISER],
            password=PASSWORD,
            display_name=display,
            rank="sergeant" if display.startswith("Sgt") else "constable",
            npu=force.npus.filter(code="NPU-C").first(),
        )
        _second_factor(users[username])
    today = timezone.localdate()
    added = 0
    for offset in range(-1, 8):
        day = today + dt.timedelta(days=offset)
        for function, day_adviser, night_adviser in PATTERN:
            shifts = [(users[day_adviser], _at(day, 7), _at(day, 19))]
            night_end = _at(day + dt.timedelta(days=1), 7)
            if function == Function.FORCE_CONTACT and offset == 2:
                # The deliberate gap: nobody from 02:00 to 06:00.
                shifts += [
                    (users[night_adviser], _at(day, 19), _at(day + dt.timedelta(days=1), 2)),
                    (users[night_adviser], _at(day + dt.timedelta(days=1), 6), night_end),
                ]
            else:
                shifts.append((users[night_adviser], _at(day, 19), night_end))
            for adviser, start, end in shifts:
                if RosterShift.objects.filter(adviser=adviser).overlapping(start, end).exists():
                    continue
                add_shift(
                    force=force, function=function, adviser=adviser, starts_at=start, ends_at=end
                )
                added += 1
    stdout.write(f"Adviser roster: {added} shift(s) added for the coming week (one gap left).")
