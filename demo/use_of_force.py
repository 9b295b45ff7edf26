"""Demo: force, search and restraint on some of the demo force's ended detentions (handcuffs
in the street on every fourth, a prone restraint on every tenth, a protective search on every
sixth), through the services, so the dashboard's figures and the lead's review list are not
empty. Idempotent: nothing is added once the demo has any. Runs after the demo detentions."""

from datetime import timedelta

from detentions.models import Detention
from use_of_force import services
from use_of_force.models import ProtectiveSearch, UseOfForce

FORCE = "midshire-police"


def seed(stdout):
    detentions = Detention.objects.filter(organisation__slug=FORCE, ended_at__isnull=False)
    if (
        UseOfForce.objects.filter(detention__in=detentions).exists()
        or ProtectiveSearch.objects.filter(detention__in=detentions).exists()
    ):
        return
    uses = searches = 0
    for i, d in enumerate(detentions.order_by("detained_at", "pk")):
        at = d.detained_at + timedelta(minutes=2)
        if at > d.ended_at:
            continue
        common = {"officer_name": "PC Sam Okafor", "officer_number": "2231", "location": "street"}
        if i % 4 == 0 or i % 10 == 0:
            services.record_use_of_force(
                d,
                **common,
                tactic="prone_restraint" if i % 10 == 0 else "handcuffs",
                used_at=at,
                reasons=["protect_subject", "prevent_harm"],
                person_injured=False,
                officer_injured=False,
            )
            uses += 1
        if i % 6 == 0:
            services.record_search(
                d,
                **common,
                searched_at=at,
                grounds="Said they had something sharp to hurt themselves with.",
                items_found=i % 12 == 0,
                found_description="A razor blade" if i % 12 == 0 else "",
                kept_description="A razor blade" if i % 12 == 0 else "",
            )
            searches += 1
    stdout.write(f"Force and restraint: {uses} uses of force and {searches} searches.")
