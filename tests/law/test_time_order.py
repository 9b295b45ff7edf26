"""C4 (times in order, nothing in the future beyond a 5-minute skew) and C7 (ended)."""

from dataclasses import replace
from datetime import timedelta

import pytest

from law import (
    Arrival,
    Assessment,
    Escape,
    Extension,
    Handover,
    Review,
    Transfer,
    TransferException,
    WelfareCheck,
    check_arrival,
    check_assessment,
    check_correction,
    check_end,
    check_escape,
    check_extension,
    check_handover,
    check_new_detention,
    check_return,
    check_review,
    check_transfer,
    check_transfer_arrival,
    check_transfer_exception,
    check_welfare_check,
)

from .helpers import (
    HBPOS,
    HOUR,
    MINUTE,
    OTHER,
    STATION,
    T0,
    arrived,
    codes,
    consultation,
    detention,
    transferred,
)

SKEW = 5 * MINUTE
MICRO = timedelta(microseconds=1)


def new(facts, now):
    return check_new_detention(facts, now, has_other_active_detention=False)


def at_hbpos():
    return arrived(detention(), HBPOS, T0 + 30 * MINUTE)


# C4: the detention ---------------------------------------------------------------------
def test_c4_consultation_after_detention_is_refused():
    facts = detention(consultation=consultation(T0 + MINUTE))
    result = new(facts, T0 + HOUR)
    assert codes(result) == ["time_order"]
    assert result[0].attr == "consultation"
    assert result[0].rule == "C4"


def test_c4_consultation_at_detention_time_is_allowed():
    assert new(detention(consultation=consultation(T0)), T0) == []


def test_c4_s135_warrant_then_entry_then_detention():
    base = {
        "power": "s135_1",
        "location_kind": "private_dwelling",
        "consultation": None,
        "warrant_issued_at": T0 - 3 * HOUR,
        "premises_entered_at": T0 - 10 * MINUTE,
    }
    assert new(detention(**base), T0) == []
    entry_before_warrant = detention(**{**base, "premises_entered_at": T0 - 4 * HOUR})
    assert [(v.code, v.attr) for v in new(entry_before_warrant, T0)] == [
        ("time_order", "premises_entered_at")
    ]
    entry_after_detention = detention(**{**base, "premises_entered_at": T0 + MINUTE})
    assert [(v.code, v.attr) for v in new(entry_after_detention, T0 + HOUR)] == [
        ("time_order", "premises_entered_at")
    ]
    warrant_after_detention = detention(
        **{**base, "premises_entered_at": None, "warrant_issued_at": T0 + MINUTE}
    )
    assert [(v.code, v.attr) for v in new(warrant_after_detention, T0 + HOUR)] == [
        ("time_order", "warrant_issued_at")
    ]


def test_c4_s135_needs_the_warrant_time():
    facts = detention(power="s135_1", location_kind="private_dwelling", consultation=None)
    assert [(v.code, v.attr) for v in new(facts, T0)] == [("required", "warrant_issued_at")]


def test_c4_detention_up_to_five_minutes_ahead_is_allowed():
    now = T0 - SKEW
    assert new(detention(), now) == []


def test_c4_detention_more_than_five_minutes_ahead_is_refused():
    now = T0 - SKEW - MICRO
    result = new(detention(), now)
    assert [(v.code, v.attr) for v in result] == [("time_order", "detained_at")]


# C4: arrival and transfers ---------------------------------------------------------------
def test_c4_arrival_before_detention_is_refused():
    result = check_arrival(detention(), Arrival(HBPOS, T0 - MINUTE), T0 + HOUR)
    assert [(v.code, v.attr) for v in result] == [("time_order", "arrived_at")]


def test_c4_arrival_at_detention_time_is_allowed():
    assert check_arrival(detention(), Arrival(HBPOS, T0), T0) == []


def test_c4_arrival_skew_boundary():
    arrival = Arrival(HBPOS, T0 + HOUR)
    assert check_arrival(detention(), arrival, T0 + HOUR - SKEW) == []
    assert codes(check_arrival(detention(), arrival, T0 + HOUR - SKEW - MICRO)) == ["time_order"]


def test_c4_second_arrival_is_refused():
    result = check_arrival(at_hbpos(), Arrival(HBPOS, T0 + HOUR), T0 + 2 * HOUR)
    assert codes(result) == ["arrival_exists"]


def test_c4_transfer_departing_before_arrival_is_refused():
    transfer = Transfer("t1", OTHER, T0 + 20 * MINUTE)
    result = check_transfer(at_hbpos(), transfer, T0 + HOUR)
    assert [(v.code, v.attr) for v in result] == [("time_order", "departed_at")]


def test_c4_transfer_before_any_arrival_is_refused():
    transfer = Transfer("t1", HBPOS, T0 + 20 * MINUTE)
    assert codes(check_transfer(detention(), transfer, T0 + HOUR)) == ["time_order"]


