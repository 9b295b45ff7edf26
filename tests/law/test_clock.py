"""C1-C3, C5, C6, C8: the permitted period and its clock."""

from dataclasses import replace
from datetime import timedelta

from law import Extension, check_end, check_new_detention, evaluate

from .helpers import (
    ED,
    HBPOS,
    HOUR,
    MINUTE,
    OTHER,
    T0,
    arrived,
    codes,
    detention,
    london,
    transferred,
    utc,
)

DAY = timedelta(hours=24)
MICRO = timedelta(microseconds=1)


# C1 -----------------------------------------------------------------------------------
def test_c1_removed_clock_starts_at_arrival_at_first_place():
    facts = arrived(detention(), HBPOS, T0 + 40 * MINUTE)
    ev = evaluate(facts, T0 + HOUR)
    assert ev.clock_started_at == T0 + 40 * MINUTE
    assert ev.status == "at_place_of_safety"
    assert ev.current_place == HBPOS


def test_c1_kept_clock_starts_when_officer_decided_to_keep():
    facts = detention(mode="kept", kept_place=ED, location_kind="health_setting")
    ev = evaluate(facts, T0 + HOUR)
    assert ev.clock_started_at == T0
    assert ev.expires_at == T0 + DAY
    assert ev.current_place == ED
    assert ev.status == "at_place_of_safety"


def test_c1_s135_kept_at_warrant_premises_starts_at_entry():
    facts = detention(
        power="s135_1",
        mode="kept",
        kept_place=OTHER,
        location_kind="private_dwelling",
        consultation=None,
        warrant_issued_at=T0 - 5 * HOUR,
        premises_entered_at=T0 - 20 * MINUTE,
        conveyance_mode="none",
    )
    assert check_new_detention(facts, T0, has_other_active_detention=False) == []
    ev = evaluate(facts, T0 + HOUR)
    assert ev.clock_started_at == T0 - 20 * MINUTE
    assert ev.expires_at == T0 - 20 * MINUTE + DAY


def test_c1_s135_removed_starts_at_arrival():
    facts = detention(
        power="s135_1",
        location_kind="private_dwelling",
        consultation=None,
        warrant_issued_at=T0 - 5 * HOUR,
        premises_entered_at=T0 - 20 * MINUTE,
    )
    facts = arrived(facts, HBPOS, T0 + HOUR)
    assert evaluate(facts, T0 + 2 * HOUR).clock_started_at == T0 + HOUR


def test_c1_first_place_counts_not_the_later_ones():
    facts = arrived(detention(), ED, T0 + 30 * MINUTE)
    facts = transferred(facts, HBPOS, T0 + 5 * HOUR, T0 + 6 * HOUR)
    assert evaluate(facts, T0 + 7 * HOUR).clock_started_at == T0 + 30 * MINUTE


# C2 -----------------------------------------------------------------------------------
def test_c2_expiry_is_clock_start_plus_24_hours():
    facts = arrived(detention(), HBPOS, T0 + 30 * MINUTE)
    ev = evaluate(facts, T0 + HOUR)
    assert ev.expires_at == T0 + 30 * MINUTE + DAY
    assert ev.extended_until is None


def test_c2_expiry_is_24_elapsed_hours_across_bst_start():
    # Sat 28 Mar 2026 22:00 GMT; clocks go forward at 01:00 GMT on Sun 29 Mar.
    arrival = london(2026, 3, 28, 22, 0)
    facts = arrived(detention(detained_at=london(2026, 3, 28, 21, 30)), HBPOS, arrival)
    ev = evaluate(facts, london(2026, 3, 29, 12, 0))
    assert ev.expires_at - ev.clock_started_at == DAY
    assert ev.expires_at == utc(2026, 3, 29, 22, 0)
    # On the wall clock that is 23:00 BST: 25 hours of wall time, 24 elapsed.
    assert ev.expires_at.astimezone(arrival.tzinfo).hour == 23


def test_c2_expiry_is_24_elapsed_hours_across_bst_end():
    # Sat 24 Oct 2026 22:00 BST; clocks go back at 01:00 GMT on Sun 25 Oct.
    arrival = london(2026, 10, 24, 22, 0)
    facts = arrived(detention(detained_at=london(2026, 10, 24, 21, 30)), HBPOS, arrival)
    ev = evaluate(facts, london(2026, 10, 25, 12, 0))
    assert ev.expires_at - ev.clock_started_at == DAY
    assert ev.expires_at == utc(2026, 10, 25, 21, 0)
    assert ev.expires_at.astimezone(arrival.tzinfo).hour == 21  # 23 hours of wall time


def test_c2_results_are_utc():
    facts = arrived(detention(detained_at=london(2026, 7, 1, 12)), HBPOS, london(2026, 7, 1, 13))
    ev = evaluate(facts, london(2026, 7, 1, 14))
    assert ev.clock_started_at == utc(2026, 7, 1, 12)
    assert ev.clock_started_at.utcoffset() == timedelta(0)
    assert ev.expires_at.utcoffset() == timedelta(0)


def test_c2_extension_is_added_to_the_period():
    facts = arrived(detention(), HBPOS, T0 + 30 * MINUTE)
    extension = Extension(T0 + 20 * HOUR, 6, "Dr Ali", "7654321", "intoxication")
    ev = evaluate(replace(facts, extension=extension), T0 + 21 * HOUR)
    assert ev.extended_until == T0 + 30 * MINUTE + DAY + 6 * HOUR
    assert ev.expires_at == ev.extended_until


# C3 -----------------------------------------------------------------------------------
def test_c3_new_detention_refused_while_another_is_active():
    result = check_new_detention(detention(), T0, has_other_active_detention=True)
    assert codes(result) == ["detention_active"]
    assert result[0].rule == "C3"
    assert check_new_detention(detention(), T0, has_other_active_detention=False) == []


