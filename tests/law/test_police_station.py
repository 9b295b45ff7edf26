"""PS1-PS6: police stations as places of safety (s136A, SI 2017/1036)."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from law import (
    Arrival,
    Consultation,
    Review,
    Transfer,
    TransferException,
    WelfareCheck,
    age_on,
    check_arrival,
    check_new_detention,
    check_transfer,
    check_transfer_arrival,
    evaluate,
)

from .helpers import (
    ADULT_SUITE,
    HBPOS,
    HOUR,
    MINUTE,
    STATION,
    T0,
    arrived,
    codes,
    decision,
    detention,
    sergeant_decision,
    transferred,
    utc,
)

MICRO = timedelta(microseconds=1)
SEVENTEEN = date(2009, 1, 1)  # 17 on T0 (May 2026)


def station_arrival(at=T0 + 30 * MINUTE, dec=None):
    return Arrival(STATION, at, dec if dec is not None else decision())


# PS1 -----------------------------------------------------------------------------------
def test_ps1_child_is_never_taken_to_a_police_station():
    facts = detention(date_of_birth=SEVENTEEN)
    result = check_arrival(facts, station_arrival(), T0 + HOUR)
    assert [(v.rule, v.code, v.attr) for v in result] == [
        ("PS1", "child_police_station", "place_of_safety")
    ]
    assert "take them to a place of safety that accepts under-18s" in result[0].message.lower()


def test_ps1_child_at_a_health_based_place_is_fine():
    facts = detention(date_of_birth=SEVENTEEN)
    assert check_arrival(facts, Arrival(HBPOS, T0 + HOUR), T0 + HOUR) == []


def test_ps1_birthday_boundary_is_local_midnight_in_bst():
    # 18th birthday on 15 Jul 2026 begins at 00:00 BST = 14 Jul 23:00 UTC.
    facts = detention(
        detained_at=utc(2026, 7, 14, 22),
        consultation=None,
        consultation_not_practicable_reason="urgent",
        date_of_birth=date(2008, 7, 15),
    )
    birthday_starts = utc(2026, 7, 14, 23)
    now = utc(2026, 7, 15, 1)
    too_young = check_arrival(facts, station_arrival(birthday_starts - MICRO), now)
    assert codes(too_young) == ["child_police_station"]
    assert check_arrival(facts, station_arrival(birthday_starts), now) == []
    assert age_on(date(2008, 7, 15), birthday_starts - MICRO) == 17
    assert age_on(date(2008, 7, 15), birthday_starts) == 18


def test_ps1_birthday_boundary_is_local_midnight_in_gmt():
    assert age_on(date(2008, 1, 10), utc(2026, 1, 9, 23, 59, 59)) == 17
    assert age_on(date(2008, 1, 10), utc(2026, 1, 10)) == 18


def test_ps1_29_february_birthday_falls_on_1_march_in_other_years():
    dob = date(2008, 2, 29)
    assert age_on(dob, utc(2026, 2, 28, 23, 59, 59)) == 17  # 28 Feb is not yet the birthday
    assert age_on(dob, utc(2026, 3, 1)) == 18  # 1 Mar 00:00 GMT
    assert age_on(dob, utc(2028, 2, 28, 23, 59)) == 19
    assert age_on(dob, utc(2028, 2, 29)) == 20  # a leap year: on the day itself
    facts = detention(detained_at=utc(2026, 2, 28, 22), date_of_birth=dob)
    now = utc(2026, 3, 1, 1)
    assert codes(check_arrival(facts, station_arrival(utc(2026, 2, 28, 23, 59)), now)) == [
        "child_police_station"
    ]
    assert check_arrival(facts, station_arrival(utc(2026, 3, 1, 0, 1)), now) == []


def test_ps1_age_assessment_used_when_date_of_birth_unknown():
    now = T0 + HOUR
    child = detention(date_of_birth=None, age_assessment="appears_under_18")
    assert codes(check_arrival(child, station_arrival(), now)) == ["child_police_station"]
    adult = detention(date_of_birth=None, age_assessment="adult")
    assert check_arrival(adult, station_arrival(), now) == []


def test_ps1_unknown_age_and_no_assessment_is_refused_asking_for_one():
    facts = detention(date_of_birth=None, age_assessment=None)
    result = check_arrival(facts, station_arrival(), T0 + HOUR)
    assert codes(result) == ["child_police_station"]
    assert "age assessment" in result[0].message


def test_ps1_date_of_birth_beats_the_assessment():
    facts = detention(date_of_birth=date(1990, 1, 1), age_assessment="appears_under_18")
    assert check_arrival(facts, station_arrival(), T0 + HOUR) == []


def test_ps1_child_kept_at_a_police_station_is_refused():
    facts = detention(
        mode="kept",
        kept_place=STATION,
        arrival=Arrival(STATION, T0, decision()),
        date_of_birth=SEVENTEEN,
    )
    result = check_new_detention(facts, T0, has_other_active_detention=False)
    assert [(v.code, v.attr) for v in result] == [("child_police_station", "place_of_safety")]


def test_ps1_child_transferred_to_a_police_station_is_refused():
    facts = arrived(detention(date_of_birth=SEVENTEEN), HBPOS)
    transfer = Transfer(
        "t1", STATION, T0 + 2 * HOUR, T0 + 3 * HOUR, police_station_decision=decision()
    )
    result = check_transfer(facts, transfer, T0 + 4 * HOUR)
    assert [(v.code, v.attr) for v in result] == [("child_police_station", "to_place_of_safety")]


def test_ps1_age_is_taken_at_the_transfer_arrival_when_known():
    dob = date(2008, 5, 1)  # 18 from 1 May 2026 00:00 BST = 30 Apr 23:00 UTC
    facts = arrived(detention(detained_at=utc(2026, 4, 30, 12), date_of_birth=dob), HBPOS)
    depart, arrive = utc(2026, 4, 30, 22, 30), utc(2026, 4, 30, 23, 30)
    now = utc(2026, 5, 1, 1)
    with_arrival = Transfer("t1", STATION, depart, arrive, police_station_decision=decision())
    assert check_transfer(facts, with_arrival, now) == []
    under_way = Transfer("t1", STATION, depart, police_station_decision=decision())
    assert codes(check_transfer(facts, under_way, now)) == ["child_police_station"]
    # Recording the arrival of a transfer under way takes the age at that arrival.
    moving = replace(facts, transfers=(under_way,))
    assert check_transfer_arrival(moving, "t1", arrive, now) == []
    assert codes(check_transfer_arrival(moving, "t1", utc(2026, 4, 30, 22, 59), now)) == [
        "child_police_station"
    ]


# PS2 -----------------------------------------------------------------------------------
def test_ps2_missing_decision_is_refused():
    result = check_arrival(detention(), Arrival(STATION, T0 + HOUR), T0 + HOUR)
    assert [(v.rule, v.code, v.attr) for v in result] == [
        ("PS2", "police_station_conditions", "police_station_decision")
    ]


@pytest.mark.parametrize("condition", ["imminent_risk", "no_other_place", "hcp_available"])
@pytest.mark.parametrize("value", [False, None])
def test_ps2_each_condition_must_be_affirmed(condition, value):
    arrival = station_arrival(dec=decision(**{condition: value}))
    result = check_arrival(detention(), arrival, T0 + HOUR)
    assert codes(result) == ["police_station_conditions"]
    assert "not a police station" in result[0].message


def test_ps2_constable_must_consult_before_deciding_a_transfer():
    facts = arrived(detention(), HBPOS)
    constable = sergeant_decision(
        decision_maker_rank="constable", authorised_at=T0 + 2 * HOUR, consulted_professional=None
    )
    transfer = Transfer(
        "t1", STATION, T0 + 2 * HOUR, T0 + 3 * HOUR, police_station_decision=constable
    )
    assert codes(check_transfer(facts, transfer, T0 + 4 * HOUR)) == ["police_station_conditions"]
    consulted = replace(
        constable, consulted_professional=Consultation(T0 + 2 * HOUR, "nurse", "N", "ok")
    )
    transfer = replace(transfer, police_station_decision=consulted)
    assert check_transfer(facts, transfer, T0 + 4 * HOUR) == []
    not_practicable = replace(constable, consultation_not_practicable_reason="no one reachable")
    transfer = replace(transfer, police_station_decision=not_practicable)
    assert check_transfer(facts, transfer, T0 + 4 * HOUR) == []


def test_ps2_constable_removing_may_rely_on_the_detention_consultation():
    constable = sergeant_decision(decision_maker_rank="constable", consulted_professional=None)
    assert check_arrival(detention(), station_arrival(dec=constable), T0 + HOUR) == []
    no_consultation = detention(consultation=None, consultation_not_practicable_reason=None)
    assert "police_station_conditions" in codes(
        check_arrival(no_consultation, station_arrival(dec=constable), T0 + HOUR)
    )


def test_ps2_decision_maker_rank_is_required():
    result = check_arrival(
        detention(), station_arrival(dec=decision(decision_maker_rank=None)), T0 + HOUR
    )
    assert "police_station_conditions" in codes(result)


def test_ps2_kept_at_a_police_station_needs_the_decision():
    kept = {"mode": "kept", "kept_place": STATION, "conveyance_mode": "none"}
    without = detention(**kept)
    assert codes(check_new_detention(without, T0, has_other_active_detention=False)) == [
        "police_station_conditions"
    ]
    with_decision = detention(**kept, arrival=Arrival(STATION, T0, decision()))
    assert check_new_detention(with_decision, T0, has_other_active_detention=False) == []


# PS3 -----------------------------------------------------------------------------------
@pytest.mark.parametrize("rank", ["constable", "sergeant", "amhp"])
def test_ps3_below_inspector_needs_an_inspectors_authorisation(rank):
    dec = decision(decision_maker_rank=rank, consulted_professional="nurse on call")
    result = check_arrival(detention(), station_arrival(dec=dec), T0 + HOUR)
    assert [(v.rule, v.code, v.attr) for v in result] == [
        ("PS3", "inspector_authorisation_required", "police_station_decision")
    ]
    authorised = replace(
        dec, inspector_name="Insp Jones", inspector_rank="inspector", authorised_at=T0 + 5 * MINUTE
    )
    assert check_arrival(detention(), station_arrival(dec=authorised), T0 + HOUR) == []


@pytest.mark.parametrize("missing", ["inspector_name", "inspector_rank", "authorised_at"])
def test_ps3_name_rank_and_time_are_all_recorded(missing):
    dec = replace(sergeant_decision(), **{missing: None})
    assert codes(check_arrival(detention(), station_arrival(dec=dec), T0 + HOUR)) == [
        "inspector_authorisation_required"
    ]


def test_ps3_authoriser_must_be_inspector_or_above():
    dec = sergeant_decision(inspector_rank="sergeant")
    assert codes(check_arrival(detention(), station_arrival(dec=dec), T0 + HOUR)) == [
        "inspector_authorisation_required"
    ]
    dec = sergeant_decision(inspector_rank="chief_superintendent")
    assert check_arrival(detention(), station_arrival(dec=dec), T0 + HOUR) == []


@pytest.mark.parametrize(
    "rank", ["inspector", "chief_inspector", "superintendent", "chief_constable"]
)
def test_ps3_inspector_or_above_deciding_needs_no_authorisation(rank):
    dec = decision(decision_maker_rank=rank)
    assert check_arrival(detention(), station_arrival(dec=dec), T0 + HOUR) == []


def test_ps3_authorisation_time_is_in_order():
    dec = sergeant_decision(authorised_at=T0 - MINUTE)
    assert codes(check_arrival(detention(), station_arrival(dec=dec), T0 + HOUR)) == ["time_order"]


def test_ps3_amhp_arranging_a_transfer_needs_an_inspector():
    facts = arrived(detention(), HBPOS)
    dec = decision(decision_maker_rank="amhp")
    transfer = Transfer("t1", STATION, T0 + 2 * HOUR, T0 + 3 * HOUR, police_station_decision=dec)
    assert codes(check_transfer(facts, transfer, T0 + 4 * HOUR)) == [
        "inspector_authorisation_required"
    ]


# PS4 -----------------------------------------------------------------------------------
ARRIVE = T0 + 30 * MINUTE


def at_station(**kw):
    return replace(arrived(detention(), STATION, ARRIVE, decision()), **kw)


def test_ps4_first_welfare_check_due_30_minutes_after_arrival():
    ev = evaluate(at_station(), ARRIVE + 10 * MINUTE)
    assert ev.at_police_station
    assert ev.next_welfare_check_due_at == ARRIVE + 30 * MINUTE
    assert not ev.welfare_check_overdue


def test_ps4_next_check_due_30_minutes_after_the_latest_check():
    checks = (WelfareCheck(ARRIVE + 25 * MINUTE), WelfareCheck(ARRIVE + 10 * MINUTE))
    ev = evaluate(at_station(welfare_checks=checks), ARRIVE + 40 * MINUTE)
    assert ev.next_welfare_check_due_at == ARRIVE + 55 * MINUTE


def test_ps4_overdue_strictly_after_due():
    facts = at_station()
    assert not evaluate(facts, ARRIVE + 30 * MINUTE).welfare_check_overdue
    ev = evaluate(facts, ARRIVE + 30 * MINUTE + MICRO)
    assert ev.welfare_check_overdue
    flag = [v for v in ev.violations if v.rule == "PS4"]
    assert flag and flag[0].code is None


def test_ps4_checks_before_arriving_at_this_station_do_not_count():
    facts = arrived(detention(), HBPOS, ARRIVE)
    facts = replace(facts, welfare_checks=(WelfareCheck(ARRIVE + HOUR),))
    facts = transferred(
        facts, STATION, ARRIVE + 2 * HOUR, ARRIVE + 3 * HOUR, police_station_decision=decision()
    )
    ev = evaluate(facts, ARRIVE + 3 * HOUR)
    assert ev.next_welfare_check_due_at == ARRIVE + 3 * HOUR + 30 * MINUTE


def test_ps4_ps5_only_while_at_a_police_station_and_running():
    assert evaluate(arrived(detention(), HBPOS), ARRIVE).next_welfare_check_due_at is None
    ended = at_station(ended_at=ARRIVE + HOUR, outcome="detained_s2")
    ev = evaluate(ended, ARRIVE + 3 * HOUR)
    assert ev.next_welfare_check_due_at is None and ev.next_review_due_at is None
    assert not ev.welfare_check_overdue and not ev.review_overdue
    leaving = transferred(at_station(), HBPOS, ARRIVE + HOUR)
    ev = evaluate(leaving, ARRIVE + HOUR + MINUTE)
    assert ev.next_welfare_check_due_at is None and not ev.at_police_station


# PS5 -----------------------------------------------------------------------------------
def test_ps5_first_review_due_one_hour_after_arrival():
    ev = evaluate(at_station(), ARRIVE)
    assert ev.next_review_due_at == ARRIVE + HOUR
    assert not ev.review_overdue
    assert evaluate(at_station(), ARRIVE + HOUR + MICRO).review_overdue


def test_ps5_next_review_one_hour_after_the_latest():
    facts = at_station(reviews=(Review(ARRIVE + 50 * MINUTE, True),))
    assert evaluate(facts, ARRIVE + HOUR).next_review_due_at == ARRIVE + 110 * MINUTE


def test_ps5_asleep_and_no_risk_requiring_waking_allows_three_hours():
    facts = at_station(
        welfare_checks=(WelfareCheck(ARRIVE + 45 * MINUTE, risk_requires_waking=False),),
        reviews=(Review(ARRIVE + 50 * MINUTE, True, asleep=True),),
    )
    ev = evaluate(facts, ARRIVE + HOUR)
    assert ev.next_review_due_at == ARRIVE + 50 * MINUTE + 3 * HOUR
    assert not evaluate(facts, ARRIVE + 50 * MINUTE + 3 * HOUR).review_overdue


def test_ps5_asleep_but_latest_check_found_risk_keeps_one_hour():
    facts = at_station(
        welfare_checks=(WelfareCheck(ARRIVE + 45 * MINUTE, risk_requires_waking=True),),
        reviews=(Review(ARRIVE + 50 * MINUTE, True, asleep=True),),
    )
    assert evaluate(facts, ARRIVE + HOUR).next_review_due_at == ARRIVE + 110 * MINUTE


def test_ps5_asleep_without_any_check_keeps_one_hour():
    facts = at_station(reviews=(Review(ARRIVE + 50 * MINUTE, True, asleep=True),))
    assert evaluate(facts, ARRIVE + HOUR).next_review_due_at == ARRIVE + 110 * MINUTE


def test_ps5_a_later_check_finding_risk_shortens_the_asleep_interval():
    facts = at_station(
        welfare_checks=(
            WelfareCheck(ARRIVE + 45 * MINUTE, risk_requires_waking=False),
            WelfareCheck(ARRIVE + 70 * MINUTE, risk_requires_waking=True),
        ),
        reviews=(Review(ARRIVE + 50 * MINUTE, True, asleep=True),),
    )
    assert evaluate(facts, ARRIVE + 80 * MINUTE).next_review_due_at == ARRIVE + 110 * MINUTE


def test_ps5_overdue_review_is_flagged():
    ev = evaluate(
        at_station(welfare_checks=(WelfareCheck(ARRIVE + 61 * MINUTE),)), ARRIVE + 62 * MINUTE
    )
    assert ev.review_overdue
    assert [v.rule for v in ev.violations if v.code is None] == ["PS5"]


# PS6 -----------------------------------------------------------------------------------
def test_ps6_conditions_no_longer_met_requires_a_transfer():
    facts = at_station(reviews=(Review(ARRIVE + HOUR, conditions_met=False),))
    ev = evaluate(facts, ARRIVE + HOUR + MINUTE)
    assert ev.transfer_required
    assert "PS6" in [v.rule for v in ev.violations]


def test_ps6_no_healthcare_professional_requires_a_transfer():
    facts = at_station(reviews=(Review(ARRIVE + HOUR, True, hcp_available=False),))
    assert evaluate(facts, ARRIVE + HOUR + MINUTE).transfer_required


def test_ps6_recorded_exception_lifts_the_requirement():
    facts = at_station(
        reviews=(Review(ARRIVE + HOUR, conditions_met=False),),
        transfer_exceptions=(
            TransferException(ARRIVE + HOUR + 5 * MINUTE, "AMHP arriving in 20 min; distress"),
        ),
    )
    assert not evaluate(facts, ARRIVE + HOUR + 10 * MINUTE).transfer_required


def test_ps6_an_exception_before_the_review_does_not_count():
    facts = at_station(
        reviews=(Review(ARRIVE + HOUR, conditions_met=False),),
        transfer_exceptions=(TransferException(ARRIVE + 30 * MINUTE, "earlier"),),
    )
    assert evaluate(facts, ARRIVE + HOUR + 10 * MINUTE).transfer_required


def test_ps6_a_transfer_lifts_the_requirement():
    facts = at_station(reviews=(Review(ARRIVE + HOUR, conditions_met=False),))
    facts = transferred(facts, ADULT_SUITE, ARRIVE + 2 * HOUR)
    assert not evaluate(facts, ARRIVE + 2 * HOUR + MINUTE).transfer_required


def test_ps6_a_later_review_with_conditions_met_lifts_the_requirement():
    facts = at_station(
        reviews=(Review(ARRIVE + HOUR, conditions_met=False), Review(ARRIVE + 90 * MINUTE, True))
    )
    assert not evaluate(facts, ARRIVE + 95 * MINUTE).transfer_required


def test_ps6_exception_needs_a_reason():
    from law import check_transfer_exception

    result = check_transfer_exception(
        at_station(), TransferException(ARRIVE + HOUR, ""), ARRIVE + HOUR
    )
    assert [(v.rule, v.code, v.attr) for v in result] == [("PS6", "required", "reason")]


@pytest.mark.parametrize("rank", ["sergeant", "inspector", "chief_superintendent"])
def test_ps2_any_constable_whatever_the_rank_must_consult_before_a_transfer(rank):
    """SI 2017/1036 reg 2(2): every police officer holds the office of constable."""
    facts = arrived(detention(), HBPOS)
    decided = sergeant_decision(
        decision_maker_rank=rank, authorised_at=T0 + 2 * HOUR, consulted_professional=None
    )
    transfer = Transfer(
        "t1", STATION, T0 + 2 * HOUR, T0 + 3 * HOUR, police_station_decision=decided
    )
    result = check_transfer(facts, transfer, T0 + 4 * HOUR)
    assert [(v.rule, v.code) for v in result] == [("PS2", "police_station_conditions")]
    reason = replace(decided, consultation_not_practicable_reason="custody nurse unreachable")
    assert (
        check_transfer(facts, replace(transfer, police_station_decision=reason), T0 + 4 * HOUR)
        == []
    )


def test_ps2_an_amhp_arranging_a_transfer_has_no_constables_duty():
    facts = arrived(detention(), HBPOS)
    amhp = sergeant_decision(
        decision_maker_rank="amhp", authorised_at=T0 + 2 * HOUR, consulted_professional=None
    )
    transfer = Transfer("t1", STATION, T0 + 2 * HOUR, T0 + 3 * HOUR, police_station_decision=amhp)
    assert check_transfer(facts, transfer, T0 + 4 * HOUR) == []
