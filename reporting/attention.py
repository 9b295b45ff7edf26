"""The home page's panel for an NPU lead (core/attention.py): their NPU now (running
detentions, incidents in the last seven days) with the way to its dashboard. Counts through
`detentions.policy` and `incidents.policy`: two queries, whatever the number of records."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy, ngettext

from accounts.roles import Role
from core import attention
from detentions import policy as detention_policy
from incidents import policy as incident_policy

from . import policy


def npu_now(actor, user, now):
    if not actor.has_role(Role.NPU_LEAD):
        return None
    npu = policy.home_npu(user)
    if npu is None:
        return None
    running = detention_policy.visible_detentions(actor).active().filter(npu=npu).count()
    recent = (
        incident_policy.visible_incidents(actor)
        .filter(npu=npu, occurred_at__gte=now - timedelta(days=7))
        .count()
    )
    items = [
        attention.Item(
            text=ngettext("%(n)d running detention", "%(n)d running detentions", running)
            % {"n": running},
            url=reverse("detention-board"),
        ),
        attention.Item(
            text=ngettext(
                "%(n)d incident in the last 7 days", "%(n)d incidents in the last 7 days", recent
            )
            % {"n": recent},
            url=reverse("incident-list"),
        ),
    ]
    return attention.Panel(
        key="npu_now",
        title=gettext_lazy("%(npu)s now") % {"npu": npu.name},
        count=running,
        summary=gettext_lazy("Your NPU: %(npu)s (%(code)s).") % {"npu": npu.name, "code": npu.code},
        items=items,
        link_url=reverse("reporting:npu", args=[npu.code]),
        link_text=gettext_lazy("Reports for %(npu)s") % {"npu": npu.name},
    )


def install() -> None:
    attention.register("npu_now", npu_now, order=40)
