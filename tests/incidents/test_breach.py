"""C8 defined once: the queryset annotation (`with_breach`, from `breach_q`), the model
property (`Detention.is_breach` / `breach_at`) and the rule engine agree for detentions in
every state, before, at and after expiry."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from detentions import services as svc
from detentions.facts import evaluate
from detentions.models import Detention, breach_q
from places_of_safety.models import PlaceOfSafety
from tests.alerts.conftest import detain

T0 = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
ARRIVED = T0 + timedelta(minutes=20)
EXPIRES = ARRIVED + timedelta(hours=24)
MINUTE = timedelta(minutes=1)
NOWS = [
    ARRIVED + timedelta(hours=1),
    EXPIRES - MINUTE,
    EXPIRES,
    EXPIRES + MINUTE,
    EXPIRES + timedelta(hours=2),
    EXPIRES + timedelta(hours=7),
]


@pytest.fixture
def suites(health_trust):
    return [
        PlaceOfSafety.objects.create(
            name=f"Suite {n}", kind="health_based", organisation=health_trust, capacity=5
        )
        for n in (1, 2)
    ]


def _detention(force, suite=None):
    return detain(force, at=T0, place=suite, arrived_after=ARRIVED - T0, now=ARRIVED + MINUTE)


def _end(d, at):
    svc.end_detention(d, ended_at=at, outcome="discharged_no_follow_up", now=at + MINUTE)


@pytest.fixture
def detentions(force, suites):
    suite, other = suites
    made = {}
    made["not arrived (no clock)"] = _detention(force)
    made["open"] = _detention(force, suite)
    made["extended"] = d = _detention(force, suite)
    svc.record_extension(
        d,
        authorised_at=EXPIRES - timedelta(hours=2),
        hours=6,
        doctor_name="Dr Patel",
        doctor_gmc_number="7012345",
        ground="intoxication",
        ground_detail="Too intoxicated to assess",
        now=EXPIRES - timedelta(hours=2) + MINUTE,
    )
    made["ended in time"] = d = _detention(force, suite)
    _end(d, ARRIVED + timedelta(hours=5))
    made["ended at expiry"] = d = _detention(force, suite)
    _end(d, EXPIRES)
    made["ended late"] = d = _detention(force, suite)
    _end(d, EXPIRES + timedelta(hours=1))
    made["transferred"] = d = _detention(force, suite)
    svc.record_transfer(
        d,
        to_place_of_safety=other,
        departed_at=ARRIVED + timedelta(hours=3),
        arrived_at=ARRIVED + timedelta(hours=4),
        reason="Bed found",
        now=ARRIVED + timedelta(hours=4, minutes=1),
    )
    made["in transfer"] = d = _detention(force, suite)
    svc.record_transfer(
        d,
        to_place_of_safety=other,
        departed_at=ARRIVED + timedelta(hours=3),
        reason="Bed found",
        now=ARRIVED + timedelta(hours=3, minutes=1),
    )
    made["absent"] = d = _detention(force, suite)
    svc.record_escape(d, escaped_at=ARRIVED + timedelta(hours=2), now=ARRIVED + timedelta(hours=2))
    return {state: Detention.objects.get(pk=d.pk) for state, d in made.items()}


@pytest.mark.django_db
def test_c8_the_annotation_the_property_and_the_engine_agree_in_every_state(detentions):
    seen = set()
    for now in NOWS:
        annotated = dict(
            Detention.objects.filter(pk__in=[d.pk for d in detentions.values()])
            .with_breach(now)
            .values_list("pk", "breach")
        )
        filtered = set(Detention.objects.filter(breach_q(now)).values_list("pk", flat=True))
        for state, d in detentions.items():
            engine = evaluate(d, now).breach
            with time_machine.travel(now, tick=False):
                prop = Detention.objects.get(pk=d.pk).is_breach
            assert (annotated[d.pk], d.pk in filtered, d.breach_at(now), prop) == (
                engine,
                engine,
                engine,
                engine,
            ), (state, now)
            seen.add((state, engine))
    # The states cover both answers where they can have them.
    assert {s for s, b in seen if b} >= {"open", "extended", "ended late", "transferred"}
    assert {s for s, b in seen if not b} >= {
        "not arrived (no clock)",
        "open",
        "extended",
        "ended in time",
        "ended at expiry",
    }
    assert ("ended in time", True) not in seen and ("ended late", False) not in seen
