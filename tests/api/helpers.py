"""Factories for the API tests: places, people and detentions made through the real services."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from core.actor import acting_as, command_actor
from detentions import services  # noqa: F401  (tests use h.services)
from detentions.models import Detention
from people.models import Person
from places_of_safety.models import PlaceOfSafety
from tests import factories

# A fixed "now" for rule tests; detentions below start a few hours earlier.
NOW = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
T0 = NOW - timedelta(hours=4)  # detained_at of the default detention

ADULT_DOB = date(1980, 5, 1)

POLICE_STATION_DECISION = {
    "imminent_risk": True,
    "no_other_place": True,
    "hcp_available": True,
    "decision_maker_name": "Insp Grey",
    "decision_maker_rank": "inspector",
    "inspector_name": "Insp Grey",
    "inspector_rank": "inspector",
}


def iso(dt: datetime) -> str:
    return dt.isoformat()


def place(organisation, kind="health_based", name=None, **fields) -> PlaceOfSafety:
    fields.setdefault("capacity", 2)
    fields.setdefault("accepts_under_18", kind != "police_station")
    return PlaceOfSafety.objects.create(
        name=name or f"{organisation.name} {kind}", kind=kind, organisation=organisation, **fields
    )


def person(organisation, **fields) -> Person:
    fields.setdefault("given_name", "Sam")
    fields.setdefault("family_name", "Jones")
    if "date_of_birth" not in fields and "age_assessment" not in fields:
        fields["date_of_birth"] = ADULT_DOB
    return Person.objects.create(organisation=organisation, **fields)


def detention(
    organisation, who=None, *, detained_at=T0, arrive_at=None, now=NOW, **fields
) -> Detention:
    """A s136 detention from a public place with a consultation; `arrive_at=(place, instant)`
    records the arrival too."""
    who = who or person(organisation)
    where, when = arrive_at or (None, None)
    with acting_as(command_actor("tests")):
        d = factories.detention(
            organisation,
            who,
            detained_at=detained_at,
            consulted_at=detained_at - timedelta(minutes=10),
            nurse="Nurse Ratched",
            advice="Detain",
            now=now,
            place=where,
            arrived_at=when,
            police_station_decision=(
                dict(POLICE_STATION_DECISION) if where and where.is_police_station else None
            ),
            **fields,
        )
    return Detention.objects.get(pk=d.pk)


def errors(response) -> list[tuple[str, str | None]]:
    """[(code, attr), ...] of an error response."""
    return [(e["code"], e["attr"]) for e in response.json()["errors"]]


def codes(response) -> set[str]:
    return {e["code"] for e in response.json()["errors"]}


def url(d, action=None) -> str:
    base = f"/api/v1/detentions/{d.pk if hasattr(d, 'pk') else d}/"
    return f"{base}{action}/" if action else base


def history_count(model) -> int:
    return model.history.count()


def station_arrival(station, arrived_at, **extra) -> dict:
    """The body of an arrival at a police station with an inspector's complete decision."""
    return {
        "place_of_safety": station.pk,
        "arrived_at": iso(arrived_at),
        "police_station_decision": POLICE_STATION_DECISION,
        **extra,
    }


def first_error(response) -> tuple:
    """(code, attr, recordable) of a response's first error (R1: recordable refusals say so)."""
    error = response.json()["errors"][0]
    return error["code"], error["attr"], error.get("recordable", False)
