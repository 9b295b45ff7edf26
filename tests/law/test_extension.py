"""E1-E6: extension of the permitted period (s136B)."""

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from law import Extension, check_correction, check_extension, evaluate

from .helpers import HBPOS, HOUR, MINUTE, STATION, T0, arrived, codes, decision, detention

ARRIVE = T0 + 30 * MINUTE
EXPIRY = ARRIVE + 24 * HOUR
MICRO = timedelta(microseconds=1)


def ext(**kw):
    values = {
        "authorised_at": ARRIVE + 20 * HOUR,
        "hours": 12,
        "doctor_name": "Dr Patel",
        "doctor_gmc_number": "7012345",
        "ground": "intoxication",
    }
    values.update(kw)
    return Extension(**values)


def at(place=HBPOS):
    dec = decision() if place is STATION else None
    return arrived(detention(), place, ARRIVE, dec)


def check(extension, facts=None, now=None):
    return check_extension(facts or at(), extension, now or extension.authorised_at)


def test_e_lawful_extension_is_accepted_and_extends_to_36_hours():
    extension = ext()
    assert check(extension) == []
    ev = evaluate(replace(at(), extension=extension), ARRIVE + 30 * HOUR)
    assert ev.extended_until == ARRIVE + 36 * HOUR
    assert ev.expires_at == ARRIVE + 36 * HOUR
    assert not ev.breach


def test_e1_only_the_examining_doctor_may_authorise():
    result = check(ext(doctor_responsible_for_examination=False))
    assert [(v.rule, v.code, v.attr) for v in result] == [
        ("E1", "extension_not_permitted", "doctor_name")
    ]


@pytest.mark.parametrize("missing", ["doctor_name", "doctor_gmc_number"])
def test_e1_doctor_name_and_gmc_number_are_recorded(missing):
    result = check(ext(**{missing: ""}))
    assert [(v.code, v.attr) for v in result] == [("extension_not_permitted", missing)]


def test_e2_authorised_exactly_at_24_hours_is_too_late():
    result = check(ext(authorised_at=EXPIRY))
    assert [(v.rule, v.code, v.attr) for v in result] == [
        ("E2", "extension_too_late", "authorised_at")
    ]


def test_e2_authorised_one_microsecond_before_24_hours_is_in_time():
    assert check(ext(authorised_at=EXPIRY - MICRO)) == []


def test_e3_more_than_12_hours_is_too_long():
    result = check(ext(hours=13))
    assert [(v.rule, v.code, v.attr) for v in result] == [("E3", "extension_too_long", "hours")]


@pytest.mark.parametrize("hours", [1, 6, 12])
def test_e3_one_to_twelve_hours_is_allowed(hours):
    assert check(ext(hours=hours)) == []
    ev = evaluate(replace(at(), extension=ext(hours=hours)), ARRIVE + 21 * HOUR)
    assert ev.expires_at == EXPIRY + timedelta(hours=hours)


@pytest.mark.parametrize("hours", [0, -1])
def test_e3_no_time_at_all_is_invalid(hours):
    assert codes(check(ext(hours=hours))) == ["invalid"]


def test_e3_one_extension_per_detention():
    facts = replace(at(), extension=ext(hours=2))
    result = check(ext(authorised_at=ARRIVE + 23 * HOUR), facts)
    assert codes(result) == ["extension_exists"]


def test_e3_extension_starts_at_the_end_of_the_24_hours():
    early = replace(at(), extension=ext(authorised_at=ARRIVE + 2 * HOUR, hours=3))
    assert evaluate(early, ARRIVE + 3 * HOUR).expires_at == EXPIRY + 3 * HOUR


@pytest.mark.parametrize("ground", ["bed_unavailable", "staff_unavailable", "paperwork"])
def test_e4_unavailability_is_not_a_ground(ground):
    result = check(ext(ground=ground))
    assert [(v.rule, v.code, v.attr) for v in result] == [
        ("E4", "extension_ground_invalid", "ground")
    ]


@pytest.mark.parametrize("ground", ["intoxication", "physical_treatment"])
def test_e4_the_persons_condition_is_a_ground(ground):
    assert check(ext(ground=ground)) == []


def test_e4_other_condition_needs_a_description():
    assert [(v.code, v.attr) for v in check(ext(ground="other_condition"))] == [
        ("extension_ground_invalid", "ground_detail")
    ]
    assert check(ext(ground="other_condition", ground_detail="post-ictal, unrousable")) == []


def test_e5_at_a_police_station_a_superintendent_must_approve():
    facts = at(STATION)
    result = check(ext(), facts)
    assert [(v.rule, v.code) for v in result] == [("E5", "superintendent_approval_required")]
    approved = ext(superintendent_name="Supt Grey", superintendent_approved_at=ARRIVE + 20 * HOUR)
    assert check(approved, facts) == []  # rank defaults to superintendent


def test_e5_approval_time_is_required():
    facts = at(STATION)
    result = check(ext(superintendent_name="Supt Grey"), facts)
    assert [(v.code, v.attr) for v in result] == [
        ("superintendent_approval_required", "superintendent_approved_at")
    ]


