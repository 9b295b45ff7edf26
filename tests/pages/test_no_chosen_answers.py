"""Issue 19: the record tells the truth. No answer that becomes part of the legal record or the
return is chosen for the user: the forms open with no radio checked and no option selected, and
a form sent without the answer says which question to answer, saving nothing."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from detentions.models import Detention, Review, WelfareCheck
from incidents.models import Incident
from people.models import Person

from .helpers import at_station, local, make_person, make_places

pytestmark = pytest.mark.django_db

REQUIRED = "This field is required."


class _Chosen(HTMLParser):
    """The names of the radios checked and the selects with a non-blank option selected."""

    def __init__(self):
        super().__init__()
        self.chosen: dict[str, str] = {}
        self.select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("type") == "radio" and "checked" in a:
            self.chosen[a["name"]] = a.get("value")
        elif tag == "select":
            self.select = a.get("name")
        elif tag == "option" and self.select and "selected" in a and a.get("value"):
            self.chosen[self.select] = a["value"]

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None


def chosen(response) -> dict[str, str]:
    parser = _Chosen()
    parser.feed(response.content.decode())
    return parser.chosen


def _text(response):
    return response.content.decode()


@pytest.fixture
def places(force, health_trust, acute_trust):
    return make_places(force, health_trust, acute_trust)


@pytest.fixture
def station(places):
    return places[0]


@pytest.fixture
def person(force):
    return make_person(force)


START_ANSWERS = {
    "gender": "Select the person's gender, or 'Not known' if you do not know",
    "ethnicity": "Select the person's self-defined ethnicity, or 'Not stated' if they did not say",
    "power": "Select the power used",
    "location_kind": "Select where the power was used",
    "conveyance_mode": "Select how the person is being taken to the place of safety",
    "mode": "Select whether they are being removed to a place of safety or kept where they are",
}


def test_start_form_chooses_nothing_for_the_officer(web, officer, places):
    picked = chosen(web.as_user(officer).get("/detentions/start/all/"))
    assert not set(picked) & set(START_ANSWERS), picked


def test_start_form_without_the_answers_names_each_and_saves_nothing(web, officer, places):
    data = {
        "person": "new",
        "given_name": "Jamie",
        "family_name": "Doe",
        "age_assessment": "18_and_over",
        **local("detained_at", timezone.now() - timedelta(minutes=10)),
        "consulted": "no",
        "consultation_not_practicable_reason": "Immediate risk",
    }
    response = web.as_user(officer).post("/detentions/start/all/", data)
    page = _text(response)
    assert response.status_code == 200
    for name, message in START_ANSWERS.items():
        assert f'href="#id_{name}"' in page, name
        assert message.replace("'", "&#x27;") in page, name
    assert REQUIRED not in page
    assert Detention.objects.count() == 0 and Person.objects.count() == 0
    # What was typed is kept.
    assert 'value="Jamie"' in page


def test_welfare_check_does_not_answer_the_waking_question(web, officer, sergeant, station, person):
    d = at_station(officer, person, station)
    client = web.as_user(sergeant)
    assert "risk_requires_waking" not in chosen(client.get(f"/detentions/{d.pk}/welfare-check/"))
    response = client.post(
        f"/detentions/{d.pk}/welfare-check/",
        {**local("checked_at", timezone.now() - timedelta(minutes=1))},
    )
    page = _text(response)
    assert response.status_code == 200
    assert "Select yes if the risk requires waking the person for checks" in page
    assert "Enter the name of the healthcare professional" in page
    assert REQUIRED not in page
    assert not WelfareCheck.objects.filter(detention=d).exists()


def test_review_answers_nothing_for_the_reviewer(web, officer, sergeant, station, person):
    d = at_station(officer, person, station)
    client = web.as_user(sergeant)
    picked = chosen(client.get(f"/detentions/{d.pk}/review/"))
    assert not {"conditions_met", "hcp_available", "asleep"} & set(picked), picked
    response = client.post(
        f"/detentions/{d.pk}/review/",
        {**local("reviewed_at", timezone.now() - timedelta(minutes=1)), "reviewer_name": ""},
    )
    page = _text(response)
    assert response.status_code == 200
    for message in (
        "Select yes if the conditions still apply",
        "Select yes if a healthcare professional is still present and available",
        "Select yes if the person is asleep",
        "Enter the name of the reviewing custody officer",
    ):
        assert message in page
    assert REQUIRED not in page
    assert not Review.objects.filter(detention=d).exists()


def test_ending_asks_for_the_outcome(web, officer, station, person):
    d = at_station(officer, person, station)
    client = web.as_user(officer)
    assert "outcome" not in chosen(client.get(f"/detentions/{d.pk}/end/"))
    response = client.post(f"/detentions/{d.pk}/end/", {**local("ended_at", timezone.now())})
    page = _text(response)
    assert "Select the outcome of the detention" in page and REQUIRED not in page
    d.refresh_from_db()
    assert d.ended_at is None


def test_handover_names_what_is_missing(web, officer, station, person):
    d = at_station(officer, person, station)
    page = _text(web.as_user(officer).post(f"/detentions/{d.pk}/handover/", {}))
    assert "Enter when they were handed over" in page
    assert "Enter the name and role of the person who received them" in page
    assert REQUIRED not in page


def test_new_person_form_chooses_no_gender_or_ethnicity(web, officer, force):
    client = web.as_user(officer)
    picked = chosen(client.get("/people/new/"))
    assert "gender" not in picked and "ethnicity" not in picked
    page = _text(client.post("/people/new/", {"given_name": "Jo", "family_name": "Bloggs"}))
    assert "Select the person&#x27;s gender" in page
    assert "Select the person&#x27;s self-defined ethnicity" in page
    assert Person.objects.count() == 0


def test_incident_category_error_names_the_field(web, officer, force):
    page = _text(web.as_user(officer).post("/incidents/new/all/", {"summary": "A call"}))
    assert "Select the category of the incident" in page
    assert "Select the Right Care Right Person decision" in page
    assert REQUIRED not in page
    assert Incident.objects.count() == 0
