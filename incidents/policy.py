"""Who may see and do what with incidents: the force that recorded them."""

from __future__ import annotations

from accounts.permissions import Perm
from core.policy import ALLOW, Decision, Principal, deny, hide, register

from .models import Incident

INCIDENT_ACTIONS = {
    "view": ((Perm.VIEW_INCIDENTS,), "incidents:read"),
    "record": ((Perm.RECORD_INCIDENTS,), "incidents:write"),
}


def incidents_of_organisation(organisation_id):
    if organisation_id is None:
        return Incident.objects.none()
    return Incident.objects.visible_to_organisation(organisation_id)


def visible_incidents(actor: Principal):
    return incidents_of_organisation(actor.organisation_id if actor.is_authenticated else None)


register("incidents.incident", visible_incidents)


def may_incident(actor: Principal, action: str, incident: Incident | None = None) -> Decision:
    perms, scope = INCIDENT_ACTIONS[action]
    if not actor.allowed(perms, scope):
        return deny()
    if incident is not None and incident.organisation_id != actor.organisation_id:
        return hide()
    return ALLOW
