"""`{% load use_of_force %}{% force_section d %}` on the detention page: the records of force,
search and restraint (two queries) and the links to record them."""

from django import template

from accounts.permissions import has_perm

from ..access import RECORD, may_write, organisation_id_of
from ..models import ProtectiveSearch, UseOfForce

register = template.Library()


@register.inclusion_tag("use_of_force/_section.html", takes_context=True)
def force_section(context, detention):
    user = context["request"].user
    return {
        "d": detention,
        "uses": list(
            UseOfForce.objects.filter(detention=detention).select_related("place_of_safety")
        ),
        "searches": list(
            ProtectiveSearch.objects.filter(detention=detention).select_related("place_of_safety")
        ),
        "can_record": has_perm(user, RECORD) and may_write(detention, organisation_id_of(user)),
    }
