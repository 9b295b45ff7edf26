"""Helpers for page tests: places of safety, detentions in a known state, and form data for the
UK local date-and-time fields."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from core.actor import acting_as, user_actor
from detentions import services
from people.models import Person
from places_of_safety.models import PlaceKind, PlaceOfSafety
from tests import factories

LONDON = ZoneInfo("Europe/London")


def local(name, instant, fold=None):
    """Form data for a LocalDateTimeField called `name` showing `instant` in UK time."""
    t = instant.astimezone(LONDON)
    data = {
        f"{name}-day": str(t.day),
        f"{name}-month": str(t.month),
        f"{name}-year": str(t.year),
        f"{name}-time": t.strftime("%H:%M"),
    }
    if fold is not None:
        data[f"{name}-fold"] = str(fold)
    return data


def wall(name, day, month, year, hhmm, fold=None):
    data = {
        f"{name}-day": str(day),
        f"{name}-month": str(month),
        f"{name}-year": str(year),
        f"{name}-time": hhmm,
    }
    if fold is not None:
        data[f"{name}-fold"] = str(fold)
    return data


def make_places(force, health_trust, acute_trust):
    station = PlaceOfSafety.objects.create(
        name="Castleford Custody Suite",
        kind=PlaceKind.POLICE_STATION,
        organisation=force,
        capacity=2,
        accepts_under_18=False,
    )
    suite = PlaceOfSafety.objects.create(
        name="Northbridge s136 Suite",
        kind=PlaceKind.HEALTH_BASED,
        organisation=health_trust,
        capacity=2,
        accepts_under_18=False,
    )
    children = PlaceOfSafety.objects.create(
        name="Castleford General ED",
        kind=PlaceKind.EMERGENCY_DEPARTMENT,
        organisation=acute_trust,
        capacity=4,
        accepts_under_18=True,
    )
    return station, suite, children


def make_person(force, given="Alex", family="Smith", dob="1990-05-01", assessment=None):
    return Person.objects.create(
        organisation=force,
        given_name=given,
        family_name=family,
        date_of_birth=dob,
        age_assessment=assessment,
    )


def start(user, person, *, detained_at=None, now=None):
    now = now or timezone.now()
    detained_at = detained_at or now - timedelta(minutes=40)
    with acting_as(user_actor(user)):
        return factories.detention(
            person.organisation,
            person,
            detained_at=detained_at,
            consulted_at=detained_at - timedelta(minutes=5),
            nurse="Nurse Triage",
            advice="Detain",
            now=now,
            location_description="High Street",
            created_by=user,
        )


DECISION = {
    "imminent_risk": True,
    "no_other_place": True,
    "hcp_available": True,
    "decision_maker_name": "Insp Hughes",
    "decision_maker_rank": "inspector",
}


def at_station(user, person, station, *, arrived_at=None, now=None):
    now = now or timezone.now()
    arrived_at = arrived_at or now - timedelta(minutes=20)
    d = start(user, person, detained_at=arrived_at - timedelta(minutes=20), now=now)
    with acting_as(user_actor(user)):
        services.record_arrival(
            d,
            place_of_safety=station,
            arrived_at=arrived_at,
            police_station_decision=DECISION,
            now=now,
        )
    d.refresh_from_db()
    return d


def at_suite(user, person, suite, *, arrived_at=None, now=None):
    now = now or timezone.now()
    arrived_at = arrived_at or now - timedelta(minutes=20)
    d = start(user, person, detained_at=arrived_at - timedelta(minutes=20), now=now)
    with acting_as(user_actor(user)):
        services.record_arrival(d, place_of_safety=suite, arrived_at=arrived_at, now=now)
    d.refresh_from_db()
    return d