def test_e5_rank_below_superintendent_is_refused():
    facts = at(STATION)
    extension = ext(
        superintendent_name="CI Brown",
        superintendent_rank="chief_inspector",
        superintendent_approved_at=ARRIVE + 20 * HOUR,
    )
    assert [(v.code, v.attr) for v in check(extension, facts)] == [
        ("superintendent_approval_required", "superintendent_rank")
    ]
    higher = replace(extension, superintendent_rank="assistant_chief_constable")
    assert check(higher, facts) == []


def test_e5_approval_after_expiry_comes_after_the_authorisation_and_is_refused():
    facts = at(STATION)
    extension = ext(superintendent_name="Supt Grey", superintendent_approved_at=EXPIRY)
    assert [(v.rule, v.code, v.attr) for v in check(extension, facts, EXPIRY)] == [
        ("E5", "superintendent_approval_required", "superintendent_approved_at")
    ]


def test_e5_approval_must_come_before_the_doctors_authorisation():
    facts = at(STATION)
    authorised = ARRIVE + 20 * HOUR
    after = ext(superintendent_name="Supt Grey", superintendent_approved_at=authorised + MINUTE)
    assert [(v.rule, v.code, v.attr) for v in check(after, facts, authorised + MINUTE)] == [
        ("E5", "superintendent_approval_required", "superintendent_approved_at")
    ]
    same = ext(superintendent_name="Supt Grey", superintendent_approved_at=authorised)
    assert check(same, facts) == []
    # Recorded anyway (R1), the extension adds no time.
    ev = evaluate(replace(facts, extension=after), authorised + HOUR)
    assert ev.extended_until is None and ev.expires_at == EXPIRY


def test_e5_only_where_the_assessment_is_carried_out_or_completed_at_the_station():
    from law import Assessment

    from .helpers import transferred

    authorised = ARRIVE + 20 * HOUR
    facts = transferred(at(STATION), HBPOS, authorised + HOUR, authorised + 2 * HOUR)
    done_elsewhere = replace(
        facts,
        assessment=Assessment(started_at=authorised + 3 * HOUR, completed_at=authorised + 4 * HOUR),
    )
    # Authorised at the station, assessment carried out and completed at the HBPoS: no
    # approval needed, and the extension lengthens the period.
    assert check(ext(authorised_at=authorised), done_elsewhere, authorised + 5 * HOUR) == []
    ev = evaluate(replace(done_elsewhere, extension=ext()), authorised + 5 * HOUR)
    assert ev.extended_until == EXPIRY + 12 * HOUR
    # Completed at the station (or not yet completed): approval required.
    done_there = replace(at(STATION), assessment=Assessment(completed_at=authorised + HOUR))
    assert codes(check(ext(), done_there, authorised + 2 * HOUR)) == [
        "superintendent_approval_required"
    ]


@pytest.mark.parametrize(
    ("hours", "minutes"),
    [(Decimal("12.5"), 0), (12, 1), (0, 721), (Decimal("12.0003"), 0), (Decimal("11.99"), 1)],
)
def test_e3_anything_over_12_hours_is_too_long_in_hours_and_minutes(hours, minutes):
    result = check(ext(hours=hours, minutes=minutes))
    assert [(v.rule, v.code, v.attr) for v in result] == [("E3", "extension_too_long", "hours")]


def test_e3_720_minutes_and_one_second_is_too_long():
    result = check(ext(hours=0, minutes=Decimal(720) + Decimal(1) / 60))
    assert codes(result) == ["extension_too_long"]


@pytest.mark.parametrize(
    ("hours", "minutes", "length"),
    [
        (11, 59, 719 * MINUTE),
        (0, 720, 12 * HOUR),
        (Decimal("2.5"), 0, 150 * MINUTE),
        (0, 30, 30 * MINUTE),
    ],
)
def test_e3_hours_and_minutes_up_to_12_hours(hours, minutes, length):
    extension = ext(hours=hours, minutes=minutes)
    assert check(extension) == []
    ev = evaluate(replace(at(), extension=extension), ARRIVE + 21 * HOUR)
    assert ev.extended_until == EXPIRY + length


def test_e5_not_needed_away_from_a_police_station():
    assert check(ext(), at(HBPOS)) == []


def test_e6_no_extension_under_mha1983_original():
    facts = arrived(
        detention(detained_at=T0.replace(year=2016), consultation=None),
        HBPOS,
        T0.replace(year=2016) + HOUR,
    )
    extension = ext(authorised_at=T0.replace(year=2016) + 20 * HOUR)
    result = check(extension, facts)
    assert [(v.rule, v.code) for v in result] == [("E6", "extension_not_permitted")]


def test_e_unlawful_extension_in_the_record_does_not_extend_the_period():
    facts = replace(at(), extension=ext(ground="bed_unavailable"))
    ev = evaluate(facts, ARRIVE + 25 * HOUR)
    assert ev.extended_until is None
    assert ev.expires_at == EXPIRY
    assert ev.breach
    assert "extension_ground_invalid" in codes(ev.violations)
    assert codes(check_correction(facts, ARRIVE + 25 * HOUR)) == ["extension_ground_invalid"]


def test_e_extension_in_the_future_is_refused():
    assert codes(check(ext(), now=ARRIVE + 20 * HOUR - 6 * MINUTE)) == ["time_order"]
