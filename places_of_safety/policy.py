"""Who may see and change places of safety (pages and API share these answers).

The registry of places (kind, status, capacity, occupancy counts) is shared by every
organisation in the deployment: any signed-in user or key may read it. Who is at a place is
seen only by the place's operator and the detaining force (`may_see_occupant`). A place is
changed by its operator (`may_write_place`; status: `may_set_status`), with the role
permission or the `places:write` scope, or by a deployment administrator.
"""

from accounts.permissions import Perm
from accounts.principal import resolve
from accounts.roles import OrganisationKind
from core.policy import Principal, register

from .models import PlaceOfSafety


def visible_places(actor: Principal):
    if not actor.is_authenticated:
        return PlaceOfSafety.objects.none()
    return PlaceOfSafety.objects.all()


register("places_of_safety.placeofsafety", visible_places)


def is_admin(user) -> bool:
    """A deployment administrator may manage every place."""
    actor = resolve(user)
    return bool(
        actor.is_user
        and (actor.superuser or (user.is_staff and actor.has_perm(Perm.MANAGE_PLACES)))
    )


def may_write_place(user, organisation_id) -> bool:
    """Create or change a place run by `organisation_id`: its own keys, its users with
    MANAGE_PLACES or SET_PLACE_STATUS, and deployment administrators."""
    actor = resolve(user)
    if actor.is_key:
        return organisation_id == actor.organisation_id
    if is_admin(user):
        return True
    return organisation_id == actor.organisation_id and (
        actor.has_perm(Perm.MANAGE_PLACES) or actor.has_perm(Perm.SET_PLACE_STATUS)
    )


def may_set_status(user, place) -> bool:
    """Staff of the operating organisation (SET_PLACE_STATUS or MANAGE_PLACES) and deployment
    administrators. A police user may never change a health-based place's status, whoever
    operates it. API keys: the operator's keys (`places:write` is checked by the view)."""
    actor = resolve(user)
    if actor.is_key:
        return actor.organisation_id == place.organisation_id
    if not actor.is_user:
        return False
    if is_admin(user):
        return True
    if actor.organisation_id is None or actor.organisation_id != place.organisation_id:
        return False
    if actor.organisation_kind == OrganisationKind.POLICE_FORCE and place.is_health_based:
        return False
    return actor.has_perm(Perm.SET_PLACE_STATUS) or actor.has_perm(Perm.MANAGE_PLACES)


def may_see_occupant(viewer_organisation_id, place, detention) -> bool:
    """Who may see which person is at a place: the place's operator and the detaining force
    (api-contract: "a place's operator sees detentions at its places"). Others see counts only."""
    if viewer_organisation_id is None:
        return False
    return viewer_organisation_id in (place.organisation_id, detention.organisation_id)
