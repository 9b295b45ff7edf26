"""Helpers for the places of safety tests: places, people and detentions made through the real
services (incidents.services.detentions), with time passed explicitly as `now=`."""

import datetime as dt
import itertools

import pytest

from accounts.roles import Role
from detentions import services as svc
from places_of_safety import services as places
from tests import factories

UTC = dt.UTC
T0 = dt.datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
_names = itertools.count(1)


@pytest.fixture
def make_place(health_trust):
    def make(name=None, *, kind="health_based", organisation=None, capacity=1, **fields):
        return places.create_place(
            name=name or f"Place {next(_names)}",
            kind=kind,
            organisation=organisation or health_trust,
            capacity=capacity,
            **fields,
        )

    return make


@pytest.fixture
def detain(force):
    """`detain(now=..., date_of_birth=...)` -> a s136 detention in transit (removed from a public
    place, consultation recorded), made by the real service."""

    def make(*, detained_at=T0, date_of_birth=dt.date(1990, 1, 1), organisation=None, now=None):
        org = organisation or force
        person = factories.person(org, f"Alex{next(_names)}", date_of_birth=date_of_birth)
        return factories.detention(
            org, person, detained_at=detained_at, now=now or detained_at + dt.timedelta(minutes=1)
        )

    return make


@pytest.fixture
def arrive():
    def go(detention, place, *, at=T0 + dt.timedelta(minutes=30), now=None):
        return svc.record_arrival(
            detention,
            place_of_safety=place,
            arrived_at=at,
            now=now or at + dt.timedelta(minutes=1),
        )

    return go


@pytest.fixture
def other_trust_nurse(make_user, acute_trust):
    return make_user("acute-nurse", acute_trust, Role.PLACE_OF_SAFETY_STAFF)


@pytest.fixture
def admin_user(make_user, health_trust):
    user = make_user("places-admin", health_trust, Role.ADMINISTRATOR)
    user.is_staff = True
    user.save()
    return user
