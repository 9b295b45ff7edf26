"""The home page's panels about alerts (core/attention.py):

- **Your alerts**: the open alerts of the user's inbox, counted by the same query as the
  header's count and the inbox's "Open" list (`policy.inbox_alerts`), so the three agree;
- **Waiting for you** (inspectors and superintendents): the open alerts addressed to their role
  in their organisation: the approvals and decisions asked of them.

Each is a count and the first few rows: two queries, whatever the number of alerts.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.permissions import Perm
from accounts.roles import Role
from core import attention

from . import policy
from .render import describe, subject_reference

APPROVER_ROLES = (Role.INSPECTOR, Role.SUPERINTENDENT)


def _items(qs, now):
    """The newest first, as the inbox lists them; each told in the inbox's words (`describe`)."""
    rows = qs.select_related("detention", "referral", "protocol", "training_record__user")
    items = []
    for alert in rows.order_by("-due_at", "-id")[: attention.TOP]:
        reference = subject_reference(alert)
        url = alert.detention.get_absolute_url() if alert.detention_id else None
        items.append(
            attention.Item(
                text=f"{alert.get_kind_display()}: {reference}"
                if reference
                else alert.get_kind_display(),
                url=url or reverse("alerts:inbox"),
                detail=describe(alert),
                tag=_("Escalated") if alert.escalation_level else "",
                tag_class="govuk-tag--red" if alert.escalation_level else "",
            )
        )
    return items


def my_alerts(actor, user, now):
    if not actor.has_perm(Perm.VIEW_ALERTS):
        return None
    qs = policy.inbox_alerts(user).open()
    count = qs.count()
    return attention.Panel(
        key="my_alerts",
        title=gettext_lazy("Your alerts"),
        count=count,
        summary=ngettext("%(n)d open alert", "%(n)d open alerts", count) % {"n": count},
        items=_items(qs, now),
        link_url=reverse("alerts:inbox"),
        link_text=gettext_lazy("Open your alerts inbox"),
        empty=gettext_lazy("No open alerts."),
    )


def waiting_for_you(actor, user, now):
    roles = [r for r in APPROVER_ROLES if actor.has_role(r)]
    if not roles or not actor.has_perm(Perm.VIEW_ALERTS) or actor.organisation_id is None:
        return None
    qs = policy.inbox_alerts(user).open().addressed_to(actor.organisation_id, roles)
    count = qs.count()
    return attention.Panel(
        key="waiting_for_you",
        title=gettext_lazy("Approvals and decisions waiting for you"),
        count=count,
        summary=ngettext("%(n)d alert addressed to you", "%(n)d alerts addressed to you", count)
        % {"n": count},
        items=_items(qs, now),
        link_url=reverse("alerts:inbox"),
        link_text=gettext_lazy("Open your alerts inbox"),
        empty=gettext_lazy("Nothing is waiting for your approval or decision."),
    )


def install() -> None:
    attention.register("waiting_for_you", waiting_for_you, order=5)
    attention.register("my_alerts", my_alerts, order=20)
