"""The detention pages: each form's happy path and refusal (the rule's message shown beside the
field, the input kept), permissions (wrong role 403, outsider 404, signed out -> sign in), UK
local times at the clock changes, and the board's fixed number of queries."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from core.actor import acting_as, user_actor
from core.form_fields import LocalDateTimeField
from detentions import services
from detentions.models import Detention
from incidents.models import Incident
from people.models import Person

from .helpers import at_station, at_suite, local, make_person, make_places, start, wall

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(force, health_trust, acute_trust):
    return make_places(force, health_trust, acute_trust)


@pytest.fixture
def station(places):
    return places[0]


@pytest.fixture
def suite(places):
    return places[1]


@pytest.fixture
def person(force):
    return make_person(force)


@pytest.fixture
def doctor(make_user, health_trust):
    return make_user("doctor", health_trust, Role.DOCTOR)


@pytest.fixture
def partner_user(make_user, partner_org):
    return make_user("partner", partner_org, Role.PARTNER_USER)


def _text(response):
    return response.content.decode()


def _start_data(**overrides):
    now = timezone.now()
    data = {
        "person": "new",
        "given_name": "Jamie",
        "family_name": "Doe",
        "date_of_birth-day": "3",
        "date_of_birth-month": "4",
        "date_of_birth-year": "1985",
        "gender": "not_known",
        "ethnicity": "NS",
        "power": "s136",
        **local("detained_at", now - timedelta(minutes=10)),
        "location_kind": "public_place",
        "location_description": "Castleford railway station",
        "consulted": "yes",
        "consultation_profession": "nurse",
        "consultation_name": "Nurse Triage",
        **local("consulted_at", now - timedelta(minutes=15)),
        "consultation_advice": "Detain and convey",
        "conveyance_mode": "ambulance",
        "mode": "removed",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --------------------------------------------------------------------------- access
class TestAccess:
    def test_signed_out_is_sent_to_sign_in(self, client, officer, station, person):
        d = at_station(officer, person, station)
        for url in (
            "/detentions/",
            "/detentions/start/all/",
            f"/detentions/{d.pk}/",
            f"/detentions/{d.pk}/welfare-check/",
            "/detentions/board/rows/",
        ):
            response = client.get(url)
            assert response.status_code == 302 and "/sign-in/" in response["Location"], url

    def test_wrong_role_is_403(self, web, officer, partner_user, station, person):
        d = at_station(officer, person, station)
        client = web.as_user(partner_user)
        assert client.get("/detentions/").status_code == 403
        assert client.get(f"/detentions/{d.pk}/").status_code == 403
        # A response officer may not record custody care, nor correct records.
        client = web.as_user(officer)
        assert client.get(f"/detentions/{d.pk}/welfare-check/").status_code == 403
        assert client.post(f"/detentions/{d.pk}/review/", {}).status_code == 403
        assert client.get(f"/detentions/{d.pk}/correct/").status_code == 403

    def test_outsider_gets_404_and_sees_nothing_on_the_board(
        self, web, officer, outsider_officer, station, person
    ):
        d = at_station(officer, person, station)
        client = web.as_user(outsider_officer)
        assert client.get(f"/detentions/{d.pk}/").status_code == 404
        assert client.get(f"/detentions/{d.pk}/arrival/").status_code == 404
        assert client.post(f"/detentions/{d.pk}/end/", {}).status_code == 404
        board = client.get("/detentions/")
        assert board.status_code == 200 and d.reference not in _text(board)

    def test_partner_operating_the_place_sees_it_only_after_arrival(
        self, web, officer, nurse, suite, person
    ):
        d = start(officer, person)
        assert web.as_user(nurse).get(f"/detentions/{d.pk}/").status_code == 404
        with acting_as(user_actor(officer)):
            services.record_arrival(
                d, place_of_safety=suite, arrived_at=timezone.now() - timedelta(minutes=5)
            )
        assert web.as_user(nurse).get(f"/detentions/{d.pk}/").status_code == 200
        assert d.reference in _text(web.get("/detentions/"))

    def test_health_staff_cannot_start_a_police_power(self, web, nurse):
        assert web.as_user(nurse).get("/detentions/start/all/").status_code == 403

    def test_menu_links(self, web, officer, nurse):
        home = _text(web.as_user(officer).get("/"))
        assert "Active detentions" in home and "Start a detention" in home
        home = _text(web.as_user(nurse).get("/"))
        assert "Active detentions" in home and "Start a detention" not in home


# --------------------------------------------------------------------------- start
class TestStart:
    def test_start_from_the_street(self, web, officer, force):
        response = web.as_user(officer).post("/detentions/start/all/", _start_data())
        assert response.status_code == 302, _text(response)
        d = Detention.objects.get()
        assert response["Location"] == f"/detentions/{d.pk}/"
        assert d.person.organisation == force and d.person.family_name == "Doe"
        assert d.status == "in_transit" and d.recorded_by == "officer"
        assert d.consultation_name == "Nurse Triage"
        page = _text(web.get(response["Location"]))
        assert "Detained under" in page and "since detention" in page

    def test_get_shows_the_form_with_now_filled_in(self, web, officer):
        page = _text(web.as_user(officer).get("/detentions/start/all/"))
        assert 'name="detained_at-day"' in page
        assert str(timezone.localtime().year) in page

    def test_private_dwelling_is_refused_with_the_rule_message_and_input_kept(self, web, officer):
        response = web.as_user(officer).post(
            "/detentions/start/all/", _start_data(location_kind="private_dwelling")
        )
        page = _text(response)
        assert response.status_code == 200
        assert "govuk-error-summary" in page
        assert "Section 136 cannot be used in a house" in page
        assert 'href="#id_location_kind"' in page
        assert 'value="Jamie"' in page
        assert not Detention.objects.exists() and not Person.objects.exists()

    def test_consultation_required(self, web, officer):
        page = _text(
            web.as_user(officer).post(
                "/detentions/start/all/",
                _start_data(consulted="", consultation_profession="", consultation_name=""),
            )
        )
        assert "you must consult" in page and 'href="#id_consulted"' in page

    def test_police_vehicle_needs_a_reason(self, web, officer):
        page = _text(
            web.as_user(officer).post(
                "/detentions/start/all/", _start_data(conveyance_mode="police_vehicle")
            )
        )
        assert "conveyed in a police vehicle" in page and 'href="#id_conveyance_reason"' in page

    def test_child_kept_at_a_police_station_lists_places_for_under_18s(
        self, web, officer, station, places
    ):
        data = _start_data(
            mode="kept",
            place_of_safety=str(station.pk),
            conveyance_mode="none",
            **{"date_of_birth-year": str(timezone.localdate().year - 15)},
            conditions=["imminent_risk", "no_other_place", "hcp_available"],
            decision_maker_rank="inspector",
        )
        page = _text(web.as_user(officer).post("/detentions/start/all/", data))
        assert "A person under 18 must never be taken to" in page
        assert "Places of safety that accept under-18s" in page
        assert "Castleford General ED" in page
        assert not Detention.objects.exists()

    def test_existing_person_by_search_and_second_detention_refused(
        self, web, officer, force, person
    ):
        client = web.as_user(officer)
        page = _text(client.get("/detentions/start/all/?q=smith"))
        assert "Alex Smith" in page
        data = _start_data(person=str(person.pk), given_name="", family_name="")
        assert client.post("/detentions/start/all/?q=smith", data).status_code == 302
        page = _text(client.post("/detentions/start/all/?q=smith", data))
        assert "already has a detention that has not ended" in page
        assert Detention.objects.count() == 1

    def test_another_forces_person_cannot_be_chosen(self, web, officer, other_force):
        stranger = make_person(other_force, "Other", "Person")
        page = _text(
            web.as_user(officer).post(
                "/detentions/start/all/", _start_data(person=str(stranger.pk))
            )
        )
        assert "Choose the person again" in page and not Detention.objects.exists()

    def test_from_an_incident_carries_its_person(self, web, officer, force, person):
        incident = Incident.objects.create(
            organisation=force,
            reference="INC-1",
            occurred_at=timezone.now(),
            category="section_136",
            location_description="Market Square",
        )
        incident.people.add(person)
        client = web.as_user(officer)
        page = _text(client.get(f"/detentions/start/all/?incident={incident.pk}"))
        assert "Alex Smith" in page and "Market Square" in page
        data = _start_data(person=str(person.pk))
        response = client.post(f"/detentions/start/all/?incident={incident.pk}", data)
        assert response.status_code == 302
        assert Detention.objects.get().incident == incident

    def test_s135_needs_the_warrant_time(self, web, officer):
        page = _text(
            web.as_user(officer).post(
                "/detentions/start/all/",
                _start_data(power="s135_1", location_kind="private_dwelling"),
            )
        )
        assert "Enter when the warrant was issued" in page


# --------------------------------------------------------------------------- arrival, transfer
class TestArrivalAndTransfer:
    def test_arrival_at_a_police_station_with_an_inspector(self, web, officer, station, person):
        d = start(officer, person)
        now = timezone.now()
        data = {
            "place_of_safety": str(station.pk),
            **local("arrived_at", now - timedelta(minutes=5)),
            "conditions": ["imminent_risk", "no_other_place", "hcp_available"],
            "decision_maker_name": "PC Okafor",
            "decision_maker_rank": "constable",
            "consulted_professional": "Nurse Triage",
            "inspector_name": "Insp Hughes",
            "inspector_rank": "inspector",
            **local("authorised_at", now - timedelta(minutes=6)),
        }
        client = web.as_user(officer)
        assert "Using a police station" in _text(client.get(f"/detentions/{d.pk}/arrival/"))
        response = client.post(f"/detentions/{d.pk}/arrival/", data)
        assert response.status_code == 302, _text(response)
        d.refresh_from_db()
        assert d.at_police_station and d.expires_at is not None
        assert d.arrival.police_station_decision.inspector_name == "Insp Hughes"

    def test_constable_without_an_inspector_is_refused_beside_the_inspector_field(
        self, web, officer, station, person
    ):
        d = start(officer, person)
        data = {
            "place_of_safety": str(station.pk),
            **local("arrived_at", timezone.now() - timedelta(minutes=5)),
            "conditions": ["imminent_risk", "no_other_place", "hcp_available"],
            "decision_maker_rank": "constable",
            "consulted_professional": "Nurse Triage",
        }
        page = _text(web.as_user(officer).post(f"/detentions/{d.pk}/arrival/", data))
        assert "an officer of inspector rank or above" in page
        assert 'href="#id_inspector_name"' in page
        d.refresh_from_db()
        assert d.status == "in_transit"

    def test_child_at_a_station_is_refused_with_places_for_under_18s(
        self, web, officer, station, force
    ):
        child = make_person(
            force, "Kid", "Young", dob=str(timezone.localdate().year - 14) + "-01-01"
        )
        d = start(officer, child)
        data = {
            "place_of_safety": str(station.pk),
            **local("arrived_at", timezone.now() - timedelta(minutes=5)),
            "conditions": ["imminent_risk", "no_other_place", "hcp_available"],
            "decision_maker_rank": "inspector",
        }
        page = _text(web.as_user(officer).post(f"/detentions/{d.pk}/arrival/", data))
        assert "A person under 18 must never" in page and "Castleford General ED" in page

    def test_arrival_before_detention_is_refused(self, web, officer, suite, person):
        d = start(officer, person)
        data = {
            "place_of_safety": str(suite.pk),
            **local("arrived_at", d.detained_at - timedelta(hours=1)),
        }
        page = _text(web.as_user(officer).post(f"/detentions/{d.pk}/arrival/", data))
        assert "is before the detention" in page and 'href="#id_arrived_at"' in page

    def test_transfer_and_arrival_after_it(self, web, officer, station, suite, person):
        d = at_station(officer, person, station)
        client = web.as_user(officer)
        now = timezone.now()
        response = client.post(
            f"/detentions/{d.pk}/transfer/",
            {
                "to_place_of_safety": str(suite.pk),
                **local("departed_at", now - timedelta(minutes=3)),
                "reason": "Bed available at the suite",
                "authorised_by": "Sgt Nair",
            },
        )
        assert response.status_code == 302, _text(response)
        d.refresh_from_db()
        assert d.status == "in_transit" and d.in_transfer_to == suite
        assert "Record arrival after transfer" in _text(client.get(f"/detentions/{d.pk}/"))
        response = client.post(
            f"/detentions/{d.pk}/transfer/arrival/", local("arrived_at", now - timedelta(minutes=1))
        )
        assert response.status_code == 302, _text(response)
        d.refresh_from_db()
        assert d.current_place_of_safety == suite and not d.at_police_station
        page = _text(client.get(f"/detentions/{d.pk}/"))
        assert "Transfer arrived at Northbridge s136 Suite" in page

    def test_transfer_departing_before_arrival_is_refused(
        self, web, officer, station, suite, person
    ):
        d = at_station(officer, person, station)
        page = _text(
            web.as_user(officer).post(
                f"/detentions/{d.pk}/transfer/",
                {
                    "to_place_of_safety": str(suite.pk),
                    **local("departed_at", d.detained_at - timedelta(minutes=1)),
                    "reason": "x",
                },
            )
        )
        assert "govuk-error-summary" in page and 'href="#id_departed_at"' in page


# --------------------------------------------------------------------------- police station care
class TestCustodyCare:
    def test_welfare_check(self, web, officer, sergeant, station, person):
        d = at_station(officer, person, station)
        client = web.as_user(sergeant)
        response = client.post(
            f"/detentions/{d.pk}/welfare-check/",
            {
                **local("checked_at", timezone.now() - timedelta(minutes=1)),
                "professional_name": "Nurse Kate",
                "profession": "nurse",
                "risk_requires_waking": "yes",
            },
        )
        assert response.status_code == 302, _text(response)
        page = _text(client.get(f"/detentions/{d.pk}/"))
        assert "Welfare check by Nurse Kate" in page and "recorded by Sergeant" in page

    def test_welfare_check_before_arrival_is_refused(self, web, officer, sergeant, station, person):
        d = at_station(officer, person, station)
        page = _text(
            web.as_user(sergeant).post(
                f"/detentions/{d.pk}/welfare-check/",
                {
                    **local("checked_at", d.detained_at - timedelta(minutes=1)),
                    "professional_name": "Nurse Kate",
                    "risk_requires_waking": "yes",
                },
            )
        )
        assert 'href="#id_checked_at"' in page and "Nurse Kate" in page

    def test_review_conditions_not_met_raises_transfer_required_then_exception(
        self, web, officer, sergeant, station, person
    ):
        d = at_station(officer, person, station)
        client = web.as_user(sergeant)
        response = client.post(
            f"/detentions/{d.pk}/review/",
            {
                **local("reviewed_at", timezone.now() - timedelta(minutes=1)),
                "conditions_met": "no",
                "hcp_available": "yes",
                "asleep": "no",
                "reviewer_name": "Sgt Nair",
            },
        )
        assert response.status_code == 302, _text(response)
        page = _text(client.get(f"/detentions/{d.pk}/"))
        assert "Transfer required" in page
        refused = _text(
            client.post(
                f"/detentions/{d.pk}/transfer-exception/",
                {**local("recorded_for", timezone.now()), "reason": ""},
            )
        )
        assert "govuk-error-summary" in refused
        response = client.post(
            f"/detentions/{d.pk}/transfer-exception/",
            {
                **local("recorded_for", timezone.now()),
                "reason": "Assessment begins within the hour here; moving would distress them",
            },
        )
        assert response.status_code == 302, _text(response)
        d.refresh_from_db()
        assert not d.transfer_required

    def test_overdue_checks_stand_out(self, web, officer, sergeant, station, person):
        now = timezone.now()
        d = at_station(officer, person, station, arrived_at=now - timedelta(minutes=50), now=now)
        page = _text(web.as_user(sergeant).get(f"/detentions/{d.pk}/"))
        assert "Overdue" in page and "govuk-tag--red" in page
        board = _text(web.get("/detentions/"))
        assert "Welfare check overdue" in board and "app-row--overdue" in board


# --------------------------------------------------------------------------- extension
class TestExtension:
    def _data(self, **kw):
        return {
            **local("authorised_at", timezone.now() - timedelta(minutes=1)),
            "doctor_name": "Dr Farouk",
            "doctor_gmc_number": "7654321",
            "hours": "6",
            "ground": "intoxication",
            "ground_detail": "Too intoxicated to assess",
            **kw,
        }

    def test_doctor_extends_at_a_health_based_place(self, web, officer, doctor, suite, person):
        d = at_suite(officer, person, suite)
        before = d.expires_at
        response = web.as_user(doctor).post(f"/detentions/{d.pk}/extension/", self._data())
        assert response.status_code == 302, _text(response)
        d.refresh_from_db()
        assert d.expires_at == before + timedelta(hours=6)

    def test_more_than_12_hours_is_refused_with_the_rule_message(
        self, web, officer, doctor, suite, person
    ):
        d = at_suite(officer, person, suite)
        page = _text(
            web.as_user(doctor).post(f"/detentions/{d.pk}/extension/", self._data(hours="13"))
        )
        assert 'href="#id_hours"' in page and "12 hours" in page

    def test_at_a_police_station_a_superintendent_must_approve(
        self, web, officer, superintendent, station, person
    ):
        d = at_station(officer, person, station)
        client = web.as_user(superintendent)
        page = _text(
            client.post(f"/detentions/{d.pk}/extension/", self._data(superintendent_name=""))
        )
        assert "superintendent" in page.lower() and "govuk-error-summary" in page
        response = client.post(
            f"/detentions/{d.pk}/extension/",
            self._data(
                superintendent_name="Supt Morgan",
                superintendent_rank="superintendent",
                **local("superintendent_approved_at", timezone.now() - timedelta(minutes=2)),
            ),
        )
        assert response.status_code == 302, _text(response)

    def test_officer_cannot_record_an_extension(self, web, officer, suite, person):
        d = at_suite(officer, person, suite)
        assert web.as_user(officer).get(f"/detentions/{d.pk}/extension/").status_code == 403


# --------------------------------------------------------------------------- handover, escape, end
class TestHandoverEscapeEnd:
    def test_handover_then_second_is_refused(self, web, officer, nurse, suite, person):
        d = at_suite(officer, person, suite)
        client = web.as_user(nurse)
        data = {**local("handed_over_at", timezone.now()), "received_by": "Kate Jones RMN"}
        assert client.post(f"/detentions/{d.pk}/handover/", data).status_code == 302
        page = _text(client.post(f"/detentions/{d.pk}/handover/", data))
        assert "already recorded" in page

    def test_escape_shows_the_retaking_deadline_then_return(self, web, officer, suite, person):
        d = at_suite(officer, person, suite)
        client = web.as_user(officer)
        now = timezone.now()
        response = client.post(
            f"/detentions/{d.pk}/escape/", local("escaped_at", now - timedelta(minutes=2))
        )
        assert response.status_code == 302, _text(response)
        page = _text(client.get(f"/detentions/{d.pk}/"))
        assert "retake by" in page.lower() and "Record their return" in page
        response = client.post(f"/detentions/{d.pk}/return/", local("returned_at", now))
        assert response.status_code == 302, _text(response)
        d.refresh_from_db()
        assert d.status == "at_place_of_safety"

    def test_end_with_no_mental_disorder_then_nothing_more(
        self, web, officer, sergeant, station, person
    ):
        d = at_station(officer, person, station)
        client = web.as_user(officer)
        page = _text(client.get(f"/detentions/{d.pk}/end/"))
        assert page.index("No mental disorder found") < page.index("Admitted informally")
        response = client.post(
            f"/detentions/{d.pk}/end/",
            {**local("ended_at", timezone.now()), "outcome": "no_mental_disorder"},
        )
        assert response.status_code == 302, _text(response)
        d.refresh_from_db()
        assert d.outcome == "no_mental_disorder" and d.ended_at is not None
        page = _text(web.as_user(sergeant).get(f"/detentions/{d.pk}/"))
        ended = page[page.index("Ended: No mental disorder") :]
        assert "recorded by Officer" in ended[:400]
        client = web.as_user(officer)
        page = _text(
            web.as_user(sergeant).post(
                f"/detentions/{d.pk}/welfare-check/",
                {
                    **local("checked_at", timezone.now()),
                    "professional_name": "Nurse Kate",
                    "risk_requires_waking": "yes",
                },
            )
        )
        assert "nothing more can be added" in page
        assert "Recently" in _text(client.get("/detentions/")) or d.reference in _text(
            client.get("/detentions/")
        )

    def test_end_before_detention_is_refused(self, web, officer, suite, person):
        d = at_suite(officer, person, suite)
        page = _text(
            web.as_user(officer).post(
                f"/detentions/{d.pk}/end/",
                {**local("ended_at", d.detained_at - timedelta(hours=1)), "outcome": "other"},
            )
        )
        assert 'href="#id_ended_at"' in page


# --------------------------------------------------------------------------- corrections
class TestCorrection:
    def test_correct_a_welfare_check_time_with_a_reason(
        self, web, officer, sergeant, inspector, station, person
    ):
        d = at_station(officer, person, station)
        with acting_as(user_actor(sergeant)):
            check = services.record_welfare_check(
                d, checked_at=timezone.now() - timedelta(minutes=2), professional_name="Nurse K"
            )
        client = web.as_user(inspector)
        choose = _text(client.get(f"/detentions/{d.pk}/correct/"))
        assert f"welfarecheck:{check.pk}" in choose
        key = f"welfarecheck:{check.pk}"
        new_time = timezone.now() - timedelta(minutes=4)
        base = {"target": key, "kind": "wrong_time", **local("checked_at", new_time)}
        base["professional_name"] = "Nurse K"
        refused = _text(client.post(f"/detentions/{d.pk}/correct/", {**base, "reason": ""}))
        assert "Give the reason for the correction" in refused
        response = client.post(
            f"/detentions/{d.pk}/correct/", {**base, "reason": "Typed the wrong minute"}
        )
        assert response.status_code == 302, _text(response)
        check.refresh_from_db()
        assert check.checked_at == new_time.replace(second=0, microsecond=0)
        assert "Typed the wrong minute" in _text(client.get(f"/detentions/{d.pk}/"))


# --------------------------------------------------------------------------- UK time at the changes
class TestClockChanges:
    def test_ambiguous_time_asks_which_and_nonexistent_is_refused(self):
        field = LocalDateTimeField()
        with pytest.raises(Exception) as exc:
            field.clean({"day": "25", "month": "10", "year": "2026", "time": "01:30", "fold": ""})
        assert "happened twice" in str(exc.value)
        first = field.clean(
            {"day": "25", "month": "10", "year": "2026", "time": "01:30", "fold": "0"}
        )
        second = field.clean(
            {"day": "25", "month": "10", "year": "2026", "time": "01:30", "fold": "1"}
        )
        assert first == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
        assert second == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
        with pytest.raises(Exception) as exc:
            field.clean({"day": "29", "month": "3", "year": "2026", "time": "01:30", "fold": ""})
        assert "did not happen" in str(exc.value)
        summer = field.clean(
            {"day": "1", "month": "7", "year": "2026", "time": "14:30", "fold": ""}
        )
        assert summer == datetime(2026, 7, 1, 13, 30, tzinfo=UTC)

    def test_welfare_check_at_01_30_on_the_october_change(
        self, web, officer, sergeant, station, person
    ):
        with time_machine.travel(datetime(2026, 10, 25, 1, 45, tzinfo=UTC), tick=False):
            now = timezone.now()
            d = at_station(
                officer,
                person,
                station,
                arrived_at=datetime(2026, 10, 24, 23, 50, tzinfo=UTC),
                now=now,
            )
            client = web.as_user(sergeant)
            data = {
                **wall("checked_at", 25, 10, 2026, "01:30"),
                "professional_name": "Nurse Kate",
                "risk_requires_waking": "yes",
            }
            page = _text(client.post(f"/detentions/{d.pk}/welfare-check/", data))
            assert "happened twice" in page and 'name="checked_at-fold"' in page
            response = client.post(
                f"/detentions/{d.pk}/welfare-check/", {**data, "checked_at-fold": "1"}
            )
            assert response.status_code == 302, _text(response)
            assert d.welfare_checks.get().checked_at == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)

    def test_nonexistent_time_on_the_march_change_is_refused(
        self, web, officer, sergeant, station, person
    ):
        with time_machine.travel(datetime(2026, 3, 29, 3, 0, tzinfo=UTC), tick=False):
            d = at_station(
                officer, person, station, arrived_at=datetime(2026, 3, 29, 0, 10, tzinfo=UTC)
            )
            page = _text(
                web.as_user(sergeant).post(
                    f"/detentions/{d.pk}/welfare-check/",
                    {
                        **wall("checked_at", 29, 3, 2026, "01:30"),
                        "professional_name": "Nurse Kate",
                        "risk_requires_waking": "yes",
                    },
                )
            )
            assert "did not happen in the UK" in page
            assert not d.welfare_checks.exists()


# --------------------------------------------------------------------------- the board
class TestBoard:
    def test_sorted_by_time_left_with_breach_standing_out(
        self, web, officer, force, station, suite
    ):
        now = timezone.now()
        old = datetime.now(UTC) - timedelta(hours=30)
        with time_machine.travel(old, tick=False):
            late = at_suite(officer, make_person(force, "Late", "One"), suite, now=old)
        soon = at_suite(
            officer, make_person(force, "Soon", "Two"), suite, arrived_at=now - timedelta(hours=20)
        )
        fresh = at_station(officer, make_person(force, "Fresh", "Three"), station)
        transit = start(officer, make_person(force, "Moving", "Four"))
        page = _text(web.as_user(officer).get("/detentions/"))
        order = [page.index(r.reference) for r in (late, soon, fresh, transit)]
        assert order == sorted(order)
        assert "app-row--breach" in page and "Past the time limit" in page
        assert "since detention" in page
        fragment = web.get("/detentions/board/rows/")
        assert fragment.status_code == 200 and b"<html" not in fragment.content
        assert late.reference.encode() in fragment.content

    def test_filters(self, web, officer, force, station, suite):
        a = at_station(officer, make_person(force, "At", "Station"), station)
        b = at_suite(officer, make_person(force, "At", "Suite"), suite)
        client = web.as_user(officer)
        page = _text(client.get("/detentions/?stations=1"))
        assert a.reference in page and b.reference not in page.split("Ended in the last")[0]
        page = _text(client.get(f"/detentions/?place={suite.pk}"))
        assert b.reference in page and a.reference not in page.split("Ended in the last")[0]

    def _queries(self, client, url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    def test_fixed_number_of_queries_whatever_the_rows(
        self, web, officer, force, station, suite, django_assert_num_queries
    ):
        client = web.as_user(officer)
        for i in range(2):
            at_suite(officer, make_person(force, f"P{i}", "Few"), suite)
        client.get("/detentions/")  # warm up: the first request of a session does its own work
        few = self._queries(client, "/detentions/")
        few_rows = self._queries(client, "/detentions/board/rows/")
        for i in range(23):
            d = at_suite(officer, make_person(force, f"Q{i}", "Many"), suite)
            if i % 3 == 0:
                with acting_as(user_actor(officer)):
                    services.end_detention(d, ended_at=timezone.now(), outcome="other")
        assert self._queries(client, "/detentions/") == few
        assert self._queries(client, "/detentions/board/rows/") == few_rows
        with django_assert_num_queries(few):
            client.get("/detentions/")


# --------------------------------------------------------------------------- demo detentions
def test_demo_detentions_are_lawful_and_idempotent():
    """(Its speed is not a timed test: a wall-clock limit fails on a busy machine and proves
    nothing; `make run` times the whole seed.)"""
    import io

    from accounts.services import ensure_organisation
    from demo import detentions as demo_detentions
    from demo.management.commands.seed_demo import ORGANISATIONS, PLACES
    from detentions.facts import evaluate
    from places_of_safety.models import PlaceOfSafety

    orgs = {}
    for slug, name, kind, npus in ORGANISATIONS:
        orgs[slug], _ = ensure_organisation(slug, name, kind, npus)
    for name, kind, org, capacity, under_18, address in PLACES:
        PlaceOfSafety.objects.create(
            name=name,
            kind=kind,
            organisation=orgs[org],
            capacity=capacity,
            accepts_under_18=under_18,
            address=address,
        )
    out = io.StringIO()
    demo_detentions.seed(out)
    force = orgs["midshire-police"]
    detentions = list(Detention.objects.filter(organisation=force))
    active = [d for d in detentions if d.ended_at is None]
    assert len(detentions) > 30 and len(active) == 4
    assert {d.status for d in active} == {"in_transit", "at_place_of_safety"}
    assert any(d.at_police_station and d.welfare_checks.exists() for d in active)
    now = timezone.now()
    for d in detentions:
        ev = evaluate(d, now)
        assert not ev.breach, d.reference
        assert not [v for v in ev.violations if v.code], (d.reference, ev.violations)
        assert d.person.organisation == force
    assert all(d.recorded_by == "command:seed_demo" for d in detentions)
    count = Detention.objects.count()
    demo_detentions.seed(out)
    assert Detention.objects.count() == count


# --------------------------------------------------------------------------- the detention page
class TestDetentionPage:
    def test_clocks_rule_set_and_timeline_newest_first(
        self, web, officer, sergeant, station, person
    ):
        d = at_station(officer, person, station)
        with acting_as(user_actor(sergeant)):
            services.record_welfare_check(
                d, checked_at=timezone.now() - timedelta(minutes=1), professional_name="Nurse K"
            )
        d.refresh_from_db()
        page = _text(web.as_user(sergeant).get(f"/detentions/{d.pk}/"))
        expires = d.expires_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert f'data-target="{expires}"' in page and "data-server-now=" in page
        assert 'aria-live="polite"' in page
        # The rule set by its name, not its code (issue 19).
        assert "Policing and Crime Act 2017" in page and "(pca2017)" not in page
        assert "left" in page  # the text without JavaScript
        timeline = page[page.index("Timeline") :]
        assert timeline.index("Welfare check by Nurse K") < timeline.index("Arrived at the first")
        assert timeline.index("Arrived at the first") < timeline.index("Detained under")
        assert "Next welfare check" in page and "Next review" in page
        assert "Record a welfare check" in page and "Correct a record" not in page

    def test_links_follow_permissions(self, web, officer, inspector, station, person):
        d = at_station(officer, person, station)
        page = _text(web.as_user(officer).get(f"/detentions/{d.pk}/"))
        assert "Record a welfare check" not in page and "End the detention" in page
        page = _text(web.as_user(inspector).get(f"/detentions/{d.pk}/"))
        assert "Correct a record" in page and "Record a review" in page

    def test_transfer_to_a_station_needs_the_conditions(self, web, officer, station, suite, person):
        d = at_suite(officer, person, suite)
        page = _text(
            web.as_user(officer).post(
                f"/detentions/{d.pk}/transfer/",
                {
                    "to_place_of_safety": str(station.pk),
                    **local("departed_at", timezone.now()),
                    "reason": "Violent; suite cannot hold them",
                    "decision_maker_rank": "inspector",
                },
            )
        )
        assert "all three conditions" in page and 'href="#id_conditions"' in page


class TestCorrectingAnEndedDetention:
    def test_only_the_correction_path_changes_it(self, web, officer, inspector, suite, person):
        d = at_suite(officer, person, suite)
        with acting_as(user_actor(officer)):
            services.end_detention(d, ended_at=timezone.now(), outcome="other")
        client = web.as_user(inspector)
        page = _text(client.get(f"/detentions/{d.pk}/end/"))
        assert "nothing more can be added" in page
        form = _text(client.get(f"/detentions/{d.pk}/correct/?target=detention:{d.pk}"))
        assert 'name="ended_at-day"' in form and 'name="outcome"' in form
        d.refresh_from_db()
        response = client.post(
            f"/detentions/{d.pk}/correct/",
            {
                "target": f"detention:{d.pk}",
                "kind": "other",
                "reason": "The outcome was recorded wrongly",
                **local("detained_at", d.detained_at),
                "location_kind": d.location_kind,
                "location_description": d.location_description,
                "conveyance_mode": d.conveyance_mode,
                **local("ended_at", d.ended_at),
                "outcome": "detained_s2",
            },
        )
        assert response.status_code == 302, _text(response)
        d.refresh_from_db()
        assert d.outcome == "detained_s2"
        assert d.corrections.get().changes == {"outcome": ["other", "detained_s2"]}


class TestStartMoreRoutes:
    def test_kept_at_a_police_station_by_an_inspector(self, web, inspector, station):
        data = _start_data(
            mode="kept",
            place_of_safety=str(station.pk),
            conveyance_mode="none",
            conditions=["imminent_risk", "no_other_place", "hcp_available"],
            decision_maker_name="Insp Hughes",
            decision_maker_rank="inspector",
        )
        response = web.as_user(inspector).post("/detentions/start/all/", data)
        assert response.status_code == 302, _text(response)
        d = Detention.objects.get()
        assert d.mode == "kept" and d.at_police_station and d.clock_started_at == d.detained_at

    def test_s135_warrant(self, web, officer):
        now = timezone.now()
        data = _start_data(
            power="s135_1",
            location_kind="private_dwelling",
            consulted="",
            **local("warrant_issued_at", now - timedelta(hours=3)),
            **local("premises_entered_at", now - timedelta(minutes=30)),
        )
        response = web.as_user(officer).post("/detentions/start/all/", data)
        assert response.status_code == 302, _text(response)
        d = Detention.objects.get()
        assert d.reference.startswith("S135-") and d.warrant_issued_at is not None

    def test_another_forces_incident_is_404(self, web, officer, other_force):
        incident = Incident.objects.create(
            organisation=other_force,
            reference="W-1",
            occurred_at=timezone.now(),
            category="section_136",
        )
        assert (
            web.as_user(officer).get(f"/detentions/start/all/?incident={incident.pk}").status_code
            == 404
        )


def test_detention_page_queries_do_not_grow_with_events(web, officer, sergeant, station, person):
    now = timezone.now()
    d = at_station(officer, person, station, arrived_at=now - timedelta(hours=3), now=now)
    client = web.as_user(sergeant)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/detentions/{d.pk}/").status_code == 200
        return len(ctx.captured_queries)

    def checks(start, n):
        with acting_as(user_actor(sergeant)):
            for i in range(n):
                services.record_welfare_check(
                    d,
                    checked_at=start + timedelta(minutes=10 * i),
                    professional_name=f"Nurse {i}",
                )
                services.record_review(
                    d,
                    reviewed_at=start + timedelta(minutes=10 * i + 1),
                    conditions_met=True,
                    reviewer_name="Sgt",
                )

    checks(now - timedelta(hours=2, minutes=50), 1)
    count()  # warm up: the first request of a session does its own work
    few = count()
    checks(now - timedelta(hours=2, minutes=30), 10)
    assert count() == few


def test_search_never_offers_a_merged_record(web, officer, force, person):
    merged = make_person(force, "Alex", "Smith")
    merged.merged_into = person
    merged.save()
    page = _text(web.as_user(officer).get("/detentions/start/all/?q=alex smith"))
    assert f'value="{person.pk}"' in page and f'value="{merged.pk}"' not in page
