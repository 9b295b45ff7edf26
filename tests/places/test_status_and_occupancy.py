"""Status declarations (audited), occupancy from active detentions, and the effective status."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from core.actor import acting_as, user_actor
from places_of_safety import services
from places_of_safety.models import PlaceOfSafety, PlaceStatusChange

from .conftest import T0

pytestmark = pytest.mark.django_db


def _annotated(place):
    return PlaceOfSafety.objects.for_board().get(pk=place.pk)


def test_occupancy_counts_only_active_detentions_at_the_place(make_place, detain, arrive):
    place = make_place(capacity=3)
    elsewhere = make_place(capacity=3)
    arrive(detain(), place)
    arrive(detain(), place)
    arrive(detain(), elsewhere)
    detain()  # still in transit: not counted anywhere
    ended = arrive(detain(), place)
    from detentions.services import end_detention

    end_detention(
        ended,
        ended_at=T0 + dt.timedelta(hours=2),
        outcome="no_mental_disorder",
        now=T0 + dt.timedelta(hours=2, minutes=1),
    )
    assert _annotated(place).occupancy == 2
    assert _annotated(elsewhere).occupancy == 1


@pytest.mark.parametrize(
    ("declared", "capacity", "occupants", "effective"),
    [
        ("open", 2, 0, "open"),
        ("open", 2, 1, "open"),
        ("open", 2, 2, "full"),  # full by capacity, whatever staff declared
        ("closed", 2, 0, "closed"),
        ("closed", 1, 1, "full"),
        ("full", 3, 0, "full"),  # staff may declare full with beds free (no staff, say)
    ],
)
def test_effective_status(make_place, detain, arrive, declared, capacity, occupants, effective):
    place = make_place(capacity=capacity)
    for _ in range(occupants):
        arrive(detain(), place)
    if declared != "open":
        services.set_status(place, declared, "Reason given")
    annotated = _annotated(place)
    assert (annotated.declared_status, annotated.effective_status) == (declared, effective)
    assert services.effective_status(PlaceOfSafety.objects.get(pk=place.pk)) == effective
    assert list(
        PlaceOfSafety.objects.with_occupancy()
        .filter(effective_status=effective)
        .values_list("pk", flat=True)
    ) == [place.pk]


def test_set_status_records_who_when_why_and_keeps_history(make_place, nurse):
    place = make_place(capacity=2)
    when = place.status_updated_at + dt.timedelta(minutes=5)
    with acting_as(user_actor(nurse)):
        change = services.set_status(
            place, "closed", "  No nurse on shift ", actor_user=nurse, now=when
        )
    place.refresh_from_db()
    assert (place.declared_status, place.status_reason) == ("closed", "No nurse on shift")
    assert (place.status_updated_at, place.status_updated_by) == (when, nurse)
    assert (change.previous_status, change.status, change.set_by) == ("open", "closed", nurse)
    assert change.set_by_label == "nurse"
    assert change.occupancy == 0
    # both the place and the status change are in simple-history, stamped with the actor
    assert place.history.first().changed_by == "nurse"
    assert change.history.first().changed_by == "nurse"
    assert list(place.status_changes.values_list("status", flat=True)) == ["closed", "open"]


@pytest.mark.parametrize("status", ["full", "closed"])
def test_a_reason_is_required_for_full_and_closed(make_place, status):
    place = make_place()
    with pytest.raises(ValidationError) as exc:
        services.set_status(place, status, "  ")
    assert exc.value.error_dict["status_reason"][0].code == "status_reason_required"
    place.refresh_from_db()
    assert place.declared_status == "open"
    assert PlaceStatusChange.objects.filter(place=place).count() == 1  # the creation only


def test_reopening_needs_no_reason_and_an_unknown_status_is_refused(make_place):
    place = make_place()
    services.set_status(place, "closed", "Deep clean")
    services.set_status(place, "open", "")
    with pytest.raises(ValidationError):
        services.set_status(place, "shut", "x")
    place.refresh_from_db()
    assert (place.declared_status, place.status_reason) == ("open", "")


def test_creating_a_place_records_its_first_status(make_place):
    place = make_place(declared_status="closed", status_reason="Opens next week")
    change = place.status_changes.get()
    assert (change.previous_status, change.status, change.reason) == (
        "",
        "closed",
        "Opens next week",
    )
