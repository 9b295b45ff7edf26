"""Legal facts the rest of Harbour asks the engine for instead of deciding them itself: the
breach (C8), since when a transfer is required (PS6), the checks on the times kept beside the
facts (C4, C7) and which events may come next (C7, R2, C1, PS4-PS6, A4, E3, X1)."""

from dataclasses import replace

import pytest

from law import (
    PCA2017,
    Action,
    Assessment,
    Escape,
    Handover,
    Review,
    TransferException,
    check_bed_times,
    check_delay_end,
    check_not_ended,
    check_times,
    evaluate,
    is_breach,
    next_actions,
)

from .helpers import (
    ADULT_SUITE,
    HBPOS,
    HOUR,
    MINUTE,
    T0,
    arrived,
    detention,
    transferred,
)
from .test_extension import ext
from .test_police_station import at_station

ARRIVE = T0 + 30 * MINUTE
EXPIRES = ARRIVE + 24 * HOUR


# C8 ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("expires_at", "ended_at", "now", "breach"),
    [
        (None, None, T0 + 30 * HOUR, False),  # the clock has not started
        (EXPIRES, None, EXPIRES, False),  # running, at expiry
        (EXPIRES, None, EXPIRES + MINUTE, True),  # running past expiry
        (EXPIRES, EXPIRES, EXPIRES + HOUR, False),  # ended exactly at expiry
        (EXPIRES, EXPIRES + MINUTE, EXPIRES, True),  # ended late, looked at whenever
        (EXPIRES, ARRIVE + HOUR, EXPIRES + HOUR, False),  # ended in time
    ],
)
def test_c8_breach_is_the_end_or_now_strictly_after_expiry(expires_at, ended_at, now, breach):
    assert is_breach(expires_at, ended_at, now) is breach


def test_c8_evaluate_uses_the_one_definition():
    facts = arrived(detention(), HBPOS, ARRIVE)
    for now in (EXPIRES - MINUTE, EXPIRES, EXPIRES + MINUTE):
        ev = evaluate(facts, now)
        assert ev.breach is is_breach(ev.expires_at, None, now)
    ended = replace(facts, ended_at=EXPIRES + MINUTE, outcome="admitted_informal")
    ev = evaluate(ended, EXPIRES + 5 * HOUR)
    assert ev.breach is is_breach(ev.expires_at, ended.ended_at, EXPIRES + 5 * HOUR) is True


# PS6 -----------------------------------------------------------------------------------------
def test_ps6_transfer_required_since_the_review_that_found_the_conditions_no_longer_met():
    facts = at_station(reviews=(Review(ARRIVE + HOUR, conditions_met=False),))
    ev = evaluate(facts, ARRIVE + HOUR + MINUTE)
    assert (ev.transfer_required, ev.transfer_required_since) == (True, ARRIVE + HOUR)
    later = replace(
        facts,
        reviews=(*facts.reviews, Review(ARRIVE + 2 * HOUR, True, hcp_available=False)),
    )
    assert evaluate(later, ARRIVE + 2 * HOUR).transfer_required_since == ARRIVE + 2 * HOUR


def test_ps6_transfer_required_since_is_none_without_the_requirement():
    assert evaluate(at_station(), ARRIVE + MINUTE).transfer_required_since is None
    met = at_station(reviews=(Review(ARRIVE + HOUR, conditions_met=True),))
    assert evaluate(met, ARRIVE + HOUR).transfer_required_since is None
    excepted = at_station(
        reviews=(Review(ARRIVE + HOUR, conditions_met=False),),
        transfer_exceptions=(TransferException(ARRIVE + HOUR + MINUTE, "AMHP here soon"),),
    )
    assert evaluate(excepted, ARRIVE + 2 * HOUR).transfer_required_since is None
    moved = transferred(
        at_station(reviews=(Review(ARRIVE + HOUR, conditions_met=False),)),
        ADULT_SUITE,
        ARRIVE + 2 * HOUR,
    )
    assert evaluate(moved, ARRIVE + 2 * HOUR + MINUTE).transfer_required_since is None


# C4 / C7 for the times kept beside the facts -------------------------------------------------
def test_c4_times_kept_beside_the_facts_are_within_the_detention_and_not_in_the_future():
    now = T0 + 2 * HOUR
    ok = check_times(
        PCA2017.id,
        T0,
        {
            "a": (T0, "At the start"),
            "b": (now + PCA2017.future_skew, "At the skew limit"),
            "c": (None, "Not given"),
        },
        now,
    )
    assert ok == []
    v = check_times(
        PCA2017.id,
        T0,
        {
            "early": (T0 - MINUTE, "The bed request"),
            "late": (now + PCA2017.future_skew + MINUTE, "The decision"),
        },
        now,
    )
    assert [(x.rule, x.code, x.attr) for x in v] == [
        ("C4", "time_order", "early"),
        ("C4", "time_order", "late"),
    ]
    assert v[0].message.startswith("The bed request (")
    assert "is before the detention" in v[0].message
    assert "is in the future" in v[1].message


