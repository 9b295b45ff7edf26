"""P1-P3: where and how the power is used."""

import pytest

from law import check_correction, check_new_detention, evaluate
from law.constants import PoliceVehicleReason, Profession

from .helpers import HOUR, T0, arrived, codes, consultation, detention


def new(facts):
    return check_new_detention(facts, T0, has_other_active_detention=False)


@pytest.mark.parametrize("kind", ["private_dwelling", "dwelling_garden_or_outbuilding"])
def test_p1_s136_in_a_dwelling_or_its_garden_is_refused(kind):
    result = new(detention(location_kind=kind))
    assert [(v.rule, v.code, v.attr) for v in result] == [
        ("P1", "private_dwelling", "location_kind")
    ]
    assert "section 135 warrant" in result[0].message


@pytest.mark.parametrize(
    "kind", ["public_place", "shared_communal_area", "health_setting", "other"]
)
def test_p1_s136_elsewhere_is_allowed(kind):
    assert new(detention(location_kind=kind)) == []


@pytest.mark.parametrize("kind", ["private_dwelling", "dwelling_garden_or_outbuilding"])
def test_p1_s135_in_a_dwelling_is_allowed(kind):
    facts = detention(
        power="s135_1",
        location_kind=kind,
        consultation=None,
        warrant_issued_at=T0 - 2 * HOUR,
        premises_entered_at=T0 - HOUR,
    )
    assert new(facts) == []


def test_p1_a_dwelling_in_the_record_shows_as_a_violation():
    facts = arrived(detention(location_kind="private_dwelling"))
    assert "private_dwelling" in codes(check_correction(facts, T0 + HOUR))
    assert "private_dwelling" in codes(evaluate(facts, T0 + HOUR).violations)


def test_p2_s136_without_consultation_or_reason_is_refused():
    result = new(detention(consultation=None))
    assert [(v.rule, v.code, v.attr) for v in result] == [
        ("P2", "consultation_required", "consultation")
    ]


def test_p2_blank_reason_does_not_count():
    assert codes(new(detention(consultation=None, consultation_not_practicable_reason="  "))) == [
        "consultation_required"
    ]


def test_p2_reason_not_practicable_is_enough():
    facts = detention(consultation=None, consultation_not_practicable_reason="no signal, violent")
    assert new(facts) == []


@pytest.mark.parametrize("profession", list(Profession))
def test_p2_each_listed_profession_may_be_consulted(profession):
    assert new(detention(consultation=consultation(profession=profession))) == []


def test_p2_other_professions_do_not_count():
    result = new(detention(consultation=consultation(profession="pharmacist")))
    assert codes(result) == ["consultation_required"]


def test_p2_the_professional_is_named():
    assert codes(new(detention(consultation=consultation(name="")))) == ["consultation_required"]


def test_p2_s135_has_no_consultation_duty():
    facts = detention(
        power="s135_1",
        location_kind="private_dwelling",
        consultation=None,
        warrant_issued_at=T0 - HOUR,
    )
    assert new(facts) == []


def test_p3_police_vehicle_without_reason_is_refused():
    result = new(detention(conveyance_mode="police_vehicle"))
    assert [(v.rule, v.code, v.attr) for v in result] == [
        ("P3", "conveyance_reason_required", "conveyance_reason")
    ]
    assert "ambulance" in result[0].message


@pytest.mark.parametrize("reason", list(PoliceVehicleReason))
def test_p3_police_vehicle_with_a_listed_reason_is_allowed(reason):
    assert new(detention(conveyance_mode="police_vehicle", conveyance_reason=reason)) == []


def test_p3_police_vehicle_with_an_unlisted_reason_is_refused():
    facts = detention(conveyance_mode="police_vehicle", conveyance_reason="quicker")
    assert codes(new(facts)) == ["conveyance_reason_required"]


@pytest.mark.parametrize("mode", ["ambulance", "other_health_vehicle", "other", "none", None])
def test_p3_other_modes_need_no_reason(mode):
    assert new(detention(conveyance_mode=mode)) == []
