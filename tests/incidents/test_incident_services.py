"""Incident rules: times in order, NPU of the force, the Right Care Right Person decision."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from incidents import services
from incidents.models import Incident
from tests.incidents.helpers import T0, make_incident, make_person

pytestmark = pytest.mark.django_db


def codes(exc: ValidationError) -> dict[str, list[str]]:
    return {f: [e.code for e in errs] for f, errs in exc.error_dict.items()}


def test_reference_is_per_year_and_id(force, officer):
    incident = make_incident(force, user=officer, location_description="High Street")
    assert incident.reference == f"INC-2026-{incident.pk:06d}"
    history = incident.history.latest()
    assert history.changed_by == "officer"
    assert incident.recorded_by == "officer"


def test_ended_before_occurred_is_refused(force):
    with pytest.raises(ValidationError) as exc:
        make_incident(force, ended_at=T0 - timedelta(minutes=1))
    assert codes(exc.value) == {"ended_at": ["time_order"]}
    assert Incident.objects.count() == 0


def test_ended_before_reported_is_refused(force):
    with pytest.raises(ValidationError) as exc:
        make_incident(
            force, reported_at=T0 + timedelta(minutes=30), ended_at=T0 + timedelta(minutes=20)
        )
    assert codes(exc.value) == {"ended_at": ["time_order"]}


def test_a_report_may_come_before_the_incident(force):
    # An AMHP asks for police support at a planned s135 warrant the day before.
    incident = make_incident(
        force,
        category="mha_assessment_support",
        reported_at=T0 - timedelta(days=1),
        ended_at=T0 + timedelta(hours=2),
        now=T0 + timedelta(hours=3),
    )
    assert incident.pk


def test_times_in_the_future_are_refused(force):
    with pytest.raises(ValidationError) as exc:
        make_incident(force, now=T0 - timedelta(minutes=10))
    assert codes(exc.value) == {"occurred_at": ["time_order"]}
    # Within the 5-minute clock skew is accepted.
    assert make_incident(force, now=T0 - timedelta(minutes=4)).pk


def test_npu_must_belong_to_the_force(force, other_force):
    with pytest.raises(ValidationError) as exc:
        make_incident(force, npu=other_force.npus.get())
    assert codes(exc.value) == {"npu": ["npu_not_in_force"]}


def test_the_rcrp_decision_is_required(force):
    with pytest.raises(ValidationError) as exc:
        make_incident(force, rcrp_threshold="")
    assert codes(exc.value) == {"rcrp_threshold": ["rcrp_decision_required"]}


def test_not_attended_needs_a_rationale_and_the_agency(force):
    with pytest.raises(ValidationError) as exc:
        make_incident(force, rcrp_threshold="none", rcrp_rationale="  ")
    assert codes(exc.value) == {
        "rcrp_rationale": ["rcrp_rationale_required"],
        "rcrp_passed_to": ["rcrp_agency_required"],
    }
    incident = make_incident(
        force,
        rcrp_threshold="none",
        rcrp_rationale="No crime, no immediate risk: a medical matter for the ward.",
        rcrp_passed_to="inpatient_unit",
    )
    assert incident.attended is False


def test_attended_drops_a_stale_agency(force):
    incident = make_incident(force, rcrp_threshold="crime", rcrp_passed_to="gp")
    assert incident.rcrp_passed_to == ""


def test_unknown_choices_use_djangos_codes(force):
    with pytest.raises(ValidationError) as exc:
        make_incident(force, outcome="vanished")
    assert codes(exc.value) == {"outcome": ["invalid_choice"]}


def test_a_healthcare_setting_says_which(force):
    with pytest.raises(ValidationError) as exc:
        make_incident(force, healthcare_setting=True)
    assert codes(exc.value) == {"healthcare_setting_name": ["healthcare_setting_required"]}
    incident = make_incident(
        force, healthcare_setting=True, healthcare_setting_name="Ward 4, Castleford General"
    )
    assert incident.location_key == "desc:ward 4 castleford general"


def test_location_key_normalises_the_postcode(force):
    a = make_incident(force, location_postcode="cf1  2ab", location_description="Station Rd")
    b = make_incident(force, location_postcode="CF12AB", location_description="station rd.")
    assert a.location_postcode == "CF1 2AB"
    assert a.location_key == b.location_key == "pc:CF1 2AB|station rd"


def test_people_must_be_the_forces_own(force, other_force):
    stranger = make_person(other_force)
    with pytest.raises(ValidationError) as exc:
        make_incident(force, people=[stranger])
    assert codes(exc.value) == {"people": ["person_not_in_force"]}


def test_officers_and_minutes(force):
    incident = make_incident(
        force,
        officers=[
            {"officer_name": "PC Okafor", "collar_number": "1234", "minutes": 90},
            {"collar_number": "5678", "minutes": 45},
        ],
    )
    assert sorted(incident.officers.values_list("minutes", flat=True)) == [45, 90]
    with pytest.raises(ValidationError) as exc:
        services.add_officer(incident, minutes=10)
    assert "officers" in exc.value.error_dict
    row = services.add_officer(incident, officer_name="PC Lee", minutes=30)
    assert row.history.count() == 1


def test_update_revalidates_and_records_history(force):
    incident = make_incident(force)
    with pytest.raises(ValidationError):
        services.update_incident(incident, rcrp_threshold="none", now=T0 + timedelta(hours=1))
    updated = services.update_incident(
        incident,
        outcome="handed_to_health",
        ended_at=T0 + timedelta(hours=2),
        now=T0 + timedelta(hours=3),
    )
    assert updated.outcome == "handed_to_health"
    assert updated.history.count() == 2


def test_add_person_records_people_history(force):
    incident = make_incident(force)
    person = make_person(force)
    services.add_person(incident, person)
    services.add_person(incident, person)  # twice is once
    assert list(incident.people.all()) == [person]
