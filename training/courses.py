"""The mental health training courses Harbour tracks, how long each stays in date, and who
needs it.

Validity is configurable per course (settings HARBOUR_DELIVERY["TRAINING_VALIDITY_MONTHS"],
course code -> months); the defaults below apply otherwise. The three College of Policing
modules are the minimum for every operational officer; tactical advisers also need adviser CPD.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role


class Course(models.TextChoices):
    COP_MH_AWARENESS = (
        "COP-MH1",
        _("College of Policing: Mental health awareness and vulnerability"),
    )
    COP_MH_POWERS = (
        "COP-MH2",
        _("College of Policing: Mental Health Act (s135, s136) and Mental Capacity Act powers"),
    )
    COP_MH_CRISIS = (
        "COP-MH3",
        _("College of Policing: Responding to people in crisis, de-escalation and restraint"),
    )
    MHFA = "MHFA", _("Mental Health First Aid")
    ADVISER_CPD = "MHTA-CPD", _("Mental health tactical adviser CPD")


DEFAULT_VALIDITY_MONTHS = {
    Course.COP_MH_AWARENESS: 36,
    Course.COP_MH_POWERS: 24,
    Course.COP_MH_CRISIS: 24,
    Course.MHFA: 36,
    Course.ADVISER_CPD: 12,
}

# The minimum every operational officer needs in date.
CORE_COURSES = (Course.COP_MH_AWARENESS, Course.COP_MH_POWERS, Course.COP_MH_CRISIS)

# Operational officers, by function (role); coverage is reported per function and per NPU.
OPERATIONAL_ROLES = (
    Role.RESPONSE_OFFICER,
    Role.CUSTODY_SERGEANT,
    Role.INSPECTOR,
    Role.SUPERINTENDENT,
    Role.MH_TACTICAL_ADVISER,
)


def required_courses(roles) -> tuple[str, ...]:
    out = list(CORE_COURSES)
    if Role.MH_TACTICAL_ADVISER in roles:
        out.append(Course.ADVISER_CPD)
    return tuple(str(c) for c in out)


def validity_months(course: str) -> int:
    configured = settings.HARBOUR_DELIVERY.get("TRAINING_VALIDITY_MONTHS") or {}
    if course in configured:
        return int(configured[course])
    return DEFAULT_VALIDITY_MONTHS[Course(course)]


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole months; the 31st becomes the month's last day (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def refresher_due_on(course: str, completed_on: dt.date) -> dt.date:
    return add_months(completed_on, validity_months(course))


def by_code(code: str) -> str | None:
    """A course code from a learning-system export ('cop-mh1', ' MHFA ') -> the Course value."""
    code = (code or "").strip().upper()
    return code if code in Course.values else None
