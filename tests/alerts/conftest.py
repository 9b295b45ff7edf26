"""Detentions in the states that make each alert fall due, built through the real services."""

from datetime import date, timedelta
from itertools import count

import pytest
from django.utils import timezone

from accounts.roles import Role
from detentions.models import Detention
from people.models import Person
from places_of_safety.models import PlaceOfSafety
from tests import factories

_people = count(1)

DECISION = {
    "imminent_risk": True,
    "no_other_place": True,
    "hcp_available": True,
    "decision_maker_rank": "inspector",
    "decision_maker_name": "Insp Hughes",
}


@pytest.fixture
def station(force):
    return PlaceOfSafety.objects.create(
        name="Castleford custody", kind="police_station", organisation=force, capacity=20
    )


@pytest.fixture
def suite(health_trust):
    return PlaceOfSafety.objects.create(
        name="Ashdown suite", kind="health_based", organisation=health_trust, capacity=20
    )


@pytest.fixture
def other_station(other_force):
    return PlaceOfSafety.objects.create(
        name="Westshire custody", kind="police_station", organisation=other_force, capacity=20
    )


def new_person(force) -> Person:
    n = next(_people)
    return Person.objects.create(
        organisation=force, given_name="Alex", family_name=f"Doe{n}", date_of_birth=date(1990, 5, 1)
    )


def detain(force, *, at, place=None, arrived_after=timedelta(minutes=20), now=None) -> Detention:
    """A s136 detention made at `at`, arriving at `place` (if given) `arrived_after` later."""
    now = now or timezone.now()
    d = factories.detention(
        force,
        new_person(force),
        detained_at=at,
        consulted_at=at - timedelta(minutes=5),
        nurse="Nurse Ray",
        advice="Take to a place of safety",
        now=now,
        place=place,
        arrived_at=at + arrived_after,
        police_station_decision=DECISION if place and place.kind == "police_station" else None,
    )
    d.refresh_from_db()
    return d


def refer(force, partner_org, detention):
    """A referral of the detained person to a liaison and diversion partner."""
    from partners import services as referrals

    return referrals.send_referral(
        from_organisation=force,
        to_organisation=partner_org,
        service="liaison_diversion",
        person=detention.person,
        detention=detention,
        reason="Repeat contact; needs follow-up",
        urgency="emergency",
        consent="given",
    )


@pytest.fixture
def mh_lead(make_user, force):
    u = make_user("mhlead", force, Role.MH_TACTICAL_ADVISER, rank="inspector")
    u.email = "mhlead@midshire.police.example"
    u.save()
    return u


@pytest.fixture
def staffed(sergeant, inspector, superintendent, nurse, mh_lead):
    """Everyone an alert can go to, with email addresses."""
    for u in (sergeant, inspector, superintendent, nurse):
        u.email = f"{u.username}@example.org"
        u.save()
    return {
        "sergeant": sergeant,
        "inspector": inspector,
        "superintendent": superintendent,
        "nurse": nurse,
        "mh_lead": mh_lead,
    }


@pytest.fixture
def notify_server(settings):
    """A GOV.UK Notify-compatible server on loopback (tests/notify_server.py), and the `NOTIFY`
    settings pointing at it."""
    from tests.notify_server import NotifyServer

    server = NotifyServer().start()
    settings.NOTIFY = server.settings()
    yield server
    server.stop()


@pytest.fixture
def no_notify(settings):
    """No GOV.UK Notify set up (no API key), as in a deployment that has not configured it."""
    settings.NOTIFY = {**settings.NOTIFY, "API_KEY": "", "CALLBACK_BEARER_TOKEN": ""}
