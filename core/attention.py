"""What needs attention now: the panels of each role's home page.

The home page opens on what the user must act on (due welfare checks and reviews, their alerts,
their cases, approvals waiting, the people at their place of safety) before the list of
everything they can do (`core.navigation`). Each panel belongs to the app that owns the records
it shows: the app registers a builder with `register(...)` from its AppConfig.ready (core
imports no app: docs/architecture.md "Layers"), and the builder asks that app's policy module
what this actor may see.

A builder is `build(actor, user, now) -> Panel | None`: `actor` is the request's
`core.policy.Principal`, `user` the signed-in user, `now` one instant for the whole page. It
answers None when the panel is not for this actor (wrong role, nothing to show that matters).
A builder runs a fixed number of queries, whatever the number of rows (a count and the first
few items), so the home page's query count does not grow with the records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.functional import Promise

#: How many items a panel lists (the link beside it shows the rest).
TOP = 5


@dataclass(frozen=True)
class Item:
    """One thing to act on: what it is, where to act, and how urgent it is (words and colour)."""

    text: str | Promise
    url: str | None = None
    detail: str | Promise = ""
    tag: str | Promise = ""  # words in a tag, e.g. "Under 1 hour left"
    tag_class: str = ""  # its GOV.UK tag colour classes


@dataclass(frozen=True)
class Panel:
    key: str
    title: str | Promise
    count: int
    #: What the count means, in words ("3 welfare checks or reviews due"); shown as the summary.
    summary: str | Promise
    items: list[Item] = field(default_factory=list)
    link_url: str | None = None
    link_text: str | Promise = ""
    #: Said when there is nothing (the panel is still shown: "nothing due" is an answer too).
    empty: str | Promise = ""

    @property
    def more(self) -> int:
        return max(0, self.count - len(self.items))


Builder = Callable[[object, object, datetime], "Panel | None"]


@dataclass(frozen=True)
class _Registered:
    key: str
    build: Builder
    order: int


PANELS: dict[str, _Registered] = {}


def register(key: str, build: Builder, *, order: int = 100) -> None:
    """An app adds a panel (its AppConfig.ready). Registering a key again replaces it."""
    PANELS[key] = _Registered(key, build, order)


def panels_for(actor, user, now: datetime | None = None) -> list[Panel]:
    """The panels this actor sees, in their order."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return []
    now = now or timezone.now()
    out = []
    for entry in sorted(PANELS.values(), key=lambda e: (e.order, e.key)):
        panel = entry.build(actor, user, now)
        if panel is not None:
            out.append(panel)
    return out


def time_left(deadline: datetime | None, now: datetime) -> str:
    """'2 h 5 min left', '12 min left', '25 min overdue' (the UK clock is shown beside it)."""
    from django.utils.translation import gettext as _

    if deadline is None:
        return ""
    seconds = int((deadline - now).total_seconds())
    minutes = abs(seconds) // 60
    hours, mins = divmod(minutes, 60)
    if hours and mins:
        span = _("%(h)d h %(m)d min") % {"h": hours, "m": mins}
    elif hours:
        span = _("%(h)d h") % {"h": hours}
    else:
        span = _("%(m)d min") % {"m": mins}
    if seconds < 0:
        return _("%(span)s overdue") % {"span": span}
    return _("%(span)s left") % {"span": span}


def uk_time(instant: datetime | None) -> str:
    """'14:05' today, '14:05 on 8 Dec' another day (Europe/London)."""
    if instant is None:
        return ""
    local = timezone.localtime(instant)
    if local.date() == timezone.localdate():
        return local.strftime("%H:%M")
    return f"{local:%H:%M} {local.day} {local:%b}"
