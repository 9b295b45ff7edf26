import datetime as dt

import pytest

from accounts.roles import Role


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
    from detentions import services as detention_services
    from people.models import Person

    person = Person.objects.create(
        organisation=force,
        given_name="Alex",
        family_name="Tester",
        date_of_birth=dt.date(1990, 1, 1),
    )
    detained_at = now - dt.timedelta(hours=1)
    return detention_services.start_detention(
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
        incident=incident,
        now=now,
    )
