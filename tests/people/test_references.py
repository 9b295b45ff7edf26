"""References to other systems (issue 21 part 4): CAD incident number, records-management
reference, custody record number, NHS trust record id: validated, not unique, editable,
searchable, in the API and the CSV exports."""

import csv
import datetime as dt
import io

import pytest

from accounts.roles import Role
from core.actor import acting_as, user_actor
from detentions import services as detention_services
from tests import factories
from tests.incidents.helpers import make_incident, make_person

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


def test_person_references_through_the_api_and_search(force, health_trust, api_for):
    api = api_for(force, "incidents:read", "incidents:write")
    body = {
        "given_name": "Ann",
        "family_name": "Lee",
        "gender": "female",
        "ethnicity": "NS",
        "rms_person_id": "RMS/77-123",
        "nhs_trust_record_id": "MH 000123",
        "nhs_trust": health_trust.slug,
    }
    created = api.post("/api/v1/people/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["nhs_trust"] == health_trust.slug
    # Not unique: a second record may carry the same references.
    assert api.post("/api/v1/people/", body, format="json").status_code == 201
    found = api.get("/api/v1/people/", {"q": "rms/77-123"}).json()
    assert found["count"] == 2
    assert api.get("/api/v1/people/", {"q": "MH 000123"}).json()["count"] == 2
    assert api.get("/api/v1/people/", {"q": "RMS/77"}).json()["count"] == 0

    bad = api.post(
        "/api/v1/people/", {**body, "rms_person_id": "<script>", "nhs_trust": None}, format="json"
    )
    assert bad.status_code == 400
    codes = {(e["attr"], e["code"]) for e in bad.json()["errors"]}
    assert ("rms_person_id", "invalid_reference") in codes
    no_trust = api.post("/api/v1/people/", {**body, "nhs_trust": None}, format="json")
    assert no_trust.status_code == 400
    assert no_trust.json()["errors"][0] == {
        "code": "trust_required",
        "detail": "Select the NHS trust the record id belongs to.",
        "attr": "nhs_trust",
    }


def test_a_police_force_is_not_a_trust(force, api_for):
    api = api_for(force, "incidents:write")
    response = api.post(
        "/api/v1/people/",
        {
            "given_name": "Ann",
            "family_name": "Lee",
            "gender": "female",
            "ethnicity": "NS",
            "nhs_trust_record_id": "X1",
            "nhs_trust": force.slug,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "nhs_trust"


def test_person_references_on_the_page_and_search(force, health_trust, officer, web):
    with acting_as(user_actor(officer)):
        person = make_person(force, "Ann", "Lee", dt.date(1990, 1, 1))
    client = web.as_user(officer)
    response = client.post(
        f"/people/{person.pk}/edit/",
        {
            "given_name": "Ann",
            "family_name": "Lee",
            "dob-day": "1",
            "dob-month": "1",
            "dob-year": "1990",
            "date_of_birth-day": "1",
            "date_of_birth-month": "1",
            "date_of_birth-year": "1990",
            "gender": "female",
            "ethnicity": "NS",
            "rms_person_id": "P-991",
            "nhs_trust_record_id": "T-5",
            "nhs_trust": health_trust.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    person.refresh_from_db()
    assert (person.rms_person_id, person.nhs_trust_record_id, person.nhs_trust) == (
        "P-991",
        "T-5",
        health_trust,
    )
    page = client.get("/people/", {"q": "p-991"}).content.decode()
    assert f"/people/{person.pk}/" in page
    detail = client.get(f"/people/{person.pk}/").content.decode()
    assert "T-5 (Midshire MH Trust)" in detail


def test_incident_references_api_filter_and_list(force, officer, web, api_for):
    incident = make_incident(force, user=officer, cad_number="CAD 2026/0601/77")
    other = make_incident(force, user=officer, rms_reference="OCC-55")
    api = api_for(force, "incidents:read", "incidents:write")
    body = api.get(f"/api/v1/incidents/{incident.pk}/").json()
    assert body["cad_number"] == "CAD 2026/0601/77" and body["rms_reference"] == ""
    found = api.get("/api/v1/incidents/", {"reference": "cad 2026/0601/77"}).json()
    assert [i["id"] for i in found["results"]] == [incident.pk]
    found = api.get("/api/v1/incidents/", {"reference": "OCC-55"}).json()
    assert [i["id"] for i in found["results"]] == [other.pk]
    patched = api.patch(
        f"/api/v1/incidents/{incident.pk}/", {"rms_reference": "bad  double"}, format="json"
    )
    assert patched.status_code == 400
    assert patched.json()["errors"][0]["code"] == "invalid_reference"
    page = web.as_user(officer).get("/incidents/", {"reference": "OCC-55"}).content.decode()
    assert other.reference in page and incident.reference not in page


def test_detention_references_page_api_find_and_who_may(
    force, health_trust, officer, nurse, web, api_for, api_as
):
    from places_of_safety import services as places

    with acting_as(user_actor(officer)):
        person = make_person(force, "Ann", "Lee", dt.date(1990, 1, 1))
        place = places.create_place(
            name="Ashdown suite", kind="health_based", organisation=health_trust, capacity=2
        )
    detention = factories.detention(
        force,
        person,
        detained_at=T0,
        place=place,
        arrived_at=T0 + dt.timedelta(minutes=20),
        now=T0 + dt.timedelta(hours=1),
    )
    client = web.as_user(officer)
    bad = client.post(
        f"/detentions/{detention.pk}/references/", {"custody_record_number": "!!", "cad_number": ""}
    )
    assert (
        bad.status_code == 200 and "Enter the reference as the other system" in bad.content.decode()
    )
    response = client.post(
        f"/detentions/{detention.pk}/references/",
        {"custody_record_number": "CUS-1", "cad_number": "CAD-9"},
    )
    assert response.status_code == 302
    detention.refresh_from_db()
    assert (detention.custody_record_number, detention.cad_number) == ("CUS-1", "CAD-9")
    assert detention.history.first().changed_by == officer.username
    found = client.get("/detentions/find/", {"reference": "cus-1"}).content.decode()
    assert detention.reference in found

    api = api_for(force, "detentions:read", "detentions:write")
    answer = api.post(
        f"/api/v1/detentions/{detention.pk}/references/", {"cad_number": "CAD-10"}, format="json"
    )
    assert answer.status_code == 200
    assert answer.json()["cad_number"] == "CAD-10"
    assert answer.json()["custody_record_number"] == "CUS-1"  # left out: unchanged
    listed = api.get("/api/v1/detentions/", {"reference": "CAD-10"}).json()
    assert [d["id"] for d in listed["results"]] == [detention.pk]
    bad = api.post(
        f"/api/v1/detentions/{detention.pk}/references/", {"cad_number": " x$"}, format="json"
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["code"] == "invalid_reference"
    # The trust runs the place and sees the detention, but the references are the force's.
    assert (
        api_as(nurse)
        .post(f"/api/v1/detentions/{detention.pk}/references/", {"cad_number": "X"}, format="json")
        .status_code
        == 403
    )
    assert web.as_user(nurse).get(f"/detentions/{detention.pk}/references/").status_code == 403


def test_references_are_in_the_exports(force, officer, make_user, settings, tmp_path):
    from reporting.models import Export
    from reporting.services import build_export

    settings.MEDIA_ROOT = str(tmp_path)
    lead = make_user("lead", force, Role.NPU_LEAD)
    with acting_as(user_actor(officer)):
        person = make_person(force, "Ann", "Lee", dt.date(1990, 1, 1))
    incident = make_incident(force, user=officer, people=[person], cad_number="CAD-1", at=T0)
    detention = factories.detention(force, person, detained_at=T0, incident=incident)
    with acting_as(user_actor(officer)):
        detention_services.set_references(detention, custody_record_number="CUS-2")
    params = {"date_from": "2026-06-01", "date_to": "2026-06-30", "npu": "", "category": ""}
    for kind, expected in (
        ("incidents", {"cad_number": "CAD-1", "rms_reference": ""}),
        ("detentions", {"custody_record_number": "CUS-2", "cad_number": ""}),
    ):
        export = Export.objects.create(organisation=force, owner=lead, kind=kind, params=params)
        build_export(export.pk)
        export.refresh_from_db()
        rows = list(csv.DictReader(io.StringIO(export.file.read().decode())))
        assert len(rows) == 1, kind
        assert {k: rows[0][k] for k in expected} == expected, kind
