"""`/api/v1/incidents/`: the contract's fixed fields, three personas, filters, errors, queries."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from incidents.models import Incident
from tests.incidents.helpers import make_incident, make_person

pytestmark = pytest.mark.django_db

URL = "/api/v1/incidents/"
NOW = datetime(2026, 4, 10, 12, 0, tzinfo=UTC)
FIXED = {
    "id",
    "reference",
    "occurred_at",
    "category",
    "npu",
    "location_description",
    "people",
    "rcrp_threshold",
    "summary",
    "outcome",
}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def fixed_body(person=None, **extra):
    body = {
        "occurred_at": "2026-04-10T09:30:00+01:00",
        "category": "crisis_or_welfare_check",
        "npu": "NPU-C",
        "location_description": "Castleford bus station",
        "people": [person.pk] if person else [],
        "rcrp_threshold": "risk_to_life",
        "summary": "Man on the bridge parapet; talked down.",
        "outcome": "handed_to_health",
    }
    body.update(extra)
    return body


def test_create_with_only_the_fixed_fields(force, api_for):
    person = make_person(force)
    client = api_for(force, "incidents:read", "incidents:write", name="cad")
    response = client.post(URL, fixed_body(person), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) >= FIXED
    assert body["occurred_at"] == "2026-04-10T08:30:00Z"
    assert body["npu"] == "NPU-C" and body["people"] == [person.pk]
    assert body["reference"] == f"INC-2026-{body['id']:06d}"
    incident = Incident.objects.get(pk=body["id"])
    assert incident.history.latest().changed_by == "cad"
    assert client.get(f"{URL}{incident.pk}/").json()["people"] == [person.pk]


def test_not_attended_takes_the_summary_as_rationale_but_needs_the_agency(force, api_for):
    client = api_for(force, "incidents:write")
    body = fixed_body(rcrp_threshold="none", outcome="passed_to_other_agency")
    response = client.post(URL, body, format="json")
    assert response.status_code == 400
    assert [(e["code"], e["attr"]) for e in response.json()["errors"]] == [
        ("rcrp_agency_required", "rcrp_passed_to")
    ]
    response = client.post(URL, {**body, "summary": ""}, format="json")
    assert {(e["code"], e["attr"]) for e in response.json()["errors"]} == {
        ("rcrp_agency_required", "rcrp_passed_to"),
        ("rcrp_rationale_required", "rcrp_rationale"),
    }
    response = client.post(
        URL, {**body, "rcrp_passed_to": "nhs_mental_health_crisis"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["rcrp_rationale"] == body["summary"]


def test_rule_errors_keep_their_codes(force, other_force, api_for):
    client = api_for(force, "incidents:write")
    response = client.post(
        URL, fixed_body(ended_at="2026-04-10T08:00:00+00:00", npu=None), format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "code": "time_order",
        "detail": "The incident cannot end before it occurred.",
        "attr": "ended_at",
    }
    # Another force's NPU code is unknown here.
    response = client.post(URL, fixed_body(npu="W1"), format="json")
    assert response.json()["errors"][0]["code"] == "does_not_exist"
    response = client.post(URL, fixed_body(occurred_at="2026-04-10T09:30:00"), format="json")
    assert response.json()["errors"][0]["code"] == "timezone_required"
    stranger = make_person(other_force)
    response = client.post(URL, fixed_body(stranger), format="json")
    assert response.json()["errors"][0] == {
        "code": "does_not_exist",
        "detail": response.json()["errors"][0]["detail"],
        "attr": "people",
    }


def test_three_personas(force, other_force, partner_org, api_for):
    incident = make_incident(force, at=NOW - timedelta(hours=2), now=NOW)
    owner = api_for(force, "incidents:read")
    assert owner.get(f"{URL}{incident.pk}/").status_code == 200
    for org in (partner_org, other_force):
        client = api_for(org, "incidents:read", "incidents:write", name=f"{org.slug}-key")
        assert client.get(f"{URL}{incident.pk}/").status_code == 404
        assert (
            client.patch(f"{URL}{incident.pk}/", {"summary": "x"}, format="json").status_code == 404
        )
        assert client.get(URL).json()["count"] == 0


def test_scopes(force, api_for):
    assert api_for(force, "detentions:read").get(URL).status_code == 403
    assert (
        api_for(force, "incidents:read").post(URL, fixed_body(), format="json").status_code == 403
    )


def test_patch_people_officers_and_extra_fields(force, api_for):
    incident = make_incident(force, at=NOW - timedelta(hours=2), now=NOW)
    a, b = make_person(force, "A", "One"), make_person(force, "B", "Two")
    client = api_for(force, "incidents:write")
    response = client.patch(
        f"{URL}{incident.pk}/",
        {
            "people": [a.pk, b.pk],
            "officers": [{"officer_name": "PC Okafor", "collar_number": "1234", "minutes": 75}],
            "healthcare_setting": True,
            "healthcare_setting_name": "Ward 4",
            "ended_at": "2026-04-10T11:00:00Z",
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert sorted(body["people"]) == sorted([a.pk, b.pk])
    assert body["total_officer_minutes"] == 75
    assert body["officers"][0]["collar_number"] == "1234"
    response = client.patch(f"{URL}{incident.pk}/", {"officers": [{"minutes": 5}]}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "officer_required"


def test_filters(force, api_for):
    n = force.npus.get(code="NPU-N")
    c = force.npus.get(code="NPU-C")
    old = make_incident(force, at=NOW - timedelta(days=10), npu=n, category="section_136", now=NOW)
    new = make_incident(
        force,
        at=NOW - timedelta(hours=1),
        npu=c,
        rcrp_threshold="none",
        rcrp_rationale="Medical matter",
        rcrp_passed_to="ambulance_service",
        now=NOW,
    )
    client = api_for(force, "incidents:read")

    def ids(**params):
        response = client.get(URL, params)
        assert response.status_code == 200, response.content
        return [i["id"] for i in response.json()["results"]]

    assert ids() == [new.pk, old.pk]
    assert ids(npu="NPU-N") == [old.pk]
    assert ids(category="section_136") == [old.pk]
    assert ids(rcrp_threshold="none") == [new.pk]
    assert ids(occurred_from="2026-04-05") == [new.pk]
    assert ids(occurred_to="2026-03-31") == [old.pk]
    assert client.get(URL, {"category": "nonsense"}).status_code == 400


def test_list_query_count_is_fixed(force, api_for, django_assert_num_queries):
    client = api_for(force, "incidents:read")
    person = make_person(force)
    make_incident(force, at=NOW - timedelta(hours=3), people=[person], now=NOW)
    client.get(URL)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    for i in range(12):
        make_incident(
            force,
            at=NOW - timedelta(hours=4 + i),
            people=[make_person(force, f"P{i}", "Q")],
            officers=[{"collar_number": str(i), "minutes": 10}],
            now=NOW,
        )
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(URL)
    assert response.json()["count"] == 13


def test_idempotency_key_logs_once(force, api_for):
    client = api_for(force, "incidents:read", "incidents:write")
    first = client.post(URL, fixed_body(), format="json", HTTP_IDEMPOTENCY_KEY="cad-123")
    again = client.post(URL, fixed_body(), format="json", HTTP_IDEMPOTENCY_KEY="cad-123")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Incident.objects.count() == 1
