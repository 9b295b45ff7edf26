import datetime as dt

import pytest

from accounts.roles import Role
from tests import factories


def utc(*args):
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.fixture
def mh_lead(make_user, force):
    return make_user("mhlead", force, Role.MH_TACTICAL_ADVISER, rank="sergeant")


@pytest.fixture
def adviser2(make_user, force):
    return make_user("adviser2", force, Role.MH_TACTICAL_ADVISER, rank="sergeant")


@pytest.fixture
def outsider_lead(make_user, other_force):
    return make_user("outsiderlead", other_force, Role.MH_TACTICAL_ADVISER)


def local_parts(prefix, day, month, year, time, fold=""):
    out = {
        f"{prefix}-day": str(day),
        f"{prefix}-month": str(month),
        f"{prefix}-year": str(year),
        f"{prefix}-time": time,
    }
    if fold:
        out[f"{prefix}-fold"] = fold
    return out


def make_detention(force, incident, now):
    """A s136 detention made through the real detention service."""
    return factories.detention(
        force,
        factories.person(force, "Alex", "Tester"),
        detained_at=now - dt.timedelta(hours=1),
        nurse="Nurse Triage",
        advice="Section 136 appropriate.",
        now=now,
        location_description="Castleford Bridge",
        incident=incident,
    )
