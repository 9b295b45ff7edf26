"""PS1: a person's age at an instant.

A person attains an age at the start of their birthday in Europe/London local time; a
29 February birthday falls on 1 March in years that are not leap years.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime
from zoneinfo import ZoneInfo

from .facts import to_utc

LONDON = ZoneInfo("Europe/London")


def birthday_in(date_of_birth: date, year: int) -> date:
    """The date on which the birthday falls in ``year`` (29 Feb -> 1 Mar if not leap)."""
    if date_of_birth.month == 2 and date_of_birth.day == 29 and not calendar.isleap(year):
        return date(year, 3, 1)
    return date(year, date_of_birth.month, date_of_birth.day)


def age_on(date_of_birth: date, instant: datetime) -> int:
    """Age in whole years at ``instant`` (a timezone-aware datetime)."""
    if isinstance(date_of_birth, datetime):
        raise TypeError("date_of_birth must be a date, not a datetime")
    local_day = to_utc(instant).astimezone(LONDON).date()
    age = local_day.year - date_of_birth.year
    if local_day < birthday_in(date_of_birth, local_day.year):
        age -= 1
    return age
