"""The detentions partner API: create, read, list, visibility, every event endpoint and the
rules through the endpoints (s136-rules.md)."""

from datetime import timedelta

import pytest
import time_machine

from detentions.models import Detention

from . import helpers as h
from .helpers import NOW, T0, iso

pytestmark = pytest.mark.django_db

at_now = time_machine.travel(NOW, tick=False)


def create_body(person, **over):
    body = {
        "person": person.pk,
        "power": "s136",
        "detained_at": iso(T0),
        "location_kind": "public_place",
        "mode": "removed",
        "consultation": {
            "consulted_at": iso(T0 - timedelta(minutes=5)),
            "profession": "nurse",
            "name": "Nurse Joy",
            "advice": "Take to the suite",
        },
        "conveyance_mode": "ambulance",
    }
    body.update(over)
    return body


@at_now
def test_create_returns_201_with_the_contract_fields(force, force_api):
    who = h.person(force)
    r = force_api.post("/api/v1/detentions/", create_body(who), format="json")
    assert r.status_code == 201, r.content
    body = r.json()
    for field in [
        "id",
        "reference",
        "rule_set",
        "status",
        "clock_started_at",
        "expires_at",
        "extended_until",
        "breach",
        "current_place_of_safety",
        "next_welfare_check_due_at",
        "next_review_due_at",
        "retake_by",
        "outcome",
        "ended_at",
        "person",
        "incident",
        "power",
        "detained_at",
        "location_kind",
        "mode",
        "consultation",
        "conveyance_mode",
        "conveyance_reason",
        "warrant_issued_at",
        "premises_entered_at",
    ]:
        assert field in body, field
    assert body["status"] == "in_transit"
    assert body["rule_set"] == "pca2017"
    assert body["detained_at"] == "2026-03-28T20:30:00Z"
    assert body["consultation"]["name"] == "Nurse Joy"
    assert body["breach"] is False
    assert body["person_detail"]["family_name"] == "Jones"
    d = Detention.objects.get(pk=body["id"])
    assert d.history.get().changed_by == "force-cad"


def test_an_instant_without_an_offset_is_refused_everywhere(force, force_api, station):
    who = h.person(force)
    r = force_api.post(
        "/api/v1/detentions/", create_body(who, detained_at="2026-03-28T20:30:00"), format="json"
    )
    assert r.status_code == 400
    assert h.errors(r) == [("timezone_required", "detained_at")]
    body = create_body(who)
    body["consultation"]["consulted_at"] = "2026-03-28T20:00:00"
    r = force_api.post("/api/v1/detentions/", body, format="json")
    assert h.errors(r) == [("timezone_required", "consultation.consulted_at")]
    body = create_body(
        who,
        mode="kept",
        place_of_safety=station.pk,
        police_station_decision={**h.POLICE_STATION_DECISION, "authorised_at": "2026-03-28T20:40"},
    )
    r = force_api.post("/api/v1/detentions/", body, format="json")
    assert h.errors(r) == [("timezone_required", "police_station_decision.authorised_at")]
    assert Detention.objects.count() == 0


@at_now
def test_get_one_and_list_with_filters(force, force_api, suite):
    running = h.detention(force, arrive_at=(suite, T0 + timedelta(minutes=30)))
    other = h.detention(
        force, h.person(force, given_name="Alex"), detained_at=T0 + timedelta(hours=1)
    )
    ended = h.detention(
        force, h.person(force, given_name="Jo"), detained_at=T0 - timedelta(hours=3)
    )
    with h.acting_as(h.command_actor("tests")):
        h.services.end_detention(
            ended, ended_at=T0 - timedelta(hours=2), outcome="no_mental_disorder", now=NOW
        )

    r = force_api.get(h.url(running))
    assert r.status_code == 200
    assert r.json()["arrival"]["place_of_safety"] == suite.pk
    assert r.json()["current_place_of_safety"] == suite.pk

    r = force_api.get("/api/v1/detentions/")
    assert r.status_code == 200
    assert set(r.json()) >= {"count", "next", "previous", "results"}
    assert r.json()["count"] == 3

    r = force_api.get("/api/v1/detentions/?active=true")
    ids = [d["id"] for d in r.json()["results"]]
    assert ids == [running.pk, other.pk]  # soonest expiry first (in transit: no expiry, last)
    r = force_api.get("/api/v1/detentions/?status=ended")
    assert [d["id"] for d in r.json()["results"]] == [ended.pk]
    r = force_api.get(f"/api/v1/detentions/?person={other.person_id}")
    assert [d["id"] for d in r.json()["results"]] == [other.pk]
    r = force_api.get(f"/api/v1/detentions/?place_of_safety={suite.pk}")
    assert [d["id"] for d in r.json()["results"]] == [running.pk]
    r = force_api.get("/api/v1/detentions/?status=bogus")
    assert r.status_code == 400


# --- Rule sets ----------------------------------------------------------------------------------


