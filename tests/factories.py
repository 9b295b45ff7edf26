"""Test data made through the real services: the one place the tests build people and
detentions. Plain functions (no mocks): a detention is started by
`incidents.services.detentions.start_detention`, so it has its history row, its derived columns
and its rule checks like any other.

    person(force)                                     # Alex1 Example, born 1 Jan 1990
    detention(force, detained_at=T0)                  # s136, removed from a public place,
                                                      # consultation at T0, by ambulance,
                                                      # recorded a minute later
    detention(force, p, detained_at=T0, place=suite, arrived_at=T0 + 30 min)

Callers set who acts (`acting_as`) as they need; keyword arguments not named here go to
`start_detention` unchanged (incident, npu, created_by, location_description, ...).
"""

from __future__ import annotations

import datetime as dt
import itertools

from detentions import services as detention_services
from detentions.models import Detention
from people.models import Person

ADULT_DOB = dt.date(1990, 1, 1)
ONE_MINUTE_LATER = object()  # `now`: recorded a minute after the detention (the default)
_names = itertools.count(1)


def person(organisation, given_name=None, family_name="Example", **fields) -> Person:
    """A person of `organisation`; unique given names (Alex1, Alex2...) unless one is given.
    An adult (born 1 Jan 1990) unless `date_of_birth` or `age_assessment` says otherwise."""
    if "date_of_birth" not in fields and "age_assessment" not in fields:
        fields["date_of_birth"] = ADULT_DOB
    return Person.objects.create(
        organisation=organisation,
        given_name=given_name or f"Alex{next(_names)}",
        family_name=family_name,
        **fields,
    )


def consultation(at, name="N. Nurse", advice="Take to the suite", profession="nurse") -> dict:
    """The consultation before a s136 detention, as `start_detention` takes it."""
    return {"consulted_at": at, "profession": profession, "name": name, "advice": advice}


def detention(
    organisation,
    who: Person | None = None,
    *,
    detained_at,
    consulted_at=None,
    nurse="N. Nurse",
    advice="Take to the suite",
    now=ONE_MINUTE_LATER,
    place=None,
    arrived_at=None,
    police_station_decision=None,
    **fields,
) -> Detention:
    """A s136 detention: removed from a public place after a consultation (at `consulted_at`,
    default `detained_at`, with `nurse` giving `advice`), conveyed by ambulance. `now` is when
    it is recorded: a minute after `detained_at` by default, the services' own clock if None.
    With `place`, the arrival there at `arrived_at` is recorded too (with
    `police_station_decision`) and the detention is read back from the database.
    Other keyword arguments go to `start_detention` (pass `consultation=None` and
    `consultation_not_practicable_reason=...` for a detention without one)."""
    if now is ONE_MINUTE_LATER:
        now = detained_at + dt.timedelta(minutes=1)
    kwargs = {
        "power": "s136",
        "mode": "removed",
        "location_kind": "public_place",
        "consultation": consultation(
            detained_at if consulted_at is None else consulted_at, name=nurse, advice=advice
        ),
        "conveyance_mode": "ambulance",
        **fields,
    }
    d = detention_services.start_detention(
        organisation=organisation,
        person=who or person(organisation),
        detained_at=detained_at,
        now=now,
        **kwargs,
    )
    if place is not None:
        detention_services.record_arrival(
            d,
            place_of_safety=place,
            arrived_at=arrived_at,
            police_station_decision=police_station_decision,
            now=now,
        )
        d.refresh_from_db()
    return d
