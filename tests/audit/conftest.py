"""Audit tests: detentions made through the real services, with time passed as `now=`."""

import datetime as dt
import itertools

import pytest

from core.actor import acting_as, user_actor
from detentions import services as svc
from people.models import Person
from places_of_safety import services as places
from tests import factories
from tests.security.otp import sign_in_with_second_factor

UTC = dt.UTC
T0 = dt.datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
_names = itertools.count(1)


@pytest.fixture
def place(health_trust):
    return places.create_place(
        name=f"Ashdown suite {next(_names)}",
        kind="health_based",
        organisation=health_trust,
        capacity=2,
    )


@pytest.fixture
def person(force, officer):
    with acting_as(user_actor(officer)):
        return Person.objects.create(
            organisation=force,
            given_name="Alex",
            family_name=f"Example{next(_names)}",
            date_of_birth=dt.date(1990, 1, 1),
        )


@pytest.fixture
def detention(force, person, officer):
    with acting_as(user_actor(officer)):
        return factories.detention(force, person, detained_at=T0)


@pytest.fixture
def arrived(detention, place, nurse):
    with acting_as(user_actor(nurse)):
        svc.record_arrival(
            detention,
            place_of_safety=place,
            arrived_at=T0 + dt.timedelta(minutes=30),
            now=T0 + dt.timedelta(minutes=31),
        )
    detention.refresh_from_db()
    return detention


# Auditors must pass a second factor (core/security.py). These tests sign them in with
# force_login, so the session is marked verified explicitly (tests/security/otp.py).
@pytest.fixture
def web(web):
    plain = web.as_user

    def as_user(user):
        return sign_in_with_second_factor(plain(user), user)

    web.as_user = as_user
    return web


@pytest.fixture
def api_as(api_as):
    def make(user):
        return sign_in_with_second_factor(api_as(user), user)

    return make
