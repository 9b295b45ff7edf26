"""Who may see and change places of safety.

The registry of places (their kind, status and capacity) is shared by every organisation in the
deployment: any signed-in user or key may read it. Status and details are changed only by the
place's operator (`may_change`), with the role permission or the `places:write` scope."""

from accounts.permissions import Perm
from core.policy import ALLOW, Decision, Principal, deny, register

from .models import PlaceOfSafety


def visible_places(actor: Principal):
    if not actor.is_authenticated:
        return PlaceOfSafety.objects.none()
    return PlaceOfSafety.objects.all()


def may_change(actor: Principal, place: PlaceOfSafety) -> Decision:
    if not actor.allowed((Perm.SET_PLACE_STATUS, Perm.MANAGE_PLACES), "places:write"):
        return deny()
    if actor.organisation_id is None or place.organisation_id != actor.organisation_id:
        return deny("Only the organisation that runs this place may change it.")
    return ALLOW


register("places_of_safety.placeofsafety", visible_places)
