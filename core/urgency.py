"""How close a deadline is, in words as well as colour: the board's urgency bands.

A band is worked out from a stored UTC deadline and the time now, never from the clock of the
browser. The thresholds are a setting (`HARBOUR["BOARD_URGENCY"]`), one entry per kind of
deadline: `RED` and `AMBER` are how long before the deadline the band begins (either may be
absent). Past the deadline the band is always `overdue`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

OVERDUE = "overdue"
RED = "red"
AMBER = "amber"

#: The tag classes of each band: the GOV.UK colour, in its solid form (it stands out of a
#: tinted row).
TAG = {
    OVERDUE: "govuk-tag--red app-urgency-tag--red",
    RED: "govuk-tag--red app-urgency-tag--red",
    AMBER: "govuk-tag--orange app-urgency-tag--amber",
}
#: Most urgent first.
RANK = {OVERDUE: 0, RED: 1, AMBER: 2}

DEFAULTS = {
    "EXPIRY": {"RED": timedelta(hours=1), "AMBER": timedelta(hours=2)},
    "WELFARE_CHECK": {"AMBER": timedelta(minutes=10)},
    "REVIEW": {"AMBER": timedelta(minutes=10)},
    "ASSESSMENT": {"AMBER": timedelta(minutes=30)},
}


@dataclass(frozen=True)
class Band:
    level: str  # overdue | red | amber
    words: str  # what the tag says, for example "Under 1 hour left"
    kind: str  # EXPIRY | WELFARE_CHECK | REVIEW | ASSESSMENT

    @property
    def tag(self) -> str:
        return TAG[self.level]

    @property
    def rank(self) -> int:
        return RANK[self.level]


def thresholds(kind: str) -> dict[str, timedelta]:
    configured = getattr(settings, "HARBOUR", {}).get("BOARD_URGENCY", {})
    return {**DEFAULTS.get(kind, {}), **configured.get(kind, {})}


def span_words(span: timedelta) -> str:
    """'1 hour', '2 hours', '90 minutes', '10 minutes'."""
    minutes = int(span.total_seconds() // 60)
    if minutes and minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


def _overdue_words(kind: str) -> str:
    return {
        "EXPIRY": _("Past the time limit"),
        "WELFARE_CHECK": _("Welfare check overdue"),
        "REVIEW": _("Review overdue"),
        "ASSESSMENT": _("Assessment target missed"),
    }[kind]


def _near_words(kind: str, span: timedelta) -> str:
    words = {
        "EXPIRY": _("Under %(span)s left"),
        "WELFARE_CHECK": _("Welfare check due in under %(span)s"),
        "REVIEW": _("Review due in under %(span)s"),
        "ASSESSMENT": _("Assessment target in under %(span)s"),
    }[kind]
    return words % {"span": span_words(span)}


def band(kind: str, deadline: datetime | None, now: datetime) -> Band | None:
    """The band of `deadline` at `now`, or None when it is not near (or there is none)."""
    if deadline is None:
        return None
    left = deadline - now
    if left <= timedelta(0):
        return Band(OVERDUE, _overdue_words(kind), kind)
    limits = thresholds(kind)
    for level in (RED, AMBER):
        span = limits.get(level.upper())
        if span is not None and left < span:
            return Band(level, _near_words(kind, span), kind)
    return None


def most_urgent(bands) -> Band | None:
    found = [b for b in bands if b is not None]
    return min(found, key=lambda b: b.rank) if found else None
