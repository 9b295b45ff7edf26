"""`{% load advisers_tags %}{% advisers_on_duty %}`: who is on duty now per function, and a gap
warning for the coming week, for the signed-in user's force (two queries)."""

from django import template
from django.utils import timezone

from accounts.permissions import Perm, has_perm

from .. import services

register = template.Library()


@register.inclusion_tag("advisers/_on_duty.html", takes_context=True)
def advisers_on_duty(context, detention=None, incident=None):
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    membership = getattr(user, "membership", None) if user is not None else None
    if (
        membership is None
        or not membership.organisation.is_police_force
        or not (has_perm(user, Perm.VIEW_ROSTER) or has_perm(user, Perm.RECORD_ADVICE))
    ):
        return {"show": False}
    now = timezone.now()
    force = membership.organisation
    gaps = services.gaps(force, now)
    return {
        "show": True,
        "rows": services.on_duty_by_function(force, now),
        "gaps": gaps,
        "first_gap": gaps[0] if gaps else None,
        "can_view_roster": has_perm(user, Perm.VIEW_ROSTER),
        "can_request": has_perm(user, Perm.RECORD_ADVICE),
        "detention": detention,
        "incident": incident,
    }
