"""Who may use the privacy pages: retention review and subject access export.

Retention: the organisation's administrators decide, its auditors read. Subject access export:
administrators and auditors of the organisation that holds the person's record, and only where
the person is visible to that organisation (`incidents.policy`). Anything else is 404.
"""

from accounts.principal import resolve
from accounts.roles import Role
from core.policy import ALLOW, Decision, hide
from people import policy as people_policy


def may_view_retention(user) -> bool:
    actor = resolve(user)
    return actor.has_role(Role.ADMINISTRATOR) or actor.has_role(Role.AUDITOR)


def may_decide_retention(user) -> bool:
    return resolve(user).has_role(Role.ADMINISTRATOR)


def may_export_subject(user, person) -> Decision:
    """Auditors and administrators of the person's owning organisation."""
    actor = resolve(user)
    if not (actor.has_role(Role.ADMINISTRATOR) or actor.has_role(Role.AUDITOR)):
        return hide()
    if not people_policy.visible_people(actor).filter(pk=person.pk).exists():
        return hide()
    return ALLOW