def test_c4_transfer_arriving_before_departure_is_refused():
    transfer = Transfer("t1", OTHER, T0 + 2 * HOUR, T0 + HOUR)
    result = check_transfer(at_hbpos(), transfer, T0 + 3 * HOUR)
    assert [(v.code, v.attr) for v in result] == [("time_order", "arrived_at")]


def test_c4_transfer_before_previous_transfers_arrival_is_refused():
    facts = transferred(at_hbpos(), OTHER, T0 + 2 * HOUR, T0 + 3 * HOUR)
    transfer = Transfer("t2", HBPOS, T0 + 2 * HOUR + 30 * MINUTE)
    result = check_transfer(facts, transfer, T0 + 4 * HOUR)
    assert [(v.code, v.attr) for v in result] == [("time_order", "departed_at")]
    later = Transfer("t2", HBPOS, T0 + 3 * HOUR)
    assert check_transfer(facts, later, T0 + 4 * HOUR) == []


def test_c4_transfer_while_another_is_under_way_is_refused():
    facts = transferred(at_hbpos(), OTHER, T0 + 2 * HOUR)
    result = check_transfer(facts, Transfer("t2", HBPOS, T0 + 3 * HOUR), T0 + 4 * HOUR)
    assert codes(result) == ["time_order"]


def test_c4_transfer_arrival_order_and_state():
    facts = transferred(at_hbpos(), OTHER, T0 + 2 * HOUR, tid="t1")
    assert check_transfer_arrival(facts, "t1", T0 + 2 * HOUR, T0 + 3 * HOUR) == []
    assert codes(check_transfer_arrival(facts, "t1", T0 + HOUR, T0 + 3 * HOUR)) == ["time_order"]
    assert codes(check_transfer_arrival(facts, "nope", T0 + 3 * HOUR, T0 + 3 * HOUR)) == [
        "not_found"
    ]
    done = transferred(at_hbpos(), OTHER, T0 + 2 * HOUR, T0 + 2 * HOUR + MINUTE, tid="t1")
    assert codes(check_transfer_arrival(done, "t1", T0 + 3 * HOUR, T0 + 3 * HOUR)) == [
        "arrival_exists"
    ]


# C4: events within the span ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("check", "make", "attr"),
    [
        (check_welfare_check, lambda t: WelfareCheck(t, "N", "nurse"), "checked_at"),
        (check_review, lambda t: Review(t, True), "reviewed_at"),
        (check_handover, lambda t: Handover(t, "Charge nurse"), "handed_over_at"),
        (
            check_transfer_exception,
            lambda t: TransferException(t, "assessment at 10"),
            "recorded_at",
        ),
    ],
)
def test_c4_events_at_the_place_must_be_within_the_span(check, make, attr):
    facts = at_hbpos()
    assert check(facts, make(T0 + HOUR), T0 + HOUR) == []
    before = check(facts, make(T0 + 29 * MINUTE), T0 + HOUR)
    assert [(v.code, v.attr) for v in before] == [("time_order", attr)]
    assert check(facts, make(T0 + HOUR + SKEW), T0 + HOUR) == []
    future = check(facts, make(T0 + HOUR + SKEW + MICRO), T0 + HOUR)
    assert [(v.code, v.attr) for v in future] == [("time_order", attr)]
    in_transit = check(detention(), make(T0 + 10 * MINUTE), T0 + HOUR)
    assert codes(in_transit) == ["time_order"]


def test_c4_assessment_steps_in_order_for_each_professional():
    facts = at_hbpos()
    now = T0 + 6 * HOUR
    ok = Assessment(
        amhp_requested_at=T0 + 10 * MINUTE,
        amhp_arrived_at=T0 + 2 * HOUR,
        doctor_requested_at=T0 + 40 * MINUTE,
        doctor_arrived_at=T0 + 2 * HOUR,
        started_at=T0 + 2 * HOUR,
        completed_at=T0 + 3 * HOUR,
    )
    assert check_assessment(facts, ok, now) == []
    cases = {
        "amhp_arrived_at": replace(ok, amhp_arrived_at=T0 + 5 * MINUTE),
        "doctor_arrived_at": replace(ok, doctor_arrived_at=T0 + 30 * MINUTE),
        "completed_at": replace(ok, completed_at=T0 + HOUR + 59 * MINUTE),
    }
    for attr, assessment in cases.items():
        result = check_assessment(facts, assessment, now)
        assert ("time_order", attr) in [(v.code, v.attr) for v in result], attr
    started_early = replace(ok, started_at=T0 + HOUR)
    attrs = [v.attr for v in check_assessment(facts, started_early, now)]
    assert attrs == ["started_at"]  # once, although both chains see it
    before_detention = Assessment(amhp_requested_at=T0 - MINUTE)
    assert codes(check_assessment(facts, before_detention, now)) == ["time_order"]
    future = Assessment(completed_at=now + SKEW + MICRO)
    assert codes(check_assessment(facts, future, now)) == ["time_order"]


