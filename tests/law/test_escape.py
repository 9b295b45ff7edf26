"""X1: escape and retaking (s138)."""

from dataclasses import replace

from incidents.law import Escape, Extension, check_escape, check_return, evaluate

from .helpers import HBPOS, HOUR, MINUTE, OTHER, T0, arrived, codes, detention, transferred

ARRIVE = T0 + 30 * MINUTE


def test_x1_escape_before_arrival_may_be_retaken_within_24_hours():
    facts = replace(detention(), escapes=(Escape(T0 + 10 * MINUTE),))
    ev = evaluate(facts, T0 + HOUR)
    assert ev.status == "absent"
    assert ev.retake_by == T0 + 10 * MINUTE + 24 * HOUR
    assert ev.time_since_detention == HOUR
    assert check_return(facts, ev.retake_by, ev.retake_by) == []
    late = check_return(facts, ev.retake_by + MINUTE, ev.retake_by + MINUTE)
    assert [(v.rule, v.code, v.attr) for v in late] == [
        ("X1", "retake_period_expired", "returned_at")
    ]


def test_x1_escape_after_clock_start_may_be_retaken_until_the_period_ends():
    facts = replace(arrived(detention(), HBPOS, ARRIVE), escapes=(Escape(ARRIVE + 2 * HOUR),))
    ev = evaluate(facts, ARRIVE + 3 * HOUR)
    assert ev.status == "absent"
    assert ev.retake_by == ev.expires_at == ARRIVE + 24 * HOUR
    assert ev.at_police_station is False
    assert check_return(facts, ARRIVE + 24 * HOUR, ARRIVE + 24 * HOUR) == []
    assert codes(check_return(facts, ARRIVE + 24 * HOUR + MINUTE, ARRIVE + 25 * HOUR)) == [
        "retake_period_expired"
    ]


def test_x1_an_extension_already_authorised_extends_the_retaking_period():
    extension = Extension(ARRIVE + HOUR, 8, "Dr Patel", "7012345", "physical_treatment")
    facts = replace(
        arrived(detention(), HBPOS, ARRIVE),
        extension=extension,
        escapes=(Escape(ARRIVE + 2 * HOUR),),
    )
    assert evaluate(facts, ARRIVE + 3 * HOUR).retake_by == ARRIVE + 32 * HOUR


def test_x1_escape_during_a_transfer_uses_the_period():
    facts = transferred(arrived(detention(), HBPOS, ARRIVE), OTHER, ARRIVE + HOUR)
    facts = replace(facts, escapes=(Escape(ARRIVE + 70 * MINUTE),))
    assert evaluate(facts, ARRIVE + 2 * HOUR).retake_by == ARRIVE + 24 * HOUR


def test_x1_return_is_recorded_and_ends_absence():
    facts = replace(
        arrived(detention(), HBPOS, ARRIVE), escapes=(Escape(ARRIVE + HOUR, ARRIVE + 2 * HOUR),)
    )
    ev = evaluate(facts, ARRIVE + 3 * HOUR)
    assert ev.status == "at_place_of_safety"
    assert ev.retake_by is None
    assert ev.current_place == HBPOS


def test_x1_escape_while_absent_and_return_while_present_are_refused():
    facts = arrived(detention(), HBPOS, ARRIVE)
    absent = replace(facts, escapes=(Escape(ARRIVE + HOUR),))
    assert codes(check_escape(absent, Escape(ARRIVE + 2 * HOUR), ARRIVE + 2 * HOUR)) == [
        "already_absent"
    ]
    assert codes(check_return(facts, ARRIVE + HOUR, ARRIVE + HOUR)) == ["not_absent"]
    assert check_escape(facts, Escape(ARRIVE + HOUR), ARRIVE + HOUR) == []


def test_x1_no_movement_is_recorded_while_absent():
    from incidents.law import Arrival, check_arrival

    facts = replace(detention(), escapes=(Escape(T0 + 10 * MINUTE),))
    result = check_arrival(facts, Arrival(HBPOS, T0 + HOUR), T0 + HOUR)
    assert codes(result) == ["time_order"]
    assert "return" in result[0].message
