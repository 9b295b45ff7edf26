"""`{% load use_of_force %}{% force_section d %}` on the detention page: the records of force,
search and restraint (two queries) and the links to record them."""

from django import template

from accounts.principal import resolve
from detentions import policy as detention_policy

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
        "can_record": bool(
            detention_policy.may(resolve(user), "use_of_force", detention, visible=True)
        ),
    }
