"""The home page's panels about assessments (core/attention.py), asking `detentions.policy`
which detentions the actor may see:

- **Your cases** (AMHPs): the running detentions whose case they took, and how many in their
  area still wait for an AMHP;
- **Waiting for assessment** (doctors): the running detentions their organisation can see whose
  assessment has not begun, the assessment target first.

Each is a count or two and the first few rows: a fixed number of queries.
"""

from __future__ import annotations

from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.permissions import Perm
from accounts.roles import Role
from core import attention, urgency
from detentions import policy


def _item(d, now, detail):
    started = getattr(getattr(d, "assessment", None), "started_at", None)
    target = None if started else d.assessment_due_at
    band = urgency.most_urgent(
        (urgency.band("EXPIRY", d.expires_at, now), urgency.band("ASSESSMENT", target, now))
    )
    parts = [detail] if detail else []
    if target:
        parts.append(
            _("Assessment target %(at)s (%(left)s)")
            % {"at": attention.uk_time(target), "left": attention.time_left(target, now)}
        )
    if d.expires_at:
        parts.append(
            _("time limit %(at)s (%(left)s)")
            % {
                "at": attention.uk_time(d.expires_at),
                "left": attention.time_left(d.expires_at, now),
            }
        )
    return attention.Item(
        text=f"{d.person.full_name} ({d.reference})",
        url=reverse("assessments:detail", args=[d.pk]),
        detail=". ".join(str(p) for p in parts),
        tag=band.words if band else "",
        tag_class=band.tag if band else "",
    )


def _where(d):
    return d.current_place_of_safety.name if d.current_place_of_safety else _("In transit")


def amhp_cases(actor, user, now):
    if not (actor.has_role(Role.AMHP) and actor.has_perm(Perm.RECORD_ASSESSMENT)):
        return None
    active = policy.visible_detentions(actor).active()
    mine = active.filter(assessment_detail__amhp_user=user)
    count = mine.count()
    waiting = active.filter(
        Q(assessment_detail__isnull=True) | Q(assessment_detail__amhp_organisation__isnull=True)
    ).count()
    rows = mine.select_related("person", "current_place_of_safety", "assessment").order_by(
        F("expires_at").asc(nulls_last=True), "detained_at"
    )[: attention.TOP]
    summary = (
        ngettext("%(n)d running case you took", "%(n)d running cases you took", count)
        % {"n": count}
        + ". "
        + ngettext(
            "%(n)d detention in your area waits for an AMHP.",
            "%(n)d detentions in your area wait for an AMHP.",
            waiting,
        )
        % {"n": waiting}
    )
    return attention.Panel(
        key="amhp_cases",
        title=gettext_lazy("Your cases"),
        count=count,
        summary=summary,
        items=[_item(d, now, _where(d)) for d in rows],
        link_url=reverse("assessments:worklist"),
        link_text=gettext_lazy("AMHP worklist: take a case"),
        empty=gettext_lazy("You have no running case."),
    )


def doctor_waiting(actor, user, now):
    if not (actor.has_role(Role.DOCTOR) and actor.has_perm(Perm.RECORD_ASSESSMENT)):
        return None
    qs = (
        policy.visible_detentions(actor)
        .active()
        .filter(Q(assessment__isnull=True) | Q(assessment__started_at__isnull=True))
    )
    count = qs.count()
    rows = qs.select_related("person", "current_place_of_safety", "assessment").order_by(
        F("assessment_due_at").asc(nulls_last=True), F("expires_at").asc(nulls_last=True), "pk"
    )[: attention.TOP]
    return attention.Panel(
        key="doctor_waiting",
        title=gettext_lazy("Waiting for assessment"),
        count=count,
        summary=ngettext(
            "%(n)d person waits for the assessment to begin",
            "%(n)d people wait for the assessment to begin",
            count,
        )
        % {"n": count},
        items=[_item(d, now, _where(d)) for d in rows],
        link_url=reverse("detention-board"),
        link_text=gettext_lazy("All active detentions you can see"),
        empty=gettext_lazy("Nobody you can see is waiting for an assessment."),
    )


def install() -> None:
    attention.register("amhp_cases", amhp_cases, order=12)
    attention.register("doctor_waiting", doctor_waiting, order=12)
