"""The home page's panel for auditors (core/attention.py): reads of their organisation's
records outside normal roles in the last seven days, each with the reason given (the access
log, `audit.access`). A count and the first few rows: two queries."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.permissions import Perm
from core import attention

from .models import AccessLog

DAYS = 7


def outside_access(actor, user, now):
    if not actor.has_perm(Perm.VIEW_AUDIT) or actor.organisation_id is None:
        return None
    qs = AccessLog.objects.filter(
        record_organisation_id=actor.organisation_id,
        outside_normal_roles=True,
        at__gte=now - timedelta(days=DAYS),
    )
    count = qs.count()
    items = []
    for row in qs.select_related("user").order_by("-at", "-id")[: attention.TOP]:
        who = str(row.user) if row.user else _("An API key")
        items.append(
            attention.Item(
                text=_("%(who)s, %(when)s") % {"who": who, "when": attention.uk_time(row.at)},
                url=reverse("audit:access-log")
                + (f"?person={row.person_id}" if row.person_id else ""),
                detail=_("Reason: %(reason)s") % {"reason": row.reason or _("none given")},
            )
        )
    return attention.Panel(
        key="outside_access",
        title=gettext_lazy("Access outside normal roles"),
        count=count,
        summary=ngettext(
            "%(n)d read of your organisation's records outside normal roles in the last 7 days",
            "%(n)d reads of your organisation's records outside normal roles in the last 7 days",
            count,
        )
        % {"n": count},
        items=items,
        link_url=reverse("audit:access-log"),
        link_text=gettext_lazy("The access log"),
        empty=gettext_lazy("No access outside normal roles in the last 7 days."),
    )


def install() -> None:
    attention.register("outside_access", outside_access, order=50)
