"""Who may see and do what with people: the force that recorded them."""

from __future__ import annotations

from accounts.permissions import Perm
from core.policy import ALLOW, Decision, Principal, deny, hide, register

from .models import Person

PEOPLE_ACTIONS = {
    "view": ((Perm.VIEW_PEOPLE,), "incidents:read"),
    "record": ((Perm.RECORD_PEOPLE,), "incidents:write"),
}


def people_of_organisation(organisation_id):
    if organisation_id is None:
        return Person.objects.none()
    return Person.objects.visible_to_organisation(organisation_id)


def visible_people(actor: Principal):
    return people_of_organisation(actor.organisation_id if actor.is_authenticated else None)


register("incidents.person", visible_people)


def may_person(actor: Principal, action: str, person: Person | None = None) -> Decision:
    perms, scope = PEOPLE_ACTIONS[action]
    if not actor.allowed(perms, scope):
        return deny()
    if person is not None and person.organisation_id != actor.organisation_id:
        return hide()
    return ALLOW
