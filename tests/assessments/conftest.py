"""Fixtures for assessments: places of safety, an AMHP service area, AMHPs, and detentions made
through the real detention services."""

import datetime as dt
import itertools

import pytest

from accounts.roles import Role
from assessments.models import AmhpServiceArea
from places_of_safety.models import PlaceKind, PlaceOfSafety
from tests import factories

_names = itertools.count(1)


@pytest.fixture
def suite(health_trust):
    return PlaceOfSafety.objects.create(
        name="Northbridge s136 Suite",
        kind=PlaceKind.HEALTH_BASED,
        organisation=health_trust,
        capacity=30,
    )


@pytest.fixture
def other_suite(acute_trust):
    return PlaceOfSafety.objects.create(
        name="Westshire Emergency Department",
        kind=PlaceKind.EMERGENCY_DEPARTMENT,
        organisation=acute_trust,
        capacity=30,
    )


@pytest.fixture
def area(local_authority, suite):
    area = AmhpServiceArea.objects.create(organisation=local_authority, name="Midshire")
    area.places.add(suite)
    return area


@pytest.fixture
def amhp(make_user, local_authority):
    return make_user("amhp", local_authority, Role.AMHP)


@pytest.fixture
def other_amhp(make_user, other_local_authority):
    return make_user("westamhp", other_local_authority, Role.AMHP)


@pytest.fixture
def doctor(make_user, health_trust):
    return make_user("doctor", health_trust, Role.DOCTOR)


@pytest.fixture
def make_detention(force):
    """`make_detention(place, detained_at=..., arrived_at=..., now=...)`: a s136 detention that
    has arrived at `place` (the clock has started)."""

    def make(place=None, *, detained_at=None, arrived_at=None, now=None):
        now = now or dt.datetime.now(dt.UTC)
        detained_at = detained_at or now - dt.timedelta(minutes=60)
        detention = factories.detention(
            force,
            factories.person(force, f"Alex{next(_names)}", "Tester"),
            detained_at=detained_at,
            nurse="Nurse Triage",
            advice="Section 136 appropriate.",
            now=now,
            place=place,
            arrived_at=arrived_at or detained_at + dt.timedelta(minutes=20),
            location_description="Castleford Bridge",
        )
        detention.refresh_from_db()
        return detention

    return make
