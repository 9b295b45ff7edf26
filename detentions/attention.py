"""The home page's panels about detentions (core/attention.py), each asking
`detentions.policy` what the actor may see:

- **Checks and reviews due** (custody care: sergeants, inspectors, superintendents): running
  detentions at a police station the actor's organisation may record on, the next welfare check
  or review first, with the time left and its urgency band;
- **Your detentions** (response officers): the running detentions they started, time left;
- **People here now** (place-of-safety staff): who is at a place their organisation runs, by
  name, with the time left and whether they have been handed over.

Each is a count and the first few rows: two queries, whatever the number of detentions.
"""

from __future__ import annotations

from django.db.models import F, Q
from django.db.models.functions import Least
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.permissions import Perm
from accounts.roles import Role
from core import attention, urgency

from . import policy


def _name(d) -> str:
    return f"{d.person.full_name} ({d.reference})"


def _writable(actor, qs):
    """Those the actor's organisation may record on (WRITE): its own force's, or at / bound for
    a place it runs."""
    org = actor.organisation_id
    return qs.filter(
        Q(organisation_id=org)
        | Q(current_place_of_safety__organisation_id=org)
        | Q(in_transfer_to__organisation_id=org)
    )


def _expiry_item(d, now, detail=""):
    band = urgency.band("EXPIRY", d.expires_at, now)
    left = (
        _("Time limit %(at)s: %(left)s")
        % {"at": attention.uk_time(d.expires_at), "left": attention.time_left(d.expires_at, now)}
        if d.expires_at
        else _("The clock starts on arrival at a place of safety")
    )
    return attention.Item(
        text=_name(d),
        url=d.get_absolute_url(),
        detail=f"{detail}. {left}" if detail else left,
        tag=band.words if band else "",
        tag_class=band.tag if band else "",
    )


def checks_due(actor, user, now):
    # Welfare checks and reviews are made at a police station (PS4, PS5): the force's staff.
    if not (actor.has_perm(Perm.RECORD_CUSTODY_CARE) and actor.is_police_force):
        return None
    due = Least("next_welfare_check_due_at", "next_review_due_at")
    qs = _writable(
        actor,
        policy.visible_detentions(actor)
        .active()
        .filter(Q(next_welfare_check_due_at__isnull=False) | Q(next_review_due_at__isnull=False)),
    )
    count = qs.count()
    # PostgreSQL's LEAST ignores a NULL: the earlier of the two that are due.
    rows = qs.select_related("person", "current_place_of_safety").order_by(
        due.asc(nulls_last=True), "pk"
    )[: attention.TOP]
    items = []
    for d in rows:
        welfare, review = d.next_welfare_check_due_at, d.next_review_due_at
        kind, deadline = (
            ("WELFARE_CHECK", welfare)
            if welfare is not None and (review is None or welfare <= review)
            else ("REVIEW", review)
        )
        what = _("Welfare check") if kind == "WELFARE_CHECK" else _("Review")
        band = urgency.most_urgent(
            (urgency.band(kind, deadline, now), urgency.band("EXPIRY", d.expires_at, now))
        )
        place = d.current_place_of_safety.name if d.current_place_of_safety else ""
        items.append(
            attention.Item(
                text=_name(d),
                url=d.get_absolute_url(),
                detail=_("%(what)s due %(at)s (%(left)s). %(place)s")
                % {
                    "what": what,
                    "at": attention.uk_time(deadline),
                    "left": attention.time_left(deadline, now),
                    "place": place,
                },
                tag=band.words if band else "",
                tag_class=band.tag if band else "",
            )
        )
    return attention.Panel(
        key="checks_due",
        title=gettext_lazy("Welfare checks and reviews"),
        count=count,
        summary=ngettext(
            "%(n)d person at a police station needs checks and reviews",
            "%(n)d people at a police station need checks and reviews",
            count,
        )
        % {"n": count},
        items=items,
        link_url=reverse("detention-board") + "?stations=1",
        link_text=gettext_lazy("Everyone at a police station"),
        empty=gettext_lazy("Nobody is held at a police station that your force records on."),
    )


def my_detentions(actor, user, now):
    if not (actor.has_role(Role.RESPONSE_OFFICER) and actor.has_perm(Perm.RECORD_DETENTIONS)):
        return None
    qs = policy.visible_detentions(actor).active().filter(created_by=user)
    count = qs.count()
    rows = qs.select_related("person", "current_place_of_safety", "in_transfer_to").order_by(
        F("expires_at").asc(nulls_last=True), "detained_at"
    )[: attention.TOP]
    items = []
    for d in rows:
        where = (
            d.current_place_of_safety.name
            if d.current_place_of_safety
            else (
                _("On the way to %(place)s") % {"place": d.in_transfer_to.name}
                if d.in_transfer_to
                else _("In transit")
            )
        )
        items.append(_expiry_item(d, now, where))
    return attention.Panel(
        key="my_detentions",
        title=gettext_lazy("Your detentions"),
        count=count,
        summary=ngettext(
            "%(n)d running detention you started", "%(n)d running detentions you started", count
        )
        % {"n": count},
        items=items,
        link_url=reverse("detention-board"),
        link_text=gettext_lazy("All active detentions"),
        empty=gettext_lazy("No detention you started is running."),
    )


def people_here(actor, user, now):
    if not actor.has_role(Role.PLACE_OF_SAFETY_STAFF) or actor.organisation_id is None:
        return None
    qs = (
        policy.visible_detentions(actor)
        .active()
        .filter(current_place_of_safety__organisation_id=actor.organisation_id)
    )
    count = qs.count()
    rows = qs.select_related("person", "current_place_of_safety", "handover").order_by(
        F("expires_at").asc(nulls_last=True), "detained_at"
    )[: attention.TOP]
    items = []
    for d in rows:
        handed = getattr(d, "handover", None) is not None
        where = d.current_place_of_safety.name
        state = _("handed over") if handed else _("not yet handed over")
        items.append(_expiry_item(d, now, f"{where}, {state}"))
    return attention.Panel(
        key="people_here",
        title=gettext_lazy("People here now"),
        count=count,
        summary=ngettext(
            "%(n)d person at your places of safety", "%(n)d people at your places of safety", count
        )
        % {"n": count},
        items=items,
        link_url=reverse("detention-board"),
        link_text=gettext_lazy("All active detentions"),
        empty=gettext_lazy("Nobody is at a place of safety your organisation runs."),
    )


def install() -> None:
    attention.register("checks_due", checks_due, order=10)
    attention.register("people_here", people_here, order=15)
    attention.register("my_detentions", my_detentions, order=30)
