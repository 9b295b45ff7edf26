"""Incident and people pages: permissions (wrong role 403, other force 404), logging and
editing through the services, the list's filters and fixed query count, the person page and
the merge flow, repeat demand pages."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from incidents.models import Incident
from people.models import Person
from tests.incidents.helpers import make_incident, make_person

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 5, 20, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def partner_user(make_user, partner_org):
    return make_user("partner", partner_org, Role.PARTNER_USER)


@pytest.fixture
def npu_lead(make_user, force):
    return make_user("npulead", force, Role.NPU_LEAD)


def recent(force, **kw):
    return make_incident(force, at=NOW - timedelta(hours=3), now=NOW, **kw)


def log_form(**extra):
    data = {
        "occurred_at-day": "20",
        "occurred_at-month": "5",
        "occurred_at-year": "2026",
        "occurred_at-time": "11:15",
        "category": "crisis_or_welfare_check",
        "npu": "",
        "location_description": "Castleford bus station",
        "location_postcode": "cf1 1aa",
        "rcrp_threshold": "risk_to_life",
        "summary": "Woman in distress on the platform edge.",
        "outcome": "handed_to_health",
    }
    data.update(extra)
    return data


def test_log_an_incident_with_a_new_person_and_an_officer(web, officer, force):
    npu = force.npus.get(code="NPU-C")
    response = web.as_user(officer).post(
        "/incidents/new/all/",
        log_form(
            npu=str(npu.pk),
            person_given_name="Rosa",
            person_family_name="Díaz",
            **{"person_date_of_birth-day": "3", "person_date_of_birth-month": "4"},
            **{"person_date_of_birth-year": "1991"},
            officer_name="PC Okafor",
            collar_number="1234",
            officer_minutes="95",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    incident = Incident.objects.get()
    assert response["Location"] == f"/incidents/{incident.pk}/"
    # 11:15 BST is 10:15 UTC.
    assert incident.occurred_at == datetime(2026, 5, 20, 10, 15, tzinfo=UTC)
    assert incident.location_postcode == "CF1 1AA"
    assert incident.people.get().search_name == "rosa diaz"
    assert incident.officers.get().minutes == 95
    assert incident.history.latest().changed_by == "officer"
    page = web.get(response["Location"])
    assert page.status_code == 200
    assert b"Rosa D" in page.content and b"95" in page.content


def test_not_attended_without_rationale_shows_errors_beside_fields(web, officer, force):
    response = web.as_user(officer).post("/incidents/new/all/", log_form(rcrp_threshold="none"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "Say why the police did not attend." in body
    assert "Say which agency the call was passed to." in body
    assert Incident.objects.count() == 0


def test_times_out_of_order_are_refused(web, officer, force):
    response = web.as_user(officer).post(
        "/incidents/new/all/",
        log_form(
            **{
                "ended_at-day": "20",
                "ended_at-month": "5",
                "ended_at-year": "2026",
                "ended_at-time": "10:00",
            }
        ),
    )
    assert response.status_code == 200
    assert "The incident cannot end before it occurred." in response.content.decode()


def test_edit_an_incident(web, officer, force):
    incident = recent(force)
    form = log_form(outcome="resolved_at_scene", summary="Changed")
    response = web.as_user(officer).post(f"/incidents/{incident.pk}/edit/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    incident.refresh_from_db()
    assert (incident.outcome, incident.summary) == ("resolved_at_scene", "Changed")
    assert web.get(f"/incidents/{incident.pk}/edit/").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/incidents/",
        "/incidents/{i}/",
        "/incidents/repeat-locations/",
        "/people/",
        "/people/{p}/",
        "/people/repeated-contact/",
    ],
)
def test_read_pages_three_personas(
    web, force, officer, outsider_officer, partner_user, npu_lead, path
):
    person = make_person(force)
    incident = recent(force, people=[person])
    url = path.format(i=incident.pk, p=person.pk)
    assert web.as_user(officer).get(url).status_code == 200
    assert web.as_user(npu_lead).get(url).status_code == 200
    assert web.as_user(partner_user).get(url).status_code == 403
    expected = 404 if "{" in path else 200  # other force: its own empty lists
    assert web.as_user(outsider_officer).get(url).status_code == expected


@pytest.mark.parametrize(
    "path",
    [
        "/incidents/new/all/",
        "/incidents/{i}/edit/",
        "/incidents/{i}/people/",
        "/incidents/{i}/officers/",
        "/people/new/",
        "/people/{p}/edit/",
        "/people/{p}/merge/{q}/",
    ],
)
def test_write_pages_need_the_role_and_the_force(
    web, force, officer, outsider_officer, npu_lead, path
):
    person, other = make_person(force), make_person(force)
    incident = recent(force)
    url = path.format(i=incident.pk, p=person.pk, q=other.pk)
    assert web.as_user(officer).get(url).status_code == 200
    assert web.as_user(npu_lead).get(url).status_code == 403
    if "{" in path:
        assert web.as_user(outsider_officer).get(url).status_code == 404


def test_signed_out_goes_to_sign_in(client, force):
    assert client.get("/incidents/").status_code == 302


def test_list_filters_and_paginates_with_fixed_queries(web, officer, force):
    n = force.npus.get(code="NPU-N")
    c = force.npus.get(code="NPU-C")
    recent(force, npu=n, category="section_136")
    make_incident(force, at=NOW - timedelta(days=40), npu=c, now=NOW)
    client = web.as_user(officer)
    client.get("/incidents/")

    def refs(query):
        body = client.get("/incidents/?" + query).content.decode()
        return body.count("INC-2026-")

    assert refs("") == 2
    assert refs("npu=NPU-N") == 1
    assert refs("category=section_136") == 1
    assert refs("from=2026-05-01") == 1
    assert refs("to=2026-04-30") == 1
    assert refs("rcrp_threshold=none") == 0
    assert "govuk-error-summary" in client.get("/incidents/?from=nonsense").content.decode()

    with CaptureQueriesContext(connection) as few:
        client.get("/incidents/")
    for i in range(30):
        make_incident(
            force,
            at=NOW - timedelta(hours=5 + i),
            people=[make_person(force, f"P{i}", "Q")],
            officers=[{"collar_number": str(i), "minutes": 10}],
            now=NOW,
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get("/incidents/")
    assert len(many.captured_queries) == len(few.captured_queries)
    body = response.content.decode()
    assert body.count("INC-2026-") == 25 and "Page 1 of 2" in body
    assert client.get("/incidents/?page=2").content.decode().count("INC-2026-") == 7


def test_person_page_timeline_and_duplicates(web, officer, force):
    from datetime import date

    person = make_person(force, "Jonathan", "Smith", date(1990, 1, 1))
    dup = make_person(force, "Jon", "Smith", date(1990, 1, 1))
    recent(force, people=[person], location_description="Market Square")
    body = web.as_user(officer).get(f"/people/{person.pk}/").content.decode()
    assert "Possible duplicate records" in body
    assert f"/people/{person.pk}/merge/{dup.pk}/" in body
    assert "Market Square" in body


def test_person_page_query_count_does_not_grow(web, officer, force):
    person = make_person(force)
    recent(force, people=[person])
    client = web.as_user(officer)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/people/{person.pk}/")
    for i in range(10):
        make_incident(force, at=NOW - timedelta(days=i + 1), people=[person], now=NOW)
    with CaptureQueriesContext(connection) as many:
        client.get(f"/people/{person.pk}/")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_merge_flow_needs_a_reason_and_records_it(web, officer, force):
    keep, other = make_person(force, "Ann", "Lee"), make_person(force, "Anne", "Lee")
    recent(force, people=[other])
    client = web.as_user(officer)
    url = f"/people/{keep.pk}/merge/{other.pk}/"
    response = client.post(url, {"keep": str(keep.pk), "reason": ""})
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    response = client.post(url, {"keep": str(keep.pk), "reason": "Same NHS record"})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.merged_into == keep
    assert other.history.latest().history_change_reason == "Same NHS record"
    body = client.get(f"/people/{other.pk}/").content.decode()
    assert "This record was merged" in body


def test_new_person_warns_about_possible_duplicates(web, officer, force):
    from datetime import date

    make_person(force, "Jonathan", "Smith", date(1990, 1, 1))
    data = {
        "given_name": "Jon",
        "family_name": "Smith",
        "date_of_birth-day": "1",
        "date_of_birth-month": "1",
        "date_of_birth-year": "1990",
        "gender": "male",
        "ethnicity": "NS",
    }
    client = web.as_user(officer)
    response = client.post("/people/new/", data)
    assert response.status_code == 200
    assert "similar name" in response.content.decode()
    assert Person.objects.count() == 1
    response = client.post("/people/new/", {**data, "not_a_duplicate": "on"})
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_add_existing_person_to_incident(web, officer, force):
    person = make_person(force, "Kim", "Park")
    incident = recent(force)
    client = web.as_user(officer)
    assert b"Kim Park" in client.get(f"/incidents/{incident.pk}/people/?q=kim").content
    assert (
        client.post(f"/incidents/{incident.pk}/people/", {"person": person.pk}).status_code == 302
    )
    assert list(incident.people.all()) == [person]


def test_repeat_pages(web, officer, force):
    person = make_person(force, "Frequent", "Caller")
    for d in (1, 2, 3):
        make_incident(
            force,
            at=NOW - timedelta(days=d),
            people=[person],
            healthcare_setting=True,
            healthcare_setting_name="Ward 4",
            now=NOW,
        )
    client = web.as_user(officer)
    body = client.get("/people/repeated-contact/").content.decode()
    assert "Frequent Caller" in body and "care" in body
    body = client.get("/people/repeated-contact/?min_incidents=4").content.decode()
    assert "Frequent Caller" not in body
    body = client.get("/incidents/repeat-locations/").content.decode()
    assert "Ward 4" in body and "Healthcare setting" in body


def test_detail_links_to_start_a_detention(web, officer, force):
    incident = recent(force)
    body = web.as_user(officer).get(f"/incidents/{incident.pk}/").content.decode()
    assert f"?incident={incident.pk}" in body
    assert "Start a detention from this incident" in body
