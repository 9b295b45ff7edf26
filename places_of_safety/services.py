"""The one door for changes to places of safety."""

from django.db import transaction
from django.utils import timezone

from .models import PlaceOfSafety


@transaction.atomic
def create_place(*, actor_user=None, **fields) -> PlaceOfSafety:
    place = PlaceOfSafety(**fields)
    if "declared_status" in fields:
        place.status_updated_at = timezone.now()
        place.status_updated_by = actor_user
    place.full_clean()
    place.save()
    return place


@transaction.atomic
def update_place(place: PlaceOfSafety, *, actor_user=None, **fields) -> PlaceOfSafety:
    place = PlaceOfSafety.objects.select_for_update().get(pk=place.pk)
    status_changed = (
        "declared_status" in fields and fields["declared_status"] != place.declared_status
    )
    for name, value in fields.items():
        setattr(place, name, value)
    if status_changed or "status_reason" in fields:
        place.status_updated_at = timezone.now()
        place.status_updated_by = actor_user
    place.full_clean()
    place.save()
    return place
