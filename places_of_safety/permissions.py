"""Who may change a place of safety's status (pages and API share these answers)."""

from accounts.authentication import ApiKeyPrincipal
from accounts.permissions import Perm, has_perm
from accounts.roles import OrganisationKind


def _organisation(user):
    membership = getattr(user, "membership", None)
    return membership.organisation if membership else None


def is_admin(user) -> bool:
    """A deployment administrator may manage every place."""
    return bool(user.is_superuser or (user.is_staff and has_perm(user, Perm.MANAGE_PLACES)))


def may_set_status(user, place) -> bool:
    """Staff of the operating organisation (SET_PLACE_STATUS or MANAGE_PLACES) and deployment
    administrators. A police user may never change a health-based place's status, whoever
    operates it. API keys: the operator's keys (`places:write` is checked by the view)."""
    if isinstance(user, ApiKeyPrincipal):
        return getattr(user, "organisation_id", None) == place.organisation_id
    if not (user and user.is_authenticated and user.is_active):
        return False
    if is_admin(user):
        return True
    org = _organisation(user)
    if org is None or org.pk != place.organisation_id:
        return False
    if org.kind == OrganisationKind.POLICE_FORCE and place.is_health_based:
        return False
    return has_perm(user, Perm.SET_PLACE_STATUS) or has_perm(user, Perm.MANAGE_PLACES)


def may_see_occupant(viewer_organisation_id, place, detention) -> bool:
    """Who may see which person is at a place: the place's operator and the detaining force
    (api-contract: "a place's operator sees detentions at its places"). Others see counts only."""
    if viewer_organisation_id is None:
        return False
    return viewer_organisation_id in (place.organisation_id, detention.organisation_id)
