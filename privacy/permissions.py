"""Who may use the privacy pages (by role, within their own organisation)."""

from accounts.roles import Role


def may_view_retention(user) -> bool:
    return bool({Role.ADMINISTRATOR, Role.AUDITOR} & set(user.roles))


def may_decide_retention(user) -> bool:
    return Role.ADMINISTRATOR in user.roles


def may_export_subject(user, person) -> bool:
    """Auditors and administrators of the person's owning organisation."""
    return (
        bool({Role.ADMINISTRATOR, Role.AUDITOR} & set(user.roles))
        and user.organisation is not None
        and person.organisation_id == user.organisation.pk
    )