def test_c3_transfer_never_restarts_or_pauses_the_clock():
    facts = arrived(detention(), ED, T0 + 30 * MINUTE)
    before = evaluate(facts, T0 + 2 * HOUR)
    under_way = transferred(facts, HBPOS, T0 + 3 * HOUR)
    during = evaluate(under_way, T0 + 3 * HOUR + 10 * MINUTE)
    after = evaluate(transferred(facts, HBPOS, T0 + 3 * HOUR, T0 + 4 * HOUR), T0 + 5 * HOUR)
    assert before.expires_at == during.expires_at == after.expires_at
    assert before.clock_started_at == during.clock_started_at == after.clock_started_at
    assert during.status == "in_transit"
    assert during.current_place is None
    assert during.in_transfer_to == HBPOS
    assert after.current_place == HBPOS
    assert after.in_transfer_to is None


# C5 -----------------------------------------------------------------------------------
def test_c5_in_transit_shows_time_since_detention():
    ev = evaluate(detention(), T0 + 25 * MINUTE)
    assert ev.status == "in_transit"
    assert ev.clock_started_at is None
    assert ev.expires_at is None
    assert ev.breach is False
    assert ev.time_since_detention == 25 * MINUTE
    assert ev.current_place is None


def test_c5_time_since_detention_stops_being_shown_once_the_clock_starts():
    ev = evaluate(arrived(detention()), T0 + HOUR)
    assert ev.time_since_detention is None


# C6 -----------------------------------------------------------------------------------
def test_c6_running_past_expiry_is_a_breach_flag_not_a_refusal():
    facts = arrived(detention(), HBPOS, T0)
    ev = evaluate(facts, T0 + DAY + MINUTE)
    assert ev.breach
    flags = [v for v in ev.violations if v.rule == "C6"]
    assert len(flags) == 1 and flags[0].code is None and not flags[0].is_refusal
    assert "End the detention now" in flags[0].message


def test_c6_ending_after_expiry_is_recorded_and_flagged():
    facts = arrived(detention(), HBPOS, T0)
    end = T0 + DAY + 2 * HOUR
    assert check_end(facts, end, "admitted_informal", end) == []
    ev = evaluate(replace(facts, ended_at=end, outcome="admitted_informal"), end + HOUR)
    assert ev.status == "ended"
    assert ev.breach
    assert "C6" in [v.rule for v in ev.violations]
    assert all(v.code is None for v in ev.violations)


# C8 -----------------------------------------------------------------------------------
def test_c8_end_exactly_at_expiry_is_not_a_breach():
    facts = arrived(detention(), HBPOS, T0)
    ended = replace(facts, ended_at=T0 + DAY, outcome="detained_s2")
    assert evaluate(ended, T0 + 2 * DAY).breach is False


def test_c8_end_one_microsecond_after_expiry_is_a_breach():
    facts = arrived(detention(), HBPOS, T0)
    ended = replace(facts, ended_at=T0 + DAY + MICRO, outcome="detained_s2")
    assert evaluate(ended, T0 + 2 * DAY).breach is True


def test_c8_running_detention_breaches_strictly_after_expiry():
    facts = arrived(detention(), HBPOS, T0)
    assert evaluate(facts, T0 + DAY).breach is False
    assert evaluate(facts, T0 + DAY + MICRO).breach is True


def test_c8_record_entered_late_with_end_inside_period_is_not_a_breach():
    facts = arrived(detention(), HBPOS, T0)
    ended = replace(facts, ended_at=T0 + 10 * HOUR, outcome="discharged_with_referral")
    ev = evaluate(ended, T0 + 30 * DAY)
    assert ev.breach is False
    assert "C6" not in [v.rule for v in ev.violations]


def test_c8_breach_follows_a_lawful_extension():
    facts = arrived(detention(), HBPOS, T0)
    extension = Extension(T0 + 23 * HOUR, 12, "Dr Ali", "7654321", "physical_treatment")
    facts = replace(facts, extension=extension)
    assert evaluate(facts, T0 + 36 * HOUR).breach is False
    assert evaluate(facts, T0 + 36 * HOUR + MICRO).breach is True


def test_c1_kept_needs_the_place_it_is_kept_at():
    facts = detention(mode="kept", kept_place=None)
    result = check_new_detention(facts, T0, has_other_active_detention=False)
    assert [(v.rule, v.code, v.attr) for v in result] == [("C1", "required", "place_of_safety")]


def test_c1_mode_must_be_removed_or_kept():
    result = check_new_detention(detention(mode="carried"), T0, has_other_active_detention=False)
    assert [(v.code, v.attr) for v in result] == [("invalid_choice", "mode")]


def test_c1_removal_from_an_emergency_department_starts_the_clock_on_arrival_elsewhere():
    """s136(1)(b): already at an ED, removed to another place of safety."""
    from .helpers import ED

    facts = detention(location_kind="health_setting", conveyance_mode="ambulance")
    ev = evaluate(facts, T0 + HOUR)
    assert ev.clock_started_at is None and ev.status == "in_transit"
    there = arrived(facts, HBPOS, T0 + 2 * HOUR)
    ev = evaluate(there, T0 + 3 * HOUR)
    assert ev.clock_started_at == T0 + 2 * HOUR
    assert ev.expires_at == T0 + 26 * HOUR
    # Kept at the ED instead: the clock starts at the decision to keep them there.
    kept = detention(location_kind="health_setting", mode="kept", kept_place=ED)
    assert evaluate(kept, T0 + HOUR).clock_started_at == T0
