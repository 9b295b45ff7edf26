"""A Europe/London local date and time, entered as day / month / year and hours:minutes,
converted to a UTC instant.

At the clocks' changes a local time can be ambiguous (01:30 on the last Sunday of October
happens twice) or not exist (01:30 on the last Sunday of March). An ambiguous time asks the
user which one they mean (a `fold` choice); a time that does not exist is refused with
guidance. Both are decided by zoneinfo, never by arithmetic on offsets.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.serializers import EARLIEST_DATE_OF_BIRTH, MHA_1983_IN_FORCE

LONDON = ZoneInfo("Europe/London")
TIME_RE = re.compile(r"^\s*(\d{1,2})(?:[:.\s]?(\d{2}))?\s*$")

AMBIGUOUS = "ambiguous"
NONEXISTENT = "nonexistent"


def local_parts(value) -> dict:
    """{'day','month','year','time','fold'} strings for a UTC/aware datetime (or the raw input)."""
    if isinstance(value, dict):
        return value
    if isinstance(value, datetime):
        local = value.astimezone(LONDON)
        return {
            "day": str(local.day),
            "month": str(local.month),
            "year": str(local.year),
            "time": local.strftime("%H:%M"),
            "fold": str(local.fold) if is_ambiguous(local.replace(tzinfo=None)) else "",
        }
    return {"day": "", "month": "", "year": "", "time": "", "fold": ""}


def is_ambiguous(naive: datetime) -> bool:
    a = naive.replace(tzinfo=LONDON, fold=0)
    b = naive.replace(tzinfo=LONDON, fold=1)
    return a.utcoffset() != b.utcoffset() and _exists(naive)


def _exists(naive: datetime) -> bool:
    aware = naive.replace(tzinfo=LONDON)
    back = aware.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None)
    return back == naive


def to_utc(naive: datetime, fold: str = "") -> datetime:
    """The UTC instant of a London wall-clock time; raises ValidationError at the changes."""
    when = date_format(naive.date(), "j F Y")
    hhmm = naive.strftime("%H:%M")
    if not _exists(naive):
        raise forms.ValidationError(
            _(
                "%(time)s on %(date)s did not happen in the UK: the clocks went forward "
                "from 01:00 GMT to 02:00 BST. Check the time; if it was just after the "
                "change, enter a time from 02:00."
            ),
            code=NONEXISTENT,
            params={"time": hhmm, "date": when},
        )
    if is_ambiguous(naive):
        if fold not in ("0", "1"):
            raise forms.ValidationError(
                _(
                    "%(time)s on %(date)s happened twice: the clocks went back from 02:00 "
                    "BST to 01:00 GMT. Choose whether it was the first time (BST) or the "
                    "second (GMT)."
                ),
                code=AMBIGUOUS,
                params={"time": hhmm, "date": when},
            )
        return naive.replace(tzinfo=LONDON, fold=int(fold)).astimezone(UTC)
    return naive.replace(tzinfo=LONDON).astimezone(UTC)


class LocalDateTimeWidget(forms.Widget):
    """Reads `<name>-day`, `-month`, `-year`, `-time` and `-fold`; rendered by our templates."""

    template_name = "detentions/widgets/empty.html"
    parts = ("day", "month", "year", "time", "fold")

    def value_from_datadict(self, data, files, name):
        values = {p: (data.get(f"{name}-{p}") or "").strip() for p in self.parts}
        return values if any(values[p] for p in self.parts[:4]) else None

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}-{p}" in data for p in self.parts)


class LocalDateTimeField(forms.Field):
    """A UK local date and time -> an aware UTC datetime."""

    widget = LocalDateTimeWidget
    default_error_messages = {
        "required": _("Enter the date and time"),
        "invalid_date": _("Enter a real date, for example 27 3 2026"),
        "invalid_time": _("Enter a time in 24-hour format, for example 14:30"),
    }

    def __init__(self, *, default_now=True, **kwargs):
        self.default_now = default_now
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return local_parts(value)

    def to_python(self, value):
        if not value:
            return None
        if isinstance(value, datetime):
            return value
        try:
            day = date(int(value["year"]), int(value["month"]), int(value["day"]))
        except (TypeError, ValueError, KeyError):
            raise forms.ValidationError(
                self.error_messages["invalid_date"], code="invalid_date"
            ) from None
        if day < MHA_1983_IN_FORCE.date():
            raise forms.ValidationError(self.error_messages["invalid_date"], code="invalid_date")
        m = TIME_RE.match(value.get("time") or "")
        if not m:
            raise forms.ValidationError(self.error_messages["invalid_time"], code="invalid_time")
        hours, minutes = int(m.group(1)), int(m.group(2) or 0)
        if hours > 23 or minutes > 59:
            raise forms.ValidationError(self.error_messages["invalid_time"], code="invalid_time")
        return to_utc(datetime.combine(day, time(hours, minutes)), value.get("fold", ""))  # noqa: DTZ001 - a wall-clock time, zone added in to_utc


def now_initial():
    return timezone.now().replace(second=0, microsecond=0)


class DateOfBirthWidget(LocalDateTimeWidget):
    parts = ("day", "month", "year")

    def value_from_datadict(self, data, files, name):
        values = {p: (data.get(f"{name}-{p}") or "").strip() for p in self.parts}
        return values if any(values.values()) else None


class DateOfBirthField(forms.Field):
    """A calendar date entered as day / month / year (no time, no zone)."""

    widget = DateOfBirthWidget
    default_error_messages = {
        "invalid_date": _("Enter a real date of birth, for example 27 3 1990")
    }

    def prepare_value(self, value):
        if isinstance(value, date):
            return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
        return value or {"day": "", "month": "", "year": ""}

    def to_python(self, value):
        if not value:
            return None
        if isinstance(value, date):
            return value
        try:
            born = date(int(value["year"]), int(value["month"]), int(value["day"]))
        except (TypeError, ValueError, KeyError):
            raise forms.ValidationError(
                self.error_messages["invalid_date"], code="invalid_date"
            ) from None
        if born < EARLIEST_DATE_OF_BIRTH or born > timezone.localdate():
            raise forms.ValidationError(self.error_messages["invalid_date"], code="invalid_date")
        return born
