"""Fixtures for A4 as a request and its answer: a force's detention arrived at a s136 suite of
the mental health trust (with a shared inbox), the suite's nurse, and the personas around it."""

import datetime as dt

import pytest

from accounts.roles import Role
from core import events
from core.actor import acting_as, user_actor
from places_of_safety.models import PlaceOfSafety
from tests import factories

T0 = dt.datetime(2026, 6, 1, 13, 0, tzinfo=dt.UTC)  # 14:00 in London
ARRIVED = T0 + dt.timedelta(minutes=30)
ASKED = T0 + dt.timedelta(minutes=65)  # 15:05 in London


@pytest.fixture
def suite(health_trust):
    return PlaceOfSafety.objects.create(
        name="Willow s136 Suite",
        kind="health_based",
        organisation=health_trust,
        capacity=2,
        handover_inbox="willow-suite@trust.example",
    )


@pytest.fixture
def ed_without_inbox(acute_trust):
    return PlaceOfSafety.objects.create(
        name="City ED", kind="emergency_department", organisation=acute_trust, capacity=4
    )


@pytest.fixture
def station(force):
    return PlaceOfSafety.objects.create(
        name="Castleford Custody", kind="police_station", organisation=force
    )


@pytest.fixture
def d(force, officer, suite):
    with acting_as(user_actor(officer)):
        return factories.detention(
            force,
            factories.person(force, "Sam", "Rowe"),
            detained_at=T0,
            place=suite,
            arrived_at=ARRIVED,
            now=ARRIVED,
            created_by=officer,
        )


@pytest.fixture
def other_nurse(make_user, acute_trust):
    return make_user("ed-nurse", acute_trust, Role.PLACE_OF_SAFETY_STAFF)


@pytest.fixture
def published():
    """Every domain event published while the test runs: [(name, record, now, data)]."""
    seen = []

    def listener(event, record, *, now=None, data=None):
        seen.append((event, record, now, data))

    events.listen(listener)
    yield seen
    events._listeners.remove(listener)