def test_c4_a_bed_is_found_no_earlier_than_it_was_requested():
    assert check_bed_times(T0 + HOUR, T0 + HOUR) == []
    assert check_bed_times(None, T0) == check_bed_times(T0, None) == []
    [v] = check_bed_times(T0 + HOUR, T0 + HOUR - MINUTE)
    assert (v.rule, v.code, v.attr) == ("C4", "time_order", "bed_found_at")


def test_c4_a_delay_ends_after_it_started_and_by_the_end_of_the_detention():
    assert check_delay_end(T0, T0, None) == []
    assert check_delay_end(T0, T0 + HOUR, T0 + HOUR) == []
    [before] = check_delay_end(T0, T0 - MINUTE, None)
    [after] = check_delay_end(T0, T0 + 2 * HOUR, T0 + HOUR)
    assert (before.rule, before.code, before.attr) == ("C4", "time_order", "ended_at")
    assert "before it started" in before.message
    assert (after.rule, after.code, after.attr) == ("C4", "time_order", "ended_at")
    assert "a delay to it ends by then" in after.message


def test_c7_nothing_is_added_to_an_ended_detention():
    assert check_not_ended(None) == []
    [v] = check_not_ended(T0 + HOUR)
    assert (v.rule, v.code, v.is_conflict) == ("C7", "detention_ended", True)
    assert "nothing more can be added" in v.message


# Next actions --------------------------------------------------------------------------------
def actions(facts, now):
    return [a.value for a in next_actions(facts, now)]


def test_c1_an_arrival_comes_next_until_one_is_recorded():
    assert actions(detention(), T0 + MINUTE) == ["arrival", "escape", "end", "correct"]


def test_a4_at_a_health_based_place_a_transfer_a_handover_and_an_extension_may_follow():
    facts = arrived(detention(), HBPOS, ARRIVE)
    assert actions(facts, ARRIVE + MINUTE) == [
        "transfer",
        "handover",
        "extension",
        "escape",
        "end",
        "correct",
    ]
    handed = replace(facts, handover=Handover(ARRIVE + 10 * MINUTE, "Nurse"))
    assert "handover" not in actions(handed, ARRIVE + HOUR)


def test_ps4_ps5_welfare_checks_and_reviews_while_at_a_police_station():
    assert actions(at_station(), ARRIVE + MINUTE) == [
        "welfare_check",
        "review",
        "transfer",
        "handover",
        "extension",
        "escape",
        "end",
        "correct",
    ]


def test_ps6_the_exception_may_be_recorded_while_a_transfer_is_required():
    facts = at_station(reviews=(Review(ARRIVE + HOUR, conditions_met=False),))
    assert actions(facts, ARRIVE + HOUR)[:3] == ["welfare_check", "review", "transfer_exception"]
    excepted = replace(
        facts, transfer_exceptions=(TransferException(ARRIVE + HOUR + MINUTE, "AMHP soon"),)
    )
    assert "transfer_exception" not in actions(excepted, ARRIVE + 2 * HOUR)


def test_c1_the_arrival_of_a_transfer_under_way_comes_next_not_another_transfer():
    facts = transferred(arrived(detention(), HBPOS, ARRIVE), ADULT_SUITE, ARRIVE + HOUR)
    assert actions(facts, ARRIVE + HOUR + MINUTE) == [
        "transfer_arrival",
        "extension",
        "escape",
        "end",
        "correct",
    ]


def test_e3_one_extension_only():
    facts = replace(arrived(detention(), HBPOS, ARRIVE), extension=ext(hours=6))
    assert "extension" not in actions(facts, ARRIVE + 21 * HOUR)


def test_x1_a_return_while_absent_never_an_arrival_or_an_escape():
    facts = replace(detention(), escapes=(Escape(T0 + 10 * MINUTE),))
    assert actions(facts, T0 + 20 * MINUTE) == ["return", "end", "correct"]
    back = replace(facts, escapes=(Escape(T0 + 10 * MINUTE, T0 + 15 * MINUTE),))
    assert actions(back, T0 + 20 * MINUTE) == ["arrival", "escape", "end", "correct"]


def test_c7_r2_after_the_end_only_a_correction_and_late_entries():
    facts = replace(
        arrived(detention(), HBPOS, ARRIVE),
        assessment=Assessment(started_at=ARRIVE + HOUR, completed_at=ARRIVE + 2 * HOUR),
        ended_at=ARRIVE + 2 * HOUR,
        outcome="admitted_informal",
    )
    assert actions(facts, ARRIVE + 3 * HOUR) == [
        "correct",
        "late_welfare_check",
        "late_review",
        "late_transfer_exception",
        "late_handover",
        "late_assessment",
    ]
    handed = replace(facts, handover=Handover(ARRIVE + 10 * MINUTE, "Nurse"))
    assert Action.LATE_HANDOVER not in next_actions(handed, ARRIVE + 3 * HOUR)


def test_next_actions_reuses_an_evaluation_given():
    facts = at_station()
    now = ARRIVE + MINUTE
    assert next_actions(facts, now, evaluation=evaluate(facts, now)) == next_actions(facts, now)
