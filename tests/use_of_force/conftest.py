from datetime import timedelta

import pytest

from accounts.roles import Role
from core.actor import acting_as, command_actor
from detentions import services as detention_services
from tests.api import conftest as api_fixtures
from tests.api import helpers as h

# The same places as the API tests.
suite = api_fixtures.suite
ed = api_fixtures.ed


@pytest.fixture
def detention(force, suite):
    """Detained at T0 (street), arrived at the suite an hour later; still running."""
    return h.detention(force, arrive_at=(suite, h.T0 + timedelta(hours=1)))


@pytest.fixture
def moved_on(detention, ed):
    """The same detention, transferred on from the suite to the ED (the trust may still see it,
    but may no longer record on it)."""
    with acting_as(command_actor("tests")):
        detention_services.record_transfer(
            detention,
            to_place_of_safety=ed,
            departed_at=h.T0 + timedelta(hours=2),
            arrived_at=h.T0 + timedelta(hours=2, minutes=20),
            reason="Physical treatment",
            now=h.NOW,
        )
    detention.refresh_from_db()
    return detention


@pytest.fixture
def ended(detention):
    with acting_as(command_actor("tests")):
        detention_services.end_detention(
            detention, ended_at=h.T0 + timedelta(hours=3), outcome="admitted_informal", now=h.NOW
        )
    detention.refresh_from_db()
    return detention


@pytest.fixture
def mhlead(make_user, force):
    return make_user("mhlead", force, Role.MH_TACTICAL_ADVISER, rank="sergeant")


def force_fields(**overrides):
    fields = {
        "officer_name": "PC Amber Hale",
        "officer_number": "4411",
        "tactic": "handcuffs",
        "used_at": h.T0 + timedelta(minutes=5),
        "location": "street",
        "reasons": ["protect_subject", "prevent_escape"],
        "person_injured": False,
        "officer_injured": False,
    }
    fields.update(overrides)
    return fields


def search_fields(**overrides):
    fields = {
        "officer_name": "PC Amber Hale",
        "searched_at": h.T0 + timedelta(minutes=10),
        "location": "street",
        "grounds": "Said he had a blade and would use it on himself.",
        "items_found": True,
        "found_description": "Craft knife in the left coat pocket",
        "kept_description": "Craft knife",
    }
    fields.update(overrides)
    return fields
