"""The `detentions/{id}/assessment/` endpoint used by health and local authority partners' keys
for the detentions they are involved in (the endpoint itself belongs to incidents.api)."""

import datetime as dt

import pytest

from detentions.models import Assessment

pytestmark = pytest.mark.django_db


def _iso(instant):
    return instant.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def detention(make_detention, suite, area):
    return make_detention(suite)


def _body(detention):
    start = detention.clock_started_at
    return {
        "doctor_requested_at": _iso(start + dt.timedelta(minutes=5)),
        "doctor_arrived_at": _iso(start + dt.timedelta(minutes=20)),
        "doctor_name": "Dr Omar Farouk",
        "doctor_s12_approved": True,
    }


def test_a_health_trusts_key_records_the_assessment_at_a_place_it_operates(
    api_for, health_trust, detention
):
    client = api_for(health_trust, "detentions:read", "detentions:write")
    response = client.post(
        f"/api/v1/detentions/{detention.pk}/assessment/", _body(detention), format="json"
    )
    assert response.status_code == 201, response.json()
    a = Assessment.objects.get(detention=detention)
    assert (a.doctor_name, a.doctor_s12_approved) == ("Dr Omar Farouk", True)


def test_a_local_authoritys_key_reads_the_detentions_in_its_area(
    api_for, local_authority, other_local_authority, detention
):
    client = api_for(local_authority, "detentions:read")
    assert client.get(f"/api/v1/detentions/{detention.pk}/").status_code == 200
    ids = [d["id"] for d in client.get("/api/v1/detentions/").json()["results"]]
    assert ids == [detention.pk]
    other = api_for(other_local_authority, "detentions:read")
    assert other.get("/api/v1/detentions/").json()["results"] == []


def test_a_key_without_write_scope_is_refused(api_for, health_trust, detention):
    client = api_for(health_trust, "detentions:read")
    response = client.post(
        f"/api/v1/detentions/{detention.pk}/assessment/", _body(detention), format="json"
    )
    assert response.status_code == 403
    assert not Assessment.objects.filter(detention=detention).exists()


def test_partners_not_involved_see_nothing(
    api_for, acute_trust, other_local_authority, other_force, detention
):
    for org in (acute_trust, other_local_authority, other_force):
        client = api_for(org, "detentions:read", "detentions:write")
        response = client.post(
            f"/api/v1/detentions/{detention.pk}/assessment/", _body(detention), format="json"
        )
        assert response.status_code == 404, org
        assert client.get(f"/api/v1/detentions/{detention.pk}/").status_code == 404
    assert not Assessment.objects.filter(detention=detention).exists()


def test_time_order_refusals_name_the_field(api_for, health_trust, detention):
    client = api_for(health_trust, "detentions:read", "detentions:write")
    body = _body(detention)
    body["doctor_arrived_at"] = _iso(detention.clock_started_at)
    response = client.post(f"/api/v1/detentions/{detention.pk}/assessment/", body, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["code"], e["attr"]) for e in errors] == [("time_order", "doctor_arrived_at")]


def test_a_local_authoritys_key_records_the_assessment_in_its_area_but_nothing_else(
    api_for, local_authority, other_local_authority, detention
):
    client = api_for(local_authority, "detentions:read", "detentions:write")
    response = client.post(
        f"/api/v1/detentions/{detention.pk}/assessment/", _body(detention), format="json"
    )
    assert response.status_code == 201, response.json()
    # The AMHP service records the assessment; it does not record the detention's other events.
    handover = client.post(
        f"/api/v1/detentions/{detention.pk}/handover/",
        {"handed_over_at": _iso(detention.clock_started_at), "received_by": "x"},
        format="json",
    )
    assert handover.status_code == 403
    outsider = api_for(other_local_authority, "detentions:read", "detentions:write")
    response = outsider.post(
        f"/api/v1/detentions/{detention.pk}/assessment/", _body(detention), format="json"
    )
    assert response.status_code == 404
