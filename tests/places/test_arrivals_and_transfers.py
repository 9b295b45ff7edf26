"""Arrivals at a full or closed place are recorded and flagged, never refused; transfer rules
through the real services (C3: the clock does not move; PS1: no child to a police station)."""

import datetime as dt

import pytest
import time_machine

from detentions import services as svc
from detentions.errors import RuleViolation
from places_of_safety import services

from .conftest import T0

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("setup", "flag"),
    [("open", "open"), ("closed", "closed"), ("declared_full", "full"), ("at_capacity", "full")],
)
def test_an_arrival_is_recorded_with_the_places_effective_status(
    make_place, detain, arrive, setup, flag
):
    place = make_place(capacity=1)
    if setup == "closed":
        services.set_status(place, "closed", "No staff")
    elif setup == "declared_full":
        services.set_status(place, "full", "Staff busy with two assessments")
    elif setup == "at_capacity":
        arrive(detain(), place, at=T0 + dt.timedelta(minutes=10))
    detention = arrive(detain(), place)  # never refused
    detention.refresh_from_db()
    assert detention.current_place_of_safety == place
    assert detention.status == "at_place_of_safety"
    assert detention.arrival.place_status_at_arrival == flag


def test_flagged_arrivals_are_counted_on_the_board(make_place, detain, arrive):
    from places_of_safety.models import PlaceOfSafety

    place = make_place(capacity=3)
    arrive(detain(), place)
    services.set_status(place, "closed", "Flooded")
    arrive(detain(), place)
    arrive(detain(), place)
    annotated = PlaceOfSafety.objects.for_board().get(pk=place.pk)
    assert (annotated.occupancy, annotated.flagged_occupants) == (3, 2)
    assert annotated.effective_status == "full"


def test_a_child_cannot_be_transferred_to_a_police_station(make_place, detain, arrive, force):
    suite = make_place(capacity=2, accepts_under_18=True)
    station = make_place("Central custody", kind="police_station", organisation=force, capacity=4)
    child = arrive(detain(date_of_birth=dt.date(2010, 5, 1)), suite)
    with pytest.raises(RuleViolation) as exc:
        svc.record_transfer(
            child,
            to_place_of_safety=station,
            departed_at=T0 + dt.timedelta(hours=1),
            reason="Suite closing",
            authorised_by="Insp. Grey",
            police_station_decision={
                "imminent_risk": True,
                "no_other_place": True,
                "hcp_available": True,
                "decision_maker_rank": "inspector",
                "inspector_name": "Insp. Grey",
                "inspector_rank": "inspector",
                "authorised_at": T0 + dt.timedelta(minutes=55),
            },
            now=T0 + dt.timedelta(hours=1, minutes=1),
        )
    assert "child_police_station" in [v.code for v in exc.value.violations]
    child.refresh_from_db()
    assert child.transfers.count() == 0
    assert (child.current_place_of_safety, child.in_transfer_to) == (suite, None)


def test_the_clock_does_not_move_on_transfer_and_the_board_shows_the_person_in_transit(
    make_place, detain, arrive, acute_trust
):
    from places_of_safety.models import PlaceOfSafety

    suite = make_place("Suite", capacity=1)
    ed = make_place("City ED", kind="emergency_department", organisation=acute_trust, capacity=5)
    arrived_at = T0 + dt.timedelta(minutes=30)
    detention = arrive(detain(), suite, at=arrived_at)
    detention.refresh_from_db()
    clock, expires = detention.clock_started_at, detention.expires_at
    assert clock == arrived_at and expires == arrived_at + dt.timedelta(hours=24)

    with time_machine.travel(T0 + dt.timedelta(hours=3), tick=False):
        transfer = svc.record_transfer(
            detention,
            to_place_of_safety=ed,
            departed_at=T0 + dt.timedelta(hours=2, minutes=50),
            reason="Physical injury needs treatment",
            authorised_by="Dr Patel",
        )
    detention.refresh_from_db()
    assert (detention.status, detention.in_transfer_to, detention.current_place_of_safety) == (
        "in_transit",
        ed,
        None,
    )
    assert (detention.clock_started_at, detention.expires_at) == (clock, expires)
    board = {p.pk: p for p in PlaceOfSafety.objects.for_board()}
    assert (board[ed.pk].in_transit, board[ed.pk].occupancy) == (1, 0)
    assert board[suite.pk].occupancy == 0

    svc.record_transfer_arrival(
        transfer,
        arrived_at=T0 + dt.timedelta(hours=3, minutes=20),
        now=T0 + dt.timedelta(hours=3, minutes=21),
    )
    detention.refresh_from_db()
    assert (detention.status, detention.current_place_of_safety) == ("at_place_of_safety", ed)
    assert (detention.clock_started_at, detention.expires_at) == (clock, expires)
    board = {p.pk: p for p in PlaceOfSafety.objects.for_board()}
    assert (board[ed.pk].in_transit, board[ed.pk].occupancy) == (0, 1)


def test_the_police_station_conditions_apply_to_a_transfer_to_a_station(
    make_place, detain, arrive, force
):
    suite = make_place(capacity=2)
    station = make_place("Central custody", kind="police_station", organisation=force, capacity=4)
    adult = arrive(detain(), suite)
    with pytest.raises(RuleViolation) as exc:
        svc.record_transfer(
            adult,
            to_place_of_safety=station,
            departed_at=T0 + dt.timedelta(hours=1),
            reason="Violence at the suite",
            now=T0 + dt.timedelta(hours=1, minutes=1),
        )
    assert "police_station_conditions" in [v.code for v in exc.value.violations]
    assert adult.transfers.count() == 0
