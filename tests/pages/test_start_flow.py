"""Start a detention as question pages (detentions/start_flow.py): each page's validation,
the draft kept in the session (tampering, expiry, two tabs), check your answers with its
Change links, nothing saved before the confirmation, refusals sent back to their question,
the person search inside the flow (no wipe, no choice made for the officer, already detained
said at once) and the warning before an arrival at a full or closed place."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from core.actor import acting_as, user_actor
from detentions import services
from detentions.models import Detention
from people.models import Person
from places_of_safety.models import PlaceStatus

from .helpers import local, make_person, make_places, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(force, health_trust, acute_trust):
    return make_places(force, health_trust, acute_trust)


def _text(response):
    return response.content.decode()


def _begin(client, query=""):
    response = client.get("/detentions/start/" + query)
    assert response.status_code == 302, response.status_code
    m = re.match(r"^/detentions/start/([A-Za-z0-9]+)/person/$", response["Location"])
    assert m, response["Location"]
    return m.group(1)


def _url(draft, step, change=False):
    return f"/detentions/start/{draft}/{step}/" + ("?change=1" if change else "")


def _post(client, draft, step, data, change=False):
    return client.post(_url(draft, step, change), data)


NEW_PERSON = {
    "given_name": "Jamie",
    "family_name": "Doe",
    "date_of_birth-day": "3",
    "date_of_birth-month": "4",
    "date_of_birth-year": "1985",
    "gender": "not_known",
    "ethnicity": "NS",
}


def _power(**over):
    data = {
        "power": "s136",
        **local("detained_at", timezone.now() - timedelta(minutes=10)),
        "location_kind": "public_place",
        "location_description": "Castleford railway station",
    }
    data.update(over)
    return data


CONSULTED = {
    "consulted": "yes",
    "consultation_profession": "nurse",
    "consultation_name": "Nurse Triage",
}


def _walk(client, draft, *, person="new", mode="removed", place=None):
    """Answers every page of the common start; returns the last response (the check page)."""
    assert _post(client, draft, "person", {"person": person}).status_code == 302
    if person == "new":
        assert _post(client, draft, "details", NEW_PERSON).status_code == 302
    assert _post(client, draft, "power", _power()).status_code == 302
    assert _post(client, draft, "consultation", CONSULTED).status_code == 302
    response = _post(client, draft, "conveyance", {"conveyance_mode": "ambulance", "mode": mode})
    assert response.status_code == 302
    if mode == "kept":
        response = _post(client, draft, "place", {"place_of_safety": str(place.pk)})
    return response


class TestTheCommonStart:
    def test_five_question_pages_then_check_then_started(self, web, officer, places):
        client = web.as_user(officer)
        draft = _begin(client)
        last = _walk(client, draft)
        assert last["Location"] == f"/detentions/start/{draft}/check/"
        assert not Detention.objects.exists()  # nothing legal saved before the confirmation
        check = client.get(last["Location"])
        text = _text(check)
        assert check.status_code == 200
        assert "Check your answers before starting the detention" in text
        for answer in ("Jamie", "Doe", "Castleford railway station", "Nurse Triage", "Ambulance"):
            assert answer in text, answer
        assert Person.objects.count() == 0
        response = client.post(f"/detentions/start/{draft}/check/")
        d = Detention.objects.get()
        assert response.status_code == 302 and response["Location"] == f"/detentions/{d.pk}/"
        assert d.person.family_name == "Doe" and d.conveyance_mode == "ambulance"
        assert d.consultation_name == "Nurse Triage"
        # A second confirmation (double click, Back then submit) starts nothing more.
        again = client.post(f"/detentions/start/{draft}/check/")
        assert again["Location"] == f"/detentions/{d.pk}/"
        assert Detention.objects.count() == 1

    def test_pages_are_in_order_with_back_links(self, web, officer, places):
        client = web.as_user(officer)
        draft = _begin(client)
        page = _text(client.get(_url(draft, "person")))
        assert 'href="/detentions/"' in page  # back to the board from the first page
        _post(client, draft, "person", {"person": "new"})
        page = _text(client.get(_url(draft, "details")))
        assert f'href="{_url(draft, "person")}"' in page
        # Back keeps the answer given.
        page = _text(client.get(_url(draft, "person")))
        assert re.search(r'value="new"\s+checked', page)

    def test_a_known_person_skips_the_details_page(self, web, officer, force, places):
        person = make_person(force, "Alex", "Smith")
        client = web.as_user(officer)
        draft = _begin(client)
        client.get(_url(draft, "person") + "?q=smith")
        response = _post(client, draft, "person", {"person": str(person.pk)})
        assert response["Location"] == _url(draft, "power")
        _walk_rest = _post(client, draft, "power", _power())
        assert _walk_rest["Location"] == _url(draft, "consultation")

    def test_no_answer_is_chosen_for_the_officer(self, web, officer, force, places):
        make_person(force, "Alex", "Smith")
        client = web.as_user(officer)
        draft = _begin(client)
        for step in ("person",):
            page = _text(client.get(_url(draft, step) + "?q=smith"))
            assert " checked" not in page  # not even the only match
        _post(client, draft, "person", {"person": "new"})
        for step in ("details", "power", "consultation", "conveyance"):
            page = _text(client.get(_url(draft, step)))
            assert " checked" not in page, step
            assert not re.search(r"<option value=\"[^\"]+\" selected", page), step


class TestValidation:
    """Each page names the field and what to do, and goes no further."""

    @pytest.mark.parametrize(
        ("step", "data", "field", "message"),
        [
            ("person", {}, "person", "Select the person, or"),
            ("details", {}, "given_name", "Enter the person&#x27;s given name"),
            ("details", {"given_name": "A"}, "gender", "Select the person&#x27;s gender"),
            ("details", {}, "ethnicity", "Select the person&#x27;s self-defined ethnicity"),
            ("details", {}, "age_assessment", "Enter their date of birth, or say"),
            ("power", {}, "power", "Select the power used"),
            ("power", {}, "location_kind", "Select where the power was used"),
            ("power", {"power": "s135_1"}, "warrant_issued_at", "Enter when the warrant"),
            ("consultation", {"consulted": "yes"}, "consultation_name", "Enter the name"),
            ("consultation", {"consulted": "no"}, "consultation_not_practicable_reason", "Say why"),
            ("conveyance", {}, "conveyance_mode", "Select how the person is being taken"),
            ("conveyance", {}, "mode", "Select whether they are being removed"),
        ],
    )
    def test_errors_name_the_field(self, web, officer, places, step, data, field, message):
        client = web.as_user(officer)
        draft = _begin(client)
        _post(client, draft, "person", {"person": "new"})
        if step == "power":
            data = {**{"detained_at-day": ""}, **data}
        response = _post(client, draft, step, data)
        text = _text(response)
        assert response.status_code == 200
        assert "<title>Error:" in text
        assert f'id="{"id_" + field}-error"' in text, field
        assert message in text
        assert f'href="#id_{field}"' in text  # the summary links to the field

    def test_errors_are_only_those_of_the_page(self, web, officer, places):
        client = web.as_user(officer)
        draft = _begin(client)
        _post(client, draft, "person", {"person": "new"})
        text = _text(_post(client, draft, "power", {}))
        assert "given name" not in text and "Select how the person" not in text

    def test_the_check_page_waits_for_every_question(self, web, officer, places):
        client = web.as_user(officer)
        draft = _begin(client)
        _post(client, draft, "person", {"person": "new"})
        response = client.get(f"/detentions/start/{draft}/check/")
        assert response["Location"] == _url(draft, "details")
        response = client.post(f"/detentions/start/{draft}/check/")
        assert response["Location"] == _url(draft, "details")
        assert not Detention.objects.exists()


class TestDraft:
    def test_two_tabs_keep_two_drafts(self, web, officer, places):
        client = web.as_user(officer)
        one, two = _begin(client), _begin(client)
        assert one != two
        _post(client, one, "person", {"person": "new"})
        _post(client, one, "details", NEW_PERSON)
        _post(client, two, "person", {"person": "new"})
        _post(client, two, "details", {**NEW_PERSON, "family_name": "Other"})
        assert 'value="Doe"' in _text(client.get(_url(one, "details")))
        assert 'value="Other"' in _text(client.get(_url(two, "details")))

    def test_an_unknown_or_other_users_draft_is_not_shown(self, web, officer, sergeant, places):
        draft = _begin(web.as_user(officer))
        _post(web.as_user(officer), draft, "person", {"person": "new"})
        other = web.as_user(sergeant)
        response = other.get(_url(draft, "details"))
        assert response.status_code == 302 and response["Location"] == "/detentions/"
        assert other.get(_url("nosuchdraft", "person")).status_code == 302
        assert other.post("/detentions/start/nosuchdraft/check/").status_code == 302
        assert not Detention.objects.exists()

    def test_unknown_page_is_404(self, web, officer, places):
        client = web.as_user(officer)
        draft = _begin(client)
        assert client.get(_url(draft, "nonsense")).status_code == 404

    def test_a_draft_expires(self, web, officer, places, settings):
        settings.QUESTION_DRAFT_MINUTES = 20  # under the idle sign-out (30 min)
        client = web.as_user(officer)
        with time_machine.travel(timezone.now(), tick=False) as traveller:
            draft = _begin(client)
            _post(client, draft, "person", {"person": "new"})
            traveller.shift(timedelta(minutes=21))
            response = client.get(_url(draft, "details"))
        assert response.status_code == 302 and response["Location"] == "/detentions/"

    def test_tampered_person_is_refused(self, web, officer, outsider_officer, places):
        # A person of another force: the id is not among those the officer may choose.
        stranger = make_person(outsider_officer.membership.organisation, "Sam", "Stranger")
        client = web.as_user(officer)
        draft = _begin(client)
        response = _post(client, draft, "person", {"person": str(stranger.pk)})
        assert response.status_code == 200
        assert "Choose the person again" in _text(response)

    def test_tampered_draft_is_validated_again_at_the_confirmation(
        self, web, officer, outsider_officer, places
    ):
        client = web.as_user(officer)
        draft = _begin(client)
        _walk(client, draft)
        # Someone edits the session's answers directly: the confirmation validates them again.
        session = client.session
        key = "question-drafts:detention-start"
        drafts = session[key]
        drafts[draft]["data"]["power"] = ["not-a-power"]
        session[key] = drafts
        session.save()
        response = client.post(f"/detentions/start/{draft}/check/")
        assert response.status_code == 302 and response["Location"] == _url(draft, "power", True)
        assert "Select a valid choice" in _text(client.get(response["Location"]))
        assert not Detention.objects.exists()

    def test_searching_keeps_every_answer(self, web, officer, force, places):
        make_person(force, "Alex", "Smith")
        client = web.as_user(officer)
        draft = _begin(client)
        _post(client, draft, "person", {"person": "new"})
        _post(client, draft, "details", NEW_PERSON)
        page = _text(client.get(_url(draft, "person") + "?q=smith"))
        assert "Alex Smith" in page and 'value="smith"' in page
        details = _text(client.get(_url(draft, "details")))
        assert 'value="Jamie"' in details and 'value="Doe"' in details


class TestCheckAnswers:
    def test_change_links_return_to_the_check_page(self, web, officer, places):
        client = web.as_user(officer)
        draft = _begin(client)
        _walk(client, draft)
        page = _text(client.get(f"/detentions/start/{draft}/check/"))
        assert f'href="{_url(draft, "details", True)}"' in page
        assert f'href="{_url(draft, "conveyance", True)}"' in page
        response = _post(
            client,
            draft,
            "conveyance",
            {
                "conveyance_mode": "police_vehicle",
                "conveyance_reason": "risk_of_violence",
                "mode": "removed",
            },
            change=True,
        )
        assert response["Location"] == f"/detentions/start/{draft}/check/"
        assert "Police vehicle" in _text(client.get(response["Location"]))
        # The back link of a page opened to change an answer goes to the check page.
        page = _text(client.get(_url(draft, "power", True)))
        assert f'href="/detentions/start/{draft}/check/"' in page

    def test_a_change_that_opens_a_new_question_asks_it(self, web, officer, places):
        station = places[0]
        client = web.as_user(officer)
        draft = _begin(client)
        _walk(client, draft)
        response = _post(
            client,
            draft,
            "conveyance",
            {"conveyance_mode": "ambulance", "mode": "kept"},
            change=True,
        )
        assert response["Location"] == _url(draft, "place", True)
        assert station.name in _text(client.get(response["Location"]))

    def test_a_rule_refusal_goes_back_to_its_question(self, web, officer, places):
        client = web.as_user(officer)
        draft = _begin(client)
        _post(client, draft, "person", {"person": "new"})
        _post(client, draft, "details", NEW_PERSON)
        # Detained in the future: the engine refuses on the confirmation.
        _post(
            client,
            draft,
            "power",
            _power(**local("detained_at", timezone.now() + timedelta(hours=2))),
        )
        _post(client, draft, "consultation", CONSULTED)
        _post(client, draft, "conveyance", {"conveyance_mode": "ambulance", "mode": "removed"})
        response = client.post(f"/detentions/start/{draft}/check/")
        assert response.status_code == 302
        assert response["Location"] == _url(draft, "power", True)
        page = _text(client.get(response["Location"]))
        assert "govuk-error-summary" in page and 'id="id_detained_at-error"' in page
        assert not Detention.objects.exists()


class TestAlreadyDetained:
    def test_said_beside_the_person_with_the_links(self, web, officer, force, places):
        person = make_person(force, "Alex", "Smith")
        d = start(officer, person)
        client = web.as_user(officer)
        draft = _begin(client)
        page = _text(client.get(_url(draft, "person") + "?q=smith"))
        assert "Already detained" in page and d.reference in page
        assert f'href="/detentions/{d.pk}/"' in page
        assert f'href="/detentions/{d.pk}/escape/"' in page
        response = _post(client, draft, "person", {"person": str(person.pk)})
        assert response.status_code == 200
        text = _text(response)
        assert "is already detained" in text and 'id="id_person-error"' in text
        assert 'href="#id_person"' in text

    def test_after_an_escape_the_link_records_the_retaking(self, web, officer, force, places):
        person = make_person(force, "Alex", "Smith")
        d = start(officer, person, detained_at=timezone.now() - timedelta(hours=1))
        with acting_as(user_actor(officer)):
            services.record_escape(d, escaped_at=timezone.now() - timedelta(minutes=10))
        client = web.as_user(officer)
        draft = _begin(client)
        page = _text(client.get(_url(draft, "person") + "?q=smith"))
        assert f'href="/detentions/{d.pk}/return/"' in page
        assert "Record that they were retaken" in page


class TestFullPlace:
    def _full(self, place, officer, force):
        place.declared_status = PlaceStatus.FULL
        place.save()

    def test_warned_then_recorded_when_confirmed(self, web, officer, force, places):
        suite = places[1]
        suite.declared_status = PlaceStatus.CLOSED
        suite.save()
        client = web.as_user(officer)
        draft = _begin(client)
        response = _walk(client, draft, mode="kept", place=suite)
        assert response.status_code == 200
        text = _text(response)
        assert "is closed" in text and 'name="place_warning_confirmed"' in text
        assert "<title>Error:" not in text  # a question first, not an error
        # Continuing without ticking the box: an error naming what to do.
        again = _post(
            client,
            draft,
            "place",
            {"place_of_safety": str(suite.pk), "place_warning_shown": str(suite.pk)},
        )
        assert again.status_code == 200 and "Tick the box to confirm" in _text(again)
        assert "<title>Error:" in _text(again)
        ok = _post(
            client,
            draft,
            "place",
            {"place_of_safety": str(suite.pk), "place_warning_confirmed": str(suite.pk)},
        )
        assert ok["Location"] == f"/detentions/start/{draft}/check/"
        check = _text(client.get(ok["Location"]))
        assert "is closed" in check
        client.post(f"/detentions/start/{draft}/check/")
        d = Detention.objects.get()
        assert d.arrival.place == suite and d.arrival.place_status_at_arrival == "closed"

    def test_a_place_that_fills_before_the_confirmation_asks_again(
        self, web, officer, force, places
    ):
        suite = places[1]
        client = web.as_user(officer)
        draft = _begin(client)
        assert _walk(client, draft, mode="kept", place=suite).status_code == 302
        suite.declared_status = PlaceStatus.FULL
        suite.save()
        response = client.post(f"/detentions/start/{draft}/check/")
        assert response["Location"] == _url(draft, "place", True)
        assert "is full" in _text(client.get(response["Location"]))
        assert not Detention.objects.exists()

    def test_arrival_form_warns_then_records(self, web, officer, force, places):
        suite = places[1]
        d = start(officer, make_person(force, "Robin", "Hale"))
        suite.capacity = 1
        suite.save()
        other = start(officer, make_person(force, "Other", "Person"))
        with acting_as(user_actor(officer)):
            services.record_arrival(other, place_of_safety=suite, arrived_at=timezone.now())
        client = web.as_user(officer)
        data = {"place_of_safety": str(suite.pk), **local("arrived_at", timezone.now())}
        response = client.post(f"/detentions/{d.pk}/arrival/", data)
        assert response.status_code == 200
        assert "is full: 1 of 1 places are in use" in _text(response)
        d.refresh_from_db()
        assert not hasattr(d, "arrival") or d.arrival is None
        response = client.post(
            f"/detentions/{d.pk}/arrival/",
            {**data, "place_warning_confirmed": str(suite.pk)},
        )
        assert response.status_code == 302
        d = Detention.objects.get(pk=d.pk)
        assert d.arrival.place_status_at_arrival == "full"

    def test_transfer_form_warns(self, web, sergeant, officer, force, places):
        station, suite, _ed = places
        from .helpers import at_station

        d = at_station(officer, make_person(force, "Robin", "Hale"), station)
        suite.declared_status = PlaceStatus.CLOSED
        suite.save()
        client = web.as_user(sergeant)
        data = {
            "to_place_of_safety": str(suite.pk),
            **local("departed_at", timezone.now()),
            "reason": "A bed at the suite",
        }
        response = client.post(f"/detentions/{d.pk}/transfer/", data)
        assert response.status_code == 200 and "is closed" in _text(response)
        assert not d.transfers.exists()
        response = client.post(
            f"/detentions/{d.pk}/transfer/", {**data, "place_warning_confirmed": str(suite.pk)}
        )
        assert response.status_code == 302 and d.transfers.count() == 1

    def test_transfer_arrival_form_warns(self, web, sergeant, officer, force, places):
        from .helpers import at_station

        station, suite, _ed = places
        d = at_station(officer, make_person(force, "Robin", "Hale"), station)
        with acting_as(user_actor(sergeant)):
            services.record_transfer(
                d,
                to_place_of_safety=suite,
                departed_at=timezone.now() - timedelta(minutes=5),
                reason="A bed at the suite",
            )
        suite.declared_status = PlaceStatus.CLOSED
        suite.save()
        client = web.as_user(sergeant)
        data = local("arrived_at", timezone.now())
        response = client.post(f"/detentions/{d.pk}/transfer/arrival/", data)
        assert response.status_code == 200 and "is closed" in _text(response)
        assert d.transfers.get().arrived_at is None
        response = client.post(
            f"/detentions/{d.pk}/transfer/arrival/",
            {**data, "place_warning_confirmed": str(suite.pk)},
        )
        assert response.status_code == 302 and d.transfers.get().arrived_at is not None


class TestRecordAsHappened:
    """R1: a refusal that may be recorded as it happened is shown on the check page, with the
    confirmation step; each problem links to the page of its question."""

    def test_no_consultation_then_recorded_as_it_happened(self, web, officer, places):
        client = web.as_user(officer)
        draft = _begin(client)
        _post(client, draft, "person", {"person": "new"})
        _post(client, draft, "details", NEW_PERSON)
        _post(client, draft, "power", _power())
        _post(client, draft, "consultation", {})  # not answered: the engine's P2
        _post(client, draft, "conveyance", {"conveyance_mode": "ambulance", "mode": "removed"})
        response = client.post(f"/detentions/start/{draft}/check/")
        text = _text(response)
        assert response.status_code == 200 and "<title>Error:" in text
        assert "Has this already happened?" in text
        assert f'href="{_url(draft, "consultation", True)}"' in text
        assert not Detention.objects.exists()
        response = client.post(
            f"/detentions/start/{draft}/check/",
            {"record_as_happened": "yes", "account": "Climbing the parapet: no time to call."},
        )
        d = Detention.objects.get()
        assert response["Location"] == f"/detentions/{d.pk}/"
        assert d.unlawful_acts.filter(code="consultation_required").exists()


def test_kept_at_a_police_station_asks_for_the_decision(web, inspector, places):
    station = places[0]
    client = web.as_user(inspector)
    draft = _begin(client)
    response = _walk(client, draft, mode="kept", place=station)
    # No condition confirmed: the engine refuses (recordable: PS2), on the check page.
    assert response["Location"] == f"/detentions/start/{draft}/check/"
    text = _text(client.post(response["Location"]))
    assert "Has this already happened?" in text and f'href="{_url(draft, "place", True)}"' in text
    response = _post(
        client,
        draft,
        "place",
        {
            "place_of_safety": str(station.pk),
            "conditions": ["imminent_risk", "no_other_place", "hcp_available"],
            "decision_maker_name": "Insp Hughes",
            "decision_maker_rank": "inspector",
        },
        change=True,
    )
    assert response["Location"] == f"/detentions/start/{draft}/check/"
    assert client.post(response["Location"]).status_code == 302
    d = Detention.objects.get()
    assert d.arrival.place == station and d.arrival.police_station_decision.imminent_risk


def test_the_board_links_to_the_welfare_check_and_back(web, officer, sergeant, force, places):
    from .helpers import at_station

    d = at_station(officer, make_person(force, "Robin", "Hale"), places[0])
    link = f'href="/detentions/{d.pk}/welfare-check/?from=board"'
    assert link in _text(web.as_user(sergeant).get("/detentions/"))
    assert link not in _text(web.as_user(officer).get("/detentions/"))  # not theirs to record
    client = web.as_user(sergeant)
    form = _text(client.get(f"/detentions/{d.pk}/welfare-check/?from=board"))
    assert 'class="govuk-back-link">Back to active detentions' in form
    response = client.post(
        f"/detentions/{d.pk}/welfare-check/?from=board",
        {
            **local("checked_at", timezone.now()),
            "professional_name": "Custody nurse Alan Price",
            "risk_requires_waking": "yes",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/detentions/"
    assert d.welfare_checks.count() == 1


def test_answers_hidden_by_a_changed_reveal_are_dropped(web, officer, force, places):
    suite = places[1]
    client = web.as_user(officer)
    draft = _begin(client)
    _walk(client, draft, mode="kept", place=suite)
    # The browser sends the hidden conditional fields too: they are not kept.
    _post(
        client,
        draft,
        "consultation",
        {**CONSULTED, "consulted": "no", "consultation_not_practicable_reason": "No signal"},
        change=True,
    )
    _post(
        client,
        draft,
        "conveyance",
        {"conveyance_mode": "ambulance", "conveyance_reason": "risk_of_violence", "mode": "kept"},
        change=True,
    )
    page = _text(client.get(f"/detentions/start/{draft}/check/"))
    assert "No signal" in page
    assert "Nurse Triage" not in page and "Why a police vehicle?" not in page
    # At a place that is not a police station, the police station decision is not asked.
    assert "Decision-maker" not in page
    client.post(f"/detentions/start/{draft}/check/")
    d = Detention.objects.get()
    assert d.consultation_name == "" and d.conveyance_reason == ""
    assert d.consultation_not_practicable_reason == "No signal"


def test_detained_meanwhile_goes_back_to_the_person_page(web, officer, force, places):
    person = make_person(force, "Alex", "Smith")
    client = web.as_user(officer)
    draft = _begin(client)
    client.get(_url(draft, "person") + "?q=smith")
    _walk(client, draft, person=str(person.pk))
    running = start(officer, person)  # another officer started one while this one was typed
    response = client.post(f"/detentions/start/{draft}/check/")
    assert response["Location"] == _url(draft, "person", True)
    page = _text(client.get(response["Location"]))
    assert 'id="id_person-error"' in page and running.reference in page
    assert Detention.objects.count() == 1
