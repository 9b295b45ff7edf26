"""The one door for changes to places of safety.

Status declarations go through `set_status`: it updates the place's declared status and writes a
`PlaceStatusChange` row (both with history, stamped with the acting identity) in one transaction.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actor import current_actor

from . import occupancy
from .models import FLAGGED_STATUSES, PlaceOfSafety, PlaceStatus, PlaceStatusChange

STATUS_FIELDS = frozenset({"declared_status", "status_reason"})


def effective_status(place: PlaceOfSafety) -> str:
    """`full` whenever occupancy >= capacity, otherwise what staff declared (one query unless the
    place was loaded through `with_occupancy()`)."""
    return occupancy.selectors().effective_status(place)


def is_flagged_status(status: str) -> bool:
    """An arrival at a place with this effective status is recorded and flagged."""
    return status in FLAGGED_STATUSES


def _actor_label(actor_user) -> str:
    actor = current_actor()
    if actor is not None:
        return actor.label
    return actor_user.get_username() if actor_user is not None else ""


def _validate_status(status, reason, require_reason):
    if status not in PlaceStatus.values:
        raise ValidationError(
            {
                "declared_status": ValidationError(
                    _("Choose open, full or closed."), "invalid_choice"
                )
            }
        )
    if require_reason and status in FLAGGED_STATUSES and not (reason or "").strip():
        raise ValidationError(
            {
                "status_reason": ValidationError(
                    _("Give the reason the place is full or closed."), "status_reason_required"
                )
            }
        )


def _record_status(place, status, reason, *, actor_user, now, previous=None) -> PlaceStatusChange:
    """On a saved, locked place: the declared status and its history row."""
    occupancy = (
        PlaceOfSafety.objects.with_occupancy().values_list("occupancy", flat=True).get(pk=place.pk)
    )
    if previous is None:
        previous = place.declared_status
    place.declared_status = status
    place.status_reason = (reason or "").strip()
    place.status_updated_at = now
    place.status_updated_by = actor_user
    place.full_clean()
    place.save()
    return PlaceStatusChange.objects.create(
        place=place,
        status=status,
        previous_status=previous,
        reason=place.status_reason,
        set_at=now,
        set_by=actor_user,
        set_by_label=_actor_label(actor_user),
        occupancy=occupancy,
    )


@transaction.atomic
def set_status(
    place: PlaceOfSafety,
    status: str,
    reason: str = "",
    *,
    actor_user=None,
    now=None,
    require_reason: bool = True,
) -> PlaceStatusChange:
    """Declares a place open, full or closed (a repeat of the same status re-confirms it and
    resets "time since the last update"). A reason is required for full and closed unless the
    caller is the partner API, whose contract takes `status` alone (`require_reason=False`).

    Permission checks belong to the caller (`places_of_safety.policy.may_set_status`)."""
    now = now or timezone.now()
    _validate_status(status, reason, require_reason)
    place = PlaceOfSafety.objects.select_for_update().get(pk=place.pk)
    return _record_status(place, status, reason, actor_user=actor_user, now=now)


@transaction.atomic
def create_place(*, actor_user=None, now=None, **fields) -> PlaceOfSafety:
    now = now or timezone.now()
    status = fields.pop("declared_status", PlaceStatus.OPEN)
    reason = fields.pop("status_reason", "")
    _validate_status(status, reason, require_reason=False)
    place = PlaceOfSafety(
        **fields,
        declared_status=status,
        status_reason=(reason or "").strip(),
        status_updated_at=now,
        status_updated_by=actor_user,
    )
    place.full_clean()
    place.save()
    PlaceStatusChange.objects.create(
        place=place,
        status=status,
        reason=place.status_reason,
        set_at=now,
        set_by=actor_user,
        set_by_label=_actor_label(actor_user),
        occupancy=0,
    )
    return place


@transaction.atomic
def update_place(place: PlaceOfSafety, *, actor_user=None, now=None, **fields) -> PlaceOfSafety:
    """Changes a place's details; a change to `declared_status` or `status_reason` is recorded
    through the status path (history row, who and when)."""
    now = now or timezone.now()
    place = PlaceOfSafety.objects.select_for_update().get(pk=place.pk)
    status_fields = {k: fields.pop(k) for k in list(fields) if k in STATUS_FIELDS}
    for name, value in fields.items():
        setattr(place, name, value)
    if status_fields:
        status = status_fields.get("declared_status", place.declared_status)
        reason = status_fields.get(
            "status_reason", "" if status != place.declared_status else place.status_reason
        )
        _validate_status(status, reason, require_reason=False)
        _record_status(place, status, reason, actor_user=actor_user, now=now)
    else:
        place.full_clean()
        place.save()
    return place