def test_c4_extension_before_the_clock_started_is_refused():
    extension = Extension(T0 + 10 * MINUTE, 6, "Dr A", "1234567", "intoxication")
    assert codes(check_extension(at_hbpos(), extension, T0 + HOUR)) == ["time_order"]
    assert codes(check_extension(detention(), extension, T0 + HOUR)) == ["time_order"]


def test_c4_end_must_follow_every_recorded_event():
    facts = replace(at_hbpos(), welfare_checks=(WelfareCheck(T0 + 2 * HOUR),))
    assert check_end(facts, T0 + 2 * HOUR, "admitted_informal", T0 + 3 * HOUR) == []
    result = check_end(facts, T0 + 2 * HOUR - MICRO, "admitted_informal", T0 + 3 * HOUR)
    assert [(v.code, v.attr) for v in result] == [("time_order", "ended_at")]
    assert "welfare check" in result[0].message
    assert codes(check_end(facts, T0 + 3 * HOUR + SKEW + MICRO, "other", T0 + 3 * HOUR)) == [
        "time_order"
    ]


def test_c4_escape_and_return_order():
    facts = at_hbpos()
    assert codes(check_escape(facts, Escape(T0 - MINUTE), T0 + HOUR)) == ["time_order"]
    absent = replace(facts, escapes=(Escape(T0 + HOUR),))
    assert codes(check_return(absent, T0 + HOUR - MINUTE, T0 + 2 * HOUR)) == ["time_order"]
    back = replace(facts, escapes=(Escape(T0 + HOUR, T0 + 2 * HOUR),))
    assert codes(check_escape(back, Escape(T0 + HOUR + 30 * MINUTE), T0 + 3 * HOUR)) == [
        "time_order"
    ]
    assert check_escape(back, Escape(T0 + 2 * HOUR), T0 + 3 * HOUR) == []


def test_c4_correction_revalidates_the_whole_record():
    facts = replace(
        at_hbpos(),
        reviews=(Review(T0 + 10 * MINUTE, True),),
        ended_at=T0 + 5 * HOUR,
        outcome="detained_s2",
    )
    result = check_correction(facts, T0 + 6 * HOUR)
    assert [(v.code, v.attr) for v in result] == [("time_order", "reviewed_at")]
    fixed = replace(facts, reviews=(Review(T0 + HOUR, True),))
    assert check_correction(fixed, T0 + 6 * HOUR) == []
    end_too_early = replace(fixed, ended_at=T0 + 50 * MINUTE)
    assert codes(check_correction(end_too_early, T0 + 6 * HOUR)) == ["time_order"]


# C7 ------------------------------------------------------------------------------------
ENDED = replace(
    arrived(detention(), HBPOS, T0 + 30 * MINUTE), ended_at=T0 + 5 * HOUR, outcome="detained_s2"
)
LATER = T0 + 6 * HOUR
BAD = T0 - HOUR  # would break C4 as well


@pytest.mark.parametrize(
    "attempt",
    [
        lambda f: check_arrival(f, Arrival(STATION, BAD), LATER),
        lambda f: check_transfer(f, Transfer("t9", STATION, BAD), LATER),
        lambda f: check_transfer_arrival(f, "t9", BAD, LATER),
        lambda f: check_welfare_check(f, WelfareCheck(BAD), LATER),
        lambda f: check_review(f, Review(BAD, False), LATER),
        lambda f: check_extension(f, Extension(BAD, 99, "", "", "bed_unavailable"), LATER),
        lambda f: check_assessment(f, Assessment(started_at=BAD, completed_at=BAD - HOUR), LATER),
        lambda f: check_handover(f, Handover(BAD), LATER),
        lambda f: check_escape(f, Escape(BAD), LATER),
        lambda f: check_return(f, BAD, LATER),
        lambda f: check_end(f, BAD, "nonsense", LATER),
        lambda f: check_transfer_exception(f, TransferException(BAD, ""), LATER),
    ],
)
def test_c7_ended_detention_refuses_every_event_before_any_other_rule(attempt):
    child = replace(ENDED, date_of_birth=(T0 - 10 * 365 * 24 * HOUR).date())
    for facts in (ENDED, child):
        result = attempt(facts)
        assert codes(result) == ["detention_ended"]
        assert result[0].rule == "C7"
        assert result[0].is_conflict
        assert result[0].attr is None


def test_c7_correction_path_may_touch_an_ended_detention():
    corrected = replace(ENDED, outcome="detained_s3")
    assert check_correction(corrected, LATER) == []
