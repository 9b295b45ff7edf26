"""Fixtures for assessments: places of safety, an AMHP service area, AMHPs, and detentions made
through the real detention services."""

import datetime as dt
import itertools

import pytest

from accounts.roles import Role
from assessments.models import AmhpServiceArea
from detentions import services as detention_services
from people.models import Person
from places_of_safety.models import PlaceKind, PlaceOfSafety

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
        n = next(_names)
        person = Person.objects.create(
            organisation=force,
            given_name=f"Alex{n}",
            family_name="Tester",
            date_of_birth=dt.date(1990, 1, 1),
        )
        detention = detention_services.start_detention(
            organisation=force,
            person=person,
            power="s136",
            detained_at=detained_at,
            mode="removed",
            location_kind="public_place",
            location_description="Castleford Bridge",
            consultation={
                "consulted_at": detained_at,
                "profession": "nurse",
                "name": "Nurse Triage",
                "advice": "Section 136 appropriate.",
            },
            conveyance_mode="ambulance",
            now=now,
        )
        if place is not None:
            detention = detention_services.record_arrival(
                detention,
                place_of_safety=place,
                arrived_at=arrived_at or detained_at + dt.timedelta(minutes=20),
                now=now,
            )
        detention.refresh_from_db()
        return detention

    return make