def test_rs1_rule_set_by_when_the_power_was_first_used(force, force_api):
    before = "2017-12-10T23:59:00+00:00"
    r = force_api.post(
        "/api/v1/detentions/",
        create_body(h.person(force), detained_at=before, consultation=None),
        format="json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["rule_set"] == "mha1983-original"  # RS2: no consultation duty either
    r = force_api.post(
        "/api/v1/detentions/",
        create_body(
            h.person(force, given_name="Kim"),
            power="s135_1",
            location_kind="private_dwelling",
            consultation=None,
            warrant_issued_at="2017-12-10T10:00:00+00:00",
            detained_at="2017-12-11T09:00:00+00:00",
        ),
        format="json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["rule_set"] == "mha1983-original"  # keyed by the warrant


def test_rs2_original_rules_72_hours_and_no_extension(force, force_api, suite):
    arrival = "2017-06-01T11:00:00+00:00"
    r = force_api.post(
        "/api/v1/detentions/",
        create_body(h.person(force), detained_at="2017-06-01T10:00:00+00:00", consultation=None),
        format="json",
    )
    d = r.json()["id"]
    r = force_api.post(
        h.url(d, "arrival"), {"place_of_safety": suite.pk, "arrived_at": arrival}, format="json"
    )
    assert r.status_code == 201, r.content
    assert r.json()["expires_at"] == "2017-06-04T11:00:00Z"
    before = Detention.history.count()
    r = force_api.post(
        h.url(d, "extension"),
        {
            "authorised_at": "2017-06-01T20:00:00+00:00",
            "hours": 12,
            "doctor_name": "Dr Who",
            "doctor_gmc_number": "1234567",
            "ground": "intoxication",
        },
        format="json",
    )
    assert r.status_code == 400
    assert h.codes(r) == {"extension_not_permitted"}  # E6
    assert Detention.history.count() == before
    r = force_api.post(
        "/api/v1/detentions/",
        create_body(
            h.person(force, given_name="Lee"),
            detained_at="2017-06-01T10:00:00+00:00",
            location_kind="private_dwelling",
            consultation=None,
        ),
        format="json",
    )
    assert h.errors(r) == [("private_dwelling", "location_kind")]


# --- Creating: C1, C3, C4, P1-P3, PS1-PS3 when kept ---------------------------------------------


@at_now
def test_c1_kept_at_a_place_starts_the_clock_at_detained_at(force, force_api, ed):
    body = create_body(h.person(force), mode="kept", place_of_safety=ed.pk, conveyance_mode="none")
    body["location_kind"] = "health_setting"
    r = force_api.post("/api/v1/detentions/", body, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["status"] == "at_place_of_safety"
    assert r.json()["clock_started_at"] == "2026-03-28T20:30:00Z"
    assert r.json()["expires_at"] == "2026-03-29T20:30:00Z"  # C2: 24 elapsed hours across BST


@at_now
def test_c1_s135_kept_at_premises_starts_at_entry(force, force_api, suite):
    body = create_body(
        h.person(force),
        power="s135_1",
        location_kind="private_dwelling",
        consultation=None,
        mode="kept",
        place_of_safety=suite.pk,
        warrant_issued_at=iso(T0 - timedelta(hours=5)),
        premises_entered_at=iso(T0 + timedelta(minutes=20)),
        detained_at=iso(T0 + timedelta(minutes=20)),
        conveyance_mode="none",
    )
    r = force_api.post("/api/v1/detentions/", body, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["clock_started_at"] == "2026-03-28T20:50:00Z"


@at_now
def test_c1_kept_needs_a_place(force, force_api):
    r = force_api.post(
        "/api/v1/detentions/", create_body(h.person(force), mode="kept"), format="json"
    )
    assert r.status_code == 400
    assert ("required", "place_of_safety") in h.errors(r)


@at_now
def test_c3_a_second_running_detention_is_refused(force, force_api):
    d = h.detention(force)
    before = Detention.objects.count()
    r = force_api.post("/api/v1/detentions/", create_body(d.person), format="json")
    assert r.status_code == 400
    assert h.errors(r) == [("detention_active", None)]
    assert Detention.objects.count() == before


@at_now
def test_c4_times_in_order_and_not_in_the_future(force, force_api):
    who = h.person(force)
    body = create_body(who)
    body["consultation"]["consulted_at"] = iso(T0 + timedelta(minutes=1))
    r = force_api.post("/api/v1/detentions/", body, format="json")
    assert r.status_code == 400
    assert "time_order" in h.codes(r)
    r = force_api.post(
        "/api/v1/detentions/",
        create_body(who, detained_at=iso(NOW + timedelta(minutes=6))),
        format="json",
    )
    assert r.status_code == 400
    assert ("time_order", "detained_at") in h.errors(r)
    r = force_api.post(
        "/api/v1/detentions/",
        create_body(
            who,
            detained_at=iso(NOW + timedelta(minutes=4)),
            consultation={"consulted_at": iso(NOW), "profession": "nurse", "name": "N"},
        ),
        format="json",
    )
    assert r.status_code == 201, r.content  # within the 5-minute skew
    assert Detention.objects.count() == 1


@at_now
@pytest.mark.parametrize("kind", ["private_dwelling", "dwelling_garden_or_outbuilding"])
def test_p1_s136_not_in_a_dwelling(force, force_api, kind):
    r = force_api.post(
        "/api/v1/detentions/", create_body(h.person(force), location_kind=kind), format="json"
    )
    assert r.status_code == 400
    assert h.errors(r) == [("private_dwelling", "location_kind")]
    assert Detention.objects.count() == 0


@at_now
def test_p1_shared_communal_area_is_allowed(force, force_api):
    r = force_api.post(
        "/api/v1/detentions/",
        create_body(h.person(force), location_kind="shared_communal_area"),
        format="json",
    )
    assert r.status_code == 201


@at_now
def test_p2_consultation_or_reason_required(force, force_api):
    who = h.person(force)
    r = force_api.post("/api/v1/detentions/", create_body(who, consultation=None), format="json")
    assert r.status_code == 400
    assert h.errors(r) == [("consultation_required", "consultation")]
    bad = create_body(who)
    bad["consultation"]["profession"] = "police_officer"  # the rule's code, not invalid_choice
    r = force_api.post("/api/v1/detentions/", bad, format="json")
    assert h.codes(r) == {"consultation_required"}
    assert Detention.objects.count() == 0
    r = force_api.post(
        "/api/v1/detentions/",
        create_body(
            who,
            consultation=None,
            consultation_not_practicable_reason="Violent struggle, no time",
        ),
        format="json",
    )
    assert r.status_code == 201, r.content


@at_now
def test_p2_no_consultation_duty_for_s135(force, force_api):
    r = force_api.post(
        "/api/v1/detentions/",
        create_body(
            h.person(force),
            power="s135_1",
            location_kind="private_dwelling",
            consultation=None,
            warrant_issued_at=iso(T0 - timedelta(hours=2)),
            premises_entered_at=iso(T0),
        ),
        format="json",
    )
    assert r.status_code == 201, r.content


@at_now
def test_p3_police_vehicle_needs_a_reason(force, force_api):
    who = h.person(force)
    r = force_api.post(
        "/api/v1/detentions/", create_body(who, conveyance_mode="police_vehicle"), format="json"
    )
    assert h.errors(r) == [("conveyance_reason_required", "conveyance_reason")]
    r = force_api.post(
        "/api/v1/detentions/",
        create_body(who, conveyance_mode="police_vehicle", conveyance_reason="not-a-reason"),
        format="json",
    )
    assert h.errors(r) == [("conveyance_reason_required", "conveyance_reason")]
    assert Detention.objects.count() == 0
    r = force_api.post(
        "/api/v1/detentions/",
        create_body(who, conveyance_mode="police_vehicle", conveyance_reason="risk_of_violence"),
        format="json",
    )
    assert r.status_code == 201


@at_now
def test_ps1_ps2_kept_at_a_police_station(force, force_api, station):
    from datetime import date

    child = h.person(force, date_of_birth=date(2010, 2, 1))
    body = create_body(
        child,
        mode="kept",
        place_of_safety=station.pk,
        police_station_decision=h.POLICE_STATION_DECISION,
        conveyance_mode="none",
    )
    r = force_api.post("/api/v1/detentions/", body, format="json")
    assert r.status_code == 400
    assert ("child_police_station", "place_of_safety") in h.errors(r)
    adult = h.person(force, given_name="Max")
    body = create_body(adult, mode="kept", place_of_safety=station.pk, conveyance_mode="none")
    r = force_api.post("/api/v1/detentions/", body, format="json")
    assert ("police_station_conditions", "police_station_decision") in h.errors(r)
    assert Detention.objects.count() == 0
    body["police_station_decision"] = h.POLICE_STATION_DECISION
    r = force_api.post("/api/v1/detentions/", body, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["next_welfare_check_due_at"] == "2026-03-28T21:00:00Z"  # PS4: 30 minutes
    assert r.json()["arrival"]["police_station_decision"]["imminent_risk"] is True


def test_rs2_original_rules_allow_a_police_station_at_any_age(force, force_api, station):
    from datetime import date

    child = h.person(force, date_of_birth=date(2001, 2, 1))
    r = force_api.post(
        "/api/v1/detentions/",
        create_body(child, detained_at="2017-06-01T10:00:00+00:00", consultation=None),
        format="json",
    )
    assert r.status_code == 201, r.content
    r = force_api.post(
        h.url(r.json()["id"], "arrival"),
        {"place_of_safety": station.pk, "arrived_at": "2017-06-01T10:30:00+00:00"},
        format="json",
    )
    assert r.status_code == 201, r.content


@at_now
def test_place_of_safety_only_when_kept(force, force_api, suite):
    r = force_api.post(
        "/api/v1/detentions/", create_body(h.person(force), place_of_safety=suite.pk), format="json"
    )
    assert h.errors(r) == [("invalid", "place_of_safety")]
