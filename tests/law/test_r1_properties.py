"""R1 property tests (hypothesis): an act recorded as it happened is judged by the engine itself:
the deadlines are the engine's own (an unlawful extension adds no time; an unlawful police-station
use is still a police-station use and starts the clock), and the rules it breaks are among the
engine's own flags on the record."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from law import (
    Arrival,
    Extension,
    PoliceStationDecision,
    check_arrival,
    check_extension,
    evaluate,
    recordable,
    unlawful,
)

from .helpers import HBPOS, HOUR, MINUTE, STATION, T0, arrived, detention

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
ARRIVE = T0 + 30 * MINUTE
RANKS = ["constable", "sergeant", "inspector", "superintendent", "amhp", None]


def pairs(violations):
    return {(v.rule, v.code) for v in violations if v.code}


extensions = st.builds(
    Extension,
    authorised_at=st.integers(0, 30 * 60).map(lambda m: ARRIVE + m * MINUTE),
    hours=st.one_of(st.integers(0, 20), st.decimals(Decimal(0), Decimal(20), places=2)),
    minutes=st.integers(0, 120),
    doctor_name=st.sampled_from(["Dr Patel", ""]),
    doctor_gmc_number=st.sampled_from(["7012345", ""]),
    ground=st.sampled_from(
        ["intoxication", "physical_treatment", "other_condition", "bed_unavailable"]
    ),
    ground_detail=st.sampled_from(["", "post-ictal"]),
    doctor_responsible_for_examination=st.booleans(),
    superintendent_name=st.sampled_from([None, "Supt Grey"]),
    superintendent_rank=st.sampled_from([None, "superintendent", "chief_inspector"]),
    superintendent_approved_at=st.one_of(
        st.none(), st.integers(0, 30 * 60).map(lambda m: ARRIVE + m * MINUTE)
    ),
)


@SETTINGS
@given(ext=extensions, at_station=st.booleans())
def test_r1_an_extension_recorded_as_it_happened_gets_the_engines_own_deadlines(ext, at_station):
    facts = arrived(
        detention(),
        STATION if at_station else HBPOS,
        ARRIVE,
        PoliceStationDecision(True, True, True, "inspector", consulted_professional="Nurse")
        if at_station
        else None,
    )
    now = ARRIVE + 31 * HOUR
    refusals = check_extension(facts, ext, now)
    ev = evaluate(replace(facts, extension=ext), now)
    base = ARRIVE + 24 * HOUR
    if not refusals:
        assert ev.expires_at == base + ext.length
        assert ev.extended_until == ev.expires_at
    elif recordable(refusals):
        # Recorded as it happened: it adds no time, and the engine flags what it breaks.
        assert ev.expires_at == base and ev.extended_until is None
        assert set(unlawful(refusals)) <= pairs(ev.violations)
        assert ev.breach == (now > base)


@SETTINGS
@given(
    age=st.integers(10, 40),
    flags=st.tuples(*[st.sampled_from([True, False, None])] * 3),
    rank=st.sampled_from(RANKS),
    inspector=st.booleans(),
    consulted=st.booleans(),
    minutes=st.integers(5, 300),
)
def test_r1_a_police_station_use_recorded_as_it_happened_is_still_one(
    age, flags, rank, inspector, consulted, minutes
):
    facts = detention(date_of_birth=date(T0.year - age, 1, 1))
    decision = PoliceStationDecision(
        *flags,
        rank,
        inspector_name="Insp Jones" if inspector else None,
        inspector_rank="inspector" if inspector else None,
        authorised_at=T0 + MINUTE if inspector else None,
        consulted_professional="Nurse" if consulted else None,
    )
    arrival = Arrival(STATION, T0 + minutes * MINUTE, decision)
    now = T0 + (minutes + 60) * MINUTE
    refusals = check_arrival(facts, arrival, now)
    if not recordable(refusals) and refusals:
        return  # not recordable (none here are: every station rule is)
    ev = evaluate(replace(facts, arrival=arrival), now)
    assert ev.clock_started_at == arrival.arrived_at
    assert ev.expires_at == arrival.arrived_at + 24 * HOUR
    assert ev.at_police_station is True
    assert ev.next_welfare_check_due_at == arrival.arrived_at + timedelta(minutes=30)
    assert set(unlawful(refusals)) <= pairs(ev.violations)
    if age < 18:
        assert ("PS1", "child_police_station") in set(unlawful(refusals))
