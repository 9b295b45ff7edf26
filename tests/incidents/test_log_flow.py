"""Log an incident as question pages (incidents/log_flow.py): each page's validation, nothing
saved before the check page's confirmation, Change links, refusals of the services sent back to
their question, the draft per tab and its expiry."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from incidents.models import Incident
from tests.incidents.helpers import make_person

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 5, 20, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _begin(client, query=""):
    response = client.get("/incidents/new/" + query)
    assert response.status_code == 302
    m = re.match(r"^/incidents/new/([A-Za-z0-9]+)/when/$", response["Location"])
    assert m, response["Location"]
    return m.group(1)


def _url(draft, step, change=False):
    return f"/incidents/new/{draft}/{step}/" + ("?change=1" if change else "")


WHEN = {
    "occurred_at-day": "20",
    "occurred_at-month": "5",
    "occurred_at-year": "2026",
    "occurred_at-time": "11:15",
    "category": "crisis_or_welfare_check",
}
PAGES = [
    ("when", WHEN),
    ("where", {"location_description": "Castleford bus station"}),
    ("person", {"person_given_name": "Rosa", "person_family_name": "Diaz"}),
    ("rcrp", {"rcrp_threshold": "risk_to_life"}),
    ("officer", {"officer_name": "PC Okafor", "officer_minutes": "95"}),
    ("summary", {"summary": "Woman in distress."}),
]


def _walk(client, draft, **over):
    response = None
    for step, data in PAGES:
        response = client.post(_url(draft, step), {**data, **over.get(step, {})})
        assert response.status_code == 302, (step, response.content.decode()[:2000])
    return response


def test_six_pages_then_check_then_logged(web, officer, force):
    client = web.as_user(officer)
    draft = _begin(client)
    last = _walk(client, draft)
    assert last["Location"] == f"/incidents/new/{draft}/check/"
    assert not Incident.objects.exists()
    page = client.get(last["Location"]).content.decode()
    for answer in ("Castleford bus station", "Rosa", "PC Okafor", "95", "20 May 2026, 11:15 BST"):
        assert answer in page, answer
    assert f'href="{_url(draft, "rcrp", True)}"' in page
    response = client.post(f"/incidents/new/{draft}/check/")
    incident = Incident.objects.get()
    assert response["Location"] == f"/incidents/{incident.pk}/"
    assert incident.people.get().given_name == "Rosa"
    assert incident.officers.get().minutes == 95
    assert client.post(f"/incidents/new/{draft}/check/")["Location"] == response["Location"]
    assert Incident.objects.count() == 1


@pytest.mark.parametrize(
    ("step", "data", "field", "message"),
    [
        ("when", {"occurred_at-day": ""}, "occurred_at", "Enter the date and time"),
        ("when", {}, "category", "Select the category of the incident"),
        ("person", {"person_given_name": "Rosa"}, "person_family_name", "Give both names"),
        ("rcrp", {}, "rcrp_threshold", "Select the Right Care Right Person decision"),
        ("officer", {"officer_minutes": "5"}, "officer_name", "Give the officer"),
    ],
)
def test_each_page_names_the_field(web, officer, force, step, data, field, message):
    client = web.as_user(officer)
    draft = _begin(client)
    response = client.post(_url(draft, step), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in body and f'id="id_{field}-error"' in body
    assert message.replace("'", "&#x27;") in body and f'href="#id_{field}' in body


def test_a_service_refusal_goes_back_to_its_question(web, officer, force):
    client = web.as_user(officer)
    draft = _begin(client)
    _walk(client, draft, rcrp={"rcrp_threshold": "none"})
    response = client.post(f"/incidents/new/{draft}/check/")
    assert response["Location"] == _url(draft, "rcrp", True)
    body = client.get(response["Location"]).content.decode()
    assert "Say why the police did not attend." in body and "<title>Error:" in body
    assert not Incident.objects.exists()
    # Answered, it returns to the check page and logs the incident.
    response = client.post(
        _url(draft, "rcrp", True),
        {"rcrp_threshold": "none", "rcrp_rationale": "No risk", "rcrp_passed_to": "nhs_111"},
    )
    assert response["Location"] == f"/incidents/new/{draft}/check/"
    assert client.post(response["Location"]).status_code == 302
    assert Incident.objects.count() == 1


def test_a_person_from_their_page_is_added(web, officer, force):
    person = make_person(force, "Alex", "Smith")
    client = web.as_user(officer)
    draft = _begin(client, f"?person={person.pk}")
    _walk(client, draft, person={"person_given_name": "", "person_family_name": ""})
    assert "Alex Smith" in client.get(f"/incidents/new/{draft}/check/").content.decode()
    client.post(f"/incidents/new/{draft}/check/")
    assert list(Incident.objects.get().people.all()) == [person]


def test_drafts_per_tab_and_expiry(web, officer, force, frozen, settings):
    settings.QUESTION_DRAFT_MINUTES = 20
    client = web.as_user(officer)
    one, two = _begin(client), _begin(client)
    client.post(_url(one, "where"), {"location_description": "One"})
    client.post(_url(two, "where"), {"location_description": "Two"})
    assert 'value="One"' in client.get(_url(one, "where")).content.decode()
    assert 'value="Two"' in client.get(_url(two, "where")).content.decode()
    frozen.shift(timedelta(minutes=21))
    response = client.get(_url(one, "where"))
    assert response.status_code == 302 and response["Location"] == "/incidents/"
