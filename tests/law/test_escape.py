"""X1: escape and retaking (s138)."""

from dataclasses import replace

from law import Escape, Extension, check_escape, check_return, evaluate

from .helpers import HBPOS, HOUR, MINUTE, OTHER, T0, arrived, codes, detention, transferred, utc

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
    from law import Arrival, check_arrival

    facts = replace(detention(), escapes=(Escape(T0 + 10 * MINUTE),))
    result = check_arrival(facts, Arrival(HBPOS, T0 + HOUR), T0 + HOUR)
    assert codes(result) == ["time_order"]
    assert "return" in result[0].message


# --- RS2/X1 under mha1983-original (old s138(3)) and extensions authorised while absent ---
OLD = utc(2016, 3, 1, 13, 0)


def test_rs2_x1_escape_before_arrival_may_be_retaken_within_72_hours_before_2017():
    escaped = OLD + 70 * MINUTE  # 14:10
    facts = replace(detention(detained_at=OLD, consultation=None), escapes=(Escape(escaped),))
    ev = evaluate(facts, escaped + HOUR)
    assert ev.rule_set == "mha1983-original"
    assert ev.retake_by == escaped + 72 * HOUR
    assert check_return(facts, escaped + 30 * HOUR, escaped + 30 * HOUR) == []
    late = check_return(facts, escaped + 72 * HOUR + MINUTE, escaped + 73 * HOUR)
    assert codes(late) == ["retake_period_expired"]


def test_rs2_x1_after_arrival_72_hours_from_the_escape_or_the_period_end_if_sooner():
    arrive = OLD + HOUR
    facts = arrived(detention(detained_at=OLD, consultation=None), HBPOS, arrive)
    early = replace(facts, escapes=(Escape(arrive + 2 * HOUR),))
    assert evaluate(early, arrive + 3 * HOUR).retake_by == arrive + 72 * HOUR  # period end
    late = replace(facts, escapes=(Escape(arrive + 60 * HOUR),))
    assert evaluate(late, arrive + 61 * HOUR).retake_by == arrive + 72 * HOUR
    # Under pca2017 the same escape before arrival gives 24 hours.
    now_rules = replace(detention(), escapes=(Escape(T0 + 10 * MINUTE),))
    assert evaluate(now_rules, T0 + HOUR).retake_by == T0 + 10 * MINUTE + 24 * HOUR


def test_x1_an_extension_authorised_while_absent_does_not_lengthen_the_retaking_window():
    escaped = ARRIVE + 2 * HOUR
    extension = Extension(escaped + HOUR, 8, "Dr Patel", "7012345", "physical_treatment")
    facts = replace(
        arrived(detention(), HBPOS, ARRIVE), extension=extension, escapes=(Escape(escaped),)
    )
    ev = evaluate(facts, escaped + 2 * HOUR)
    assert ev.expires_at == ARRIVE + 32 * HOUR  # the period itself is extended
    assert ev.retake_by == ARRIVE + 24 * HOUR  # the retaking window is not
    assert codes(check_return(facts, ARRIVE + 25 * HOUR, ARRIVE + 25 * HOUR)) == [
        "retake_period_expired"
    ]
