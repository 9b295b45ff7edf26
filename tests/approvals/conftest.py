"""Approvals (PS3, E5): a custody suite, a detention held there, a sergeant, an inspector and a
superintendent of the force, and another force's superintendent."""

import datetime as dt

import pytest

from accounts.roles import Role
from core.actor import acting_as, user_actor
from detentions import services
from places_of_safety.models import PlaceKind, PlaceOfSafety
from tests import factories
from tests.pages.helpers import DECISION


@pytest.fixture
def station(force):
    return PlaceOfSafety.objects.create(
        name="Midshire Central custody",
        kind=PlaceKind.POLICE_STATION,
        organisation=force,
        capacity=10,
    )


@pytest.fixture
def second_inspector(make_user, force):
    return make_user("inspector2", force, Role.INSPECTOR, rank="inspector")


@pytest.fixture
def other_superintendent(make_user, other_force):
    return make_user("westsupt", other_force, Role.SUPERINTENDENT, rank="superintendent")


@pytest.fixture
def in_transit(force, sergeant):
    """A detention on its way (the clock not started): a police station is being considered."""
    now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    with acting_as(user_actor(sergeant)):
        d = factories.detention(force, detained_at=now - dt.timedelta(minutes=30), now=None)
    d.refresh_from_db()
    return d


@pytest.fixture
def held_at_station(force, sergeant, station):
    """A detention held at the police station (an inspector decided: no authorisation)."""
    now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    with acting_as(user_actor(sergeant)):
        d = factories.detention(force, detained_at=now - dt.timedelta(hours=3), now=None)
        services.record_arrival(
            d,
            place_of_safety=station,
            arrived_at=now - dt.timedelta(hours=2, minutes=40),
            police_station_decision=DECISION,
        )
    d.refresh_from_db()
    return d
