"""RS1-RS3: versioned, effective-dated rule sets."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from law import (
    MHA1983_ORIGINAL,
    PCA2017,
    PCA2017_COMMENCEMENT,
    RULE_SETS,
    Extension,
    check_arrival,
    check_extension,
    check_new_detention,
    check_transfer,
    evaluate,
    rule_set_for,
)
from law.constants import Power
from law.facts import Arrival, Transfer

from .helpers import ED, HOUR, MINUTE, STATION, arrived, codes, detention, london, utc

CUTOVER = utc(2017, 12, 11)
JUST_BEFORE = CUTOVER - timedelta(microseconds=1)


def old_detention(**kw):
    values = {"detained_at": utc(2017, 6, 1, 12), "consultation": None}
    values.update(kw)
    return detention(**values)


def test_rs1_cutover_is_midnight_london_which_is_midnight_utc():
    assert PCA2017_COMMENCEMENT == CUTOVER
    assert london(2017, 12, 11, 0, 0) == CUTOVER


def test_rs1_one_microsecond_before_cutover_is_mha1983_original():
    assert rule_set_for("s136", JUST_BEFORE).id == "mha1983-original"


def test_rs1_exactly_at_cutover_is_pca2017():
    assert rule_set_for("s136", CUTOVER).id == "pca2017"
    assert rule_set_for("s136", london(2017, 12, 11, 0, 0)).id == "pca2017"


def test_rs1_s135_is_keyed_by_warrant_issued_at():
    assert rule_set_for("s135_1", CUTOVER + HOUR, JUST_BEFORE) is MHA1983_ORIGINAL
    assert rule_set_for("s135_1", CUTOVER + HOUR, CUTOVER) is PCA2017
    # The detention time alone does not decide an s135 detention.
    assert rule_set_for("s135_1", JUST_BEFORE, JUST_BEFORE - HOUR) is MHA1983_ORIGINAL


def test_rs1_s136_ignores_a_warrant_time():
    assert rule_set_for("s136", CUTOVER, JUST_BEFORE) is PCA2017


def test_rs1_evaluation_shows_the_rule_set():
    before = arrived(detention(detained_at=JUST_BEFORE - HOUR, consultation=None))
    after = arrived(detention(detained_at=CUTOVER))
    assert evaluate(before, CUTOVER + HOUR).rule_set == "mha1983-original"
    assert evaluate(after, CUTOVER + HOUR).rule_set == "pca2017"


def test_rs1_unknown_power_has_no_rule_set():
    with pytest.raises(LookupError):
        rule_set_for("s2", CUTOVER)


def test_rs2_period_is_72_hours_from_arrival():
    facts = arrived(old_detention(), at=utc(2017, 6, 1, 13))
    ev = evaluate(facts, utc(2017, 6, 2))
    assert ev.clock_started_at == utc(2017, 6, 1, 13)
    assert ev.expires_at == utc(2017, 6, 4, 13)
    assert ev.expires_at - ev.clock_started_at == timedelta(hours=72)


def test_rs2_already_at_a_place_of_safety_arrives_at_detained_at():
    facts = old_detention(mode="kept", kept_place=ED, conveyance_mode="none")
    ev = evaluate(facts, utc(2017, 6, 1, 14))
    assert ev.clock_started_at == utc(2017, 6, 1, 12)
    assert ev.expires_at == utc(2017, 6, 4, 12)


def test_rs2_private_dwelling_and_garden_are_refused():
    for kind in ("private_dwelling", "dwelling_garden_or_outbuilding"):
        facts = old_detention(location_kind=kind)
        assert codes(
            check_new_detention(facts, utc(2017, 6, 2), has_other_active_detention=False)
        ) == ["private_dwelling"]


def test_rs2_no_consultation_duty():
    facts = old_detention(consultation=None, consultation_not_practicable_reason=None)
    assert check_new_detention(facts, utc(2017, 6, 2), has_other_active_detention=False) == []


def test_rs2_child_at_police_station_is_allowed_without_a_decision():
    facts = old_detention(date_of_birth=date(2003, 1, 1))
    arrival = arrived(facts, STATION).arrival
    assert check_arrival(facts, arrival, utc(2017, 6, 2)) == []
    ev = evaluate(arrived(facts, STATION), utc(2017, 6, 1, 13))
    assert ev.at_police_station
    assert ev.next_welfare_check_due_at is None  # PS4/PS5 did not exist
    assert ev.next_review_due_at is None
    assert ev.violations == ()


def test_rs2_no_extension_exists():
    facts = arrived(old_detention(), at=utc(2017, 6, 1, 13))
    extension = Extension(utc(2017, 6, 2, 1), 12, "Dr Who", "1234567", "intoxication")
    result = check_extension(facts, extension, utc(2017, 6, 2, 2))
    assert codes(result) == ["extension_not_permitted"]
    assert result[0].rule == "E6"
    # An extension in the record does not extend the period under these rules.
    ev = evaluate(replace(facts, extension=extension), utc(2017, 6, 2, 2))
    assert ev.extended_until is None
    assert ev.expires_at == utc(2017, 6, 4, 13)


def test_rs3_other_jurisdictions_are_data_not_branches():
    scotland = RULE_SETS["scotland-s297"]
    assert scotland.period_starts == "removal"
    assert scotland.permitted_period == timedelta(hours=24)
    assert not scotland.extension_allowed
    assert RULE_SETS["ni-article130"].permitted_period == timedelta(hours=48)
    assert rule_set_for("s297", CUTOVER) is scotland
    # The product's powers never select them.
    for power in Power:
        for instant in (JUST_BEFORE, CUTOVER, utc(2026, 1, 1)):
            assert rule_set_for(power, instant, instant).in_product


def test_rs3_a_removal_clock_starts_at_detention():
    facts = detention(power="s297", detained_at=utc(2026, 1, 1, 10), consultation=None)
    ev = evaluate(facts, utc(2026, 1, 1, 10, 30))
    assert ev.rule_set == "scotland-s297"
    assert ev.status == "in_transit"
    assert ev.clock_started_at == utc(2026, 1, 1, 10)
    assert ev.expires_at == utc(2026, 1, 2, 10)
    assert ev.time_since_detention == 30 * MINUTE


# --- RS4: the Mental Health Act 2025 (commencement instant is a deployment setting) ---
COMMENCED = utc(2027, 6, 1, 0, 0)


def _with_2025(facts, commenced=COMMENCED):
    return replace(facts, mha2025_commenced_at=commenced)


def test_rs4_unset_commencement_never_chooses_mha2025():
    facts = detention(detained_at=utc(2030, 1, 1, 12, 0))
    assert evaluate(facts, utc(2030, 1, 1, 13)).rule_set == "pca2017"
    assert rule_set_for("s136", utc(2030, 1, 1)).id == "pca2017"


def test_rs4_either_side_of_the_configured_commencement():
    before = _with_2025(detention(detained_at=COMMENCED - timedelta(microseconds=1)))
    at = _with_2025(detention(detained_at=COMMENCED))
    assert evaluate(before, COMMENCED + HOUR).rule_set == "pca2017"
    assert evaluate(at, COMMENCED + HOUR).rule_set == "mha2025"
    # s135(1) is keyed by the warrant.
    assert (
        rule_set_for("s135_1", COMMENCED + HOUR, COMMENCED - HOUR, mha2025_from=COMMENCED).id
        == "pca2017"
    )


def test_rs4_police_station_refused_for_adults_too_and_recordable():
    adult = _with_2025(detention(detained_at=COMMENCED + HOUR))
    result = check_arrival(
        adult,
        Arrival(STATION, COMMENCED + 2 * HOUR, police_station_decision=None),
        COMMENCED + 3 * HOUR,
    )
    assert [(v.rule, v.code, v.attr) for v in result] == [
        ("RS4", "police_station_not_place_of_safety", "place_of_safety")
    ]
    assert all(v.recordable for v in result)
    # The same adult before commencement: PS2 applies instead (a decision is needed).
    earlier = _with_2025(detention(detained_at=COMMENCED - 3 * HOUR))
    result = check_arrival(earlier, Arrival(STATION, COMMENCED - 2 * HOUR), COMMENCED)
    assert codes(result) == ["police_station_conditions"]
    # Other places are as under pca2017; the clock is the same 24 hours.
    ev = evaluate(arrived(adult, ED, COMMENCED + 2 * HOUR), COMMENCED + 3 * HOUR)
    assert ev.expires_at == COMMENCED + 26 * HOUR


def test_rs4_a_transfer_to_a_police_station_is_refused():
    facts = arrived(_with_2025(detention(detained_at=COMMENCED + HOUR)), ED, COMMENCED + 2 * HOUR)
    transfer = Transfer("t", STATION, COMMENCED + 3 * HOUR, COMMENCED + 4 * HOUR)
    assert codes(check_transfer(facts, transfer, COMMENCED + 5 * HOUR)) == [
        "police_station_not_place_of_safety"
    ]
