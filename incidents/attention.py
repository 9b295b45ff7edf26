"""The home page's panel about incidents (core/attention.py): a response officer's incidents
of the last seven days, still open ones first (no end recorded), asked of `incidents.policy`.
A count and the first few rows: two queries, whatever the number of incidents."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.permissions import Perm
from accounts.roles import Role
from core import attention

from . import policy

DAYS = 7


def my_incidents(actor, user, now):
    if not (actor.has_role(Role.RESPONSE_OFFICER) and actor.has_perm(Perm.RECORD_INCIDENTS)):
        return None
    qs = policy.visible_incidents(actor).filter(
        created_by=user, occurred_at__gte=now - timedelta(days=DAYS)
    )
    count = qs.count()
    rows = qs.order_by(F("ended_at").asc(nulls_first=True), "-occurred_at", "-pk")[: attention.TOP]
    items = [
        attention.Item(
            text=f"{i.get_category_display()} ({i.reference})",
            url=i.get_absolute_url(),
            detail=_("%(when)s, %(where)s")
            % {
                "when": attention.uk_time(i.occurred_at),
                "where": i.location_description or _("no location given"),
            },
            tag="" if i.ended_at else _("Still open"),
            tag_class="" if i.ended_at else "govuk-tag--blue",
        )
        for i in rows
    ]
    return attention.Panel(
        key="my_incidents",
        title=gettext_lazy("Your incidents"),
        count=count,
        summary=ngettext(
            "%(n)d incident you logged in the last 7 days",
            "%(n)d incidents you logged in the last 7 days",
            count,
        )
        % {"n": count},
        items=items,
        link_url=reverse("incident-list"),
        link_text=gettext_lazy("All incidents"),
        empty=gettext_lazy("You logged no incident in the last 7 days."),
    )


def install() -> None:
    attention.register("my_incidents", my_incidents, order=35)
