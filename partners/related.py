"""Referrals on the pages of incidents and people (added to people.related by
PartnersConfig.ready)."""

from django.db.models import Q

from .models import Referral
from .policy import visible_referrals


def person_referrals(person):
    """The person's referrals to or from the person's own organisation."""
    return (
        Referral.objects.filter(person=person)
        .filter(
            Q(from_organisation_id=person.organisation_id)
            | Q(to_organisation_id=person.organisation_id)
        )
        .select_related("to_organisation")
        .order_by()
    )


def incident_referrals(incident, principal):
    """The referrals from the incident that the principal may see."""
    return (
        visible_referrals(principal)
        .filter(incident=incident)
        .select_related("to_organisation", "person")
    )
