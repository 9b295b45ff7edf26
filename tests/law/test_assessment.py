"""A1-A4: assessment, ending and handover."""

from dataclasses import replace
from datetime import timedelta

from law import Assessment, Extension, Handover, check_end, check_extension, evaluate

from .helpers import (
    ED,
    HBPOS,
    HOUR,
    MINUTE,
    STATION,
    T0,
    arrived,
    codes,
    decision,
    detention,
    transferred,
)

ARRIVE = T0 + 30 * MINUTE
MICRO = timedelta(microseconds=1)


def test_a1_missing_assessment_never_blocks_an_extension_or_the_end():
    facts = arrived(detention(), HBPOS, ARRIVE)
    extension = Extension(ARRIVE + 20 * HOUR, 6, "Dr Patel", "7012345", "intoxication")
    assert check_extension(facts, extension, ARRIVE + 20 * HOUR) == []
    assert check_end(facts, ARRIVE + 20 * HOUR, "detained_s2", ARRIVE + 20 * HOUR) == []
    partial = replace(facts, assessment=Assessment(amhp_requested_at=ARRIVE))
    assert check_end(partial, ARRIVE + 2 * HOUR, "admitted_informal", ARRIVE + 2 * HOUR) == []


def test_a1_outcome_must_be_from_the_list():
    facts = arrived(detention(), HBPOS, ARRIVE)
    assert codes(check_end(facts, ARRIVE + HOUR, "went_home", ARRIVE + HOUR)) == ["invalid_choice"]
    assert codes(check_end(facts, ARRIVE + HOUR, None, ARRIVE + HOUR)) == ["required"]


def test_a2_assessment_due_three_hours_after_clock_start():
    facts = arrived(detention(), HBPOS, ARRIVE)
    ev = evaluate(facts, ARRIVE + HOUR)
    assert ev.assessment_due_at == ARRIVE + 3 * HOUR
    assert not ev.assessment_target_missed
    assert evaluate(detention(), T0).assessment_due_at is None


def test_a2_started_exactly_at_target_is_not_missed():
    facts = replace(
        arrived(detention(), HBPOS, ARRIVE), assessment=Assessment(started_at=ARRIVE + 3 * HOUR)
    )
    assert not evaluate(facts, ARRIVE + 10 * HOUR).assessment_target_missed


def test_a2_started_after_target_is_missed_and_flagged_not_refused():
    facts = replace(
        arrived(detention(), HBPOS, ARRIVE),
        assessment=Assessment(started_at=ARRIVE + 3 * HOUR + MICRO),
    )
    ev = evaluate(facts, ARRIVE + 10 * HOUR)
    assert ev.assessment_target_missed
    flag = [v for v in ev.violations if v.rule == "A2"]
    assert flag and flag[0].code is None


def test_a2_not_started_and_past_target_is_missed():
    facts = arrived(detention(), HBPOS, ARRIVE)
    assert not evaluate(facts, ARRIVE + 3 * HOUR).assessment_target_missed
    assert evaluate(facts, ARRIVE + 3 * HOUR + MICRO).assessment_target_missed


def test_a2_target_is_configurable():
    facts = arrived(detention(), HBPOS, ARRIVE)
    ev = evaluate(facts, ARRIVE + 90 * MINUTE, assessment_target=timedelta(hours=1))
    assert ev.assessment_due_at == ARRIVE + HOUR
    assert ev.assessment_target_missed


def test_a3_no_mental_disorder_ends_without_an_amhp():
    facts = replace(
        arrived(detention(), HBPOS, ARRIVE),
        assessment=Assessment(
            doctor_requested_at=ARRIVE,
            doctor_arrived_at=ARRIVE + HOUR,
            started_at=ARRIVE + HOUR,
            completed_at=ARRIVE + 90 * MINUTE,
        ),
    )
    assert check_end(facts, ARRIVE + 2 * HOUR, "no_mental_disorder", ARRIVE + 2 * HOUR) == []


def test_a3_no_mental_disorder_accepted_without_any_assessment_record():
    facts = arrived(detention(), HBPOS, ARRIVE)
    assert check_end(facts, ARRIVE + 2 * HOUR, "no_mental_disorder", ARRIVE + 2 * HOUR) == []


def test_a4_handover_due_one_hour_after_arrival_at_health_based_place():
    for place in (HBPOS, ED):
        ev = evaluate(arrived(detention(), place, ARRIVE), ARRIVE + 10 * MINUTE)
        assert ev.handover_due_at == ARRIVE + HOUR
        assert not ev.handover_target_missed


def test_a4_no_handover_target_at_a_police_station():
    ev = evaluate(arrived(detention(), STATION, ARRIVE, decision()), ARRIVE + 2 * HOUR)
    assert ev.handover_due_at is None
    assert not ev.handover_target_missed


def test_a4_missed_handover_is_flagged():
    facts = arrived(detention(), HBPOS, ARRIVE)
    assert not evaluate(facts, ARRIVE + HOUR).handover_target_missed
    ev = evaluate(facts, ARRIVE + HOUR + MICRO)
    assert ev.handover_target_missed
    assert [v.code for v in ev.violations if v.rule == "A4"] == [None]


def test_a4_due_time_is_kept_after_handover():
    on_time = replace(arrived(detention(), HBPOS, ARRIVE), handover=Handover(ARRIVE + HOUR, "RMN"))
    ev = evaluate(on_time, ARRIVE + 5 * HOUR)
    assert ev.handover_due_at == ARRIVE + HOUR
    assert not ev.handover_target_missed
    late = replace(on_time, handover=Handover(ARRIVE + HOUR + MICRO, "RMN"))
    assert evaluate(late, ARRIVE + 5 * HOUR).handover_target_missed


def test_a4_counts_from_the_first_health_based_arrival_after_a_police_station():
    facts = arrived(detention(), STATION, ARRIVE, decision())
    facts = transferred(facts, HBPOS, ARRIVE + 2 * HOUR, ARRIVE + 3 * HOUR)
    ev = evaluate(facts, ARRIVE + 3 * HOUR)
    assert ev.handover_due_at == ARRIVE + 4 * HOUR


def test_a4_target_is_configurable():
    facts = arrived(detention(), HBPOS, ARRIVE)
    ev = evaluate(facts, ARRIVE + 40 * MINUTE, handover_target=timedelta(minutes=30))
    assert ev.handover_due_at == ARRIVE + 30 * MINUTE
    assert ev.handover_target_missed
