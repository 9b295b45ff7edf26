"""Who may see and change a detention through the API: three personas (the recording force, the
operator of the place where the person is, an outsider force), scopes, and users' roles."""

from datetime import timedelta

import pytest
import time_machine

from accounts.roles import Role
from detentions.models import Detention, WelfareCheck

from . import helpers as h
from .helpers import NOW, T0, iso

pytestmark = pytest.mark.django_db

at_now = time_machine.travel(NOW, tick=False)
ARRIVED = T0 + timedelta(minutes=30)


def check_body():
    return {"checked_at": iso(ARRIVED + timedelta(minutes=20)), "professional_name": "Nurse Joy"}


@at_now
def test_three_personas_read(force, force_api, trust_api, outsider_api, suite):
    at_suite = h.detention(force, arrive_at=(suite, ARRIVED))
    in_transit = h.detention(force, h.person(force, given_name="Al"))
    # Owner: sees both.
    assert force_api.get(h.url(at_suite)).status_code == 200
    assert force_api.get("/api/v1/detentions/").json()["count"] == 2
    # The suite's operator: sees the detention at its suite only.
    assert trust_api.get(h.url(at_suite)).status_code == 200
    assert trust_api.get(h.url(in_transit)).status_code == 404
    assert [d["id"] for d in trust_api.get("/api/v1/detentions/").json()["results"]] == [
        at_suite.pk
    ]
    # Outsider: nothing, and existence is not revealed.
    assert outsider_api.get(h.url(at_suite)).status_code == 404
    assert outsider_api.get("/api/v1/detentions/").json()["count"] == 0
    assert outsider_api.get(h.url(at_suite, "history")).status_code == 404


@at_now
def test_three_personas_write(force, force_api, trust_api, outsider_api, suite):
    d = h.detention(force, arrive_at=(suite, ARRIVED))
    r = outsider_api.post(h.url(d, "welfare-checks"), check_body(), format="json")
    assert r.status_code == 404
    assert (
        trust_api.post(h.url(d, "welfare-checks"), check_body(), format="json").status_code == 201
    )
    assert (
        force_api.post(h.url(d, "welfare-checks"), check_body(), format="json").status_code == 201
    )
    assert WelfareCheck.objects.count() == 2


@at_now
def test_a_place_the_person_has_left_may_read_but_not_write(
    force, force_api, trust_api, acute_trust, api_for, ed, suite
):
    d = h.detention(force, arrive_at=(ed, ARRIVED))
    with h.acting_as(h.command_actor("tests")):
        t = h.services.record_transfer(
            d, to_place_of_safety=suite, departed_at=ARRIVED + timedelta(hours=1), now=NOW
        )
        h.services.record_transfer_arrival(
            t, arrived_at=ARRIVED + timedelta(hours=1, minutes=10), now=NOW
        )
    ed_api = api_for(acute_trust, "detentions:read", "detentions:write")
    assert ed_api.get(h.url(d)).status_code == 200
    r = ed_api.post(h.url(d, "welfare-checks"), check_body(), format="json")
    assert r.status_code == 403
    assert (
        trust_api.post(h.url(d, "welfare-checks"), check_body(), format="json").status_code == 201
    )


@at_now
def test_only_a_force_creates_and_only_with_its_own_person(
    force, other_force, trust_api, outsider_api
):
    who = h.person(force)
    body = {
        "person": who.pk,
        "power": "s136",
        "detained_at": iso(T0),
        "location_kind": "public_place",
        "consultation_not_practicable_reason": "No time",
    }
    assert trust_api.post("/api/v1/detentions/", body, format="json").status_code == 403
    r = outsider_api.post("/api/v1/detentions/", body, format="json")
    assert r.status_code == 400
    assert h.errors(r) == [("does_not_exist", "person")]
    assert Detention.objects.count() == 0


@at_now
def test_scopes(force, api_for, suite):
    d = h.detention(force, arrive_at=(suite, ARRIVED))
    read_only = api_for(force, "detentions:read")
    assert read_only.get(h.url(d)).status_code == 200
    assert (
        read_only.post(h.url(d, "welfare-checks"), check_body(), format="json").status_code == 403
    )
    assert read_only.get(h.url(d, "history")).status_code == 403  # needs audit:read
    wrong = api_for(force, "incidents:read", "incidents:write")
    assert wrong.get("/api/v1/detentions/").status_code == 403
    assert api_for(force, "audit:read").get(h.url(d, "history")).status_code == 200


def test_no_key_or_a_bad_key_is_401(client, db):
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/detentions/").status_code == 401
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Api-Key nope.nope")
    assert bad.get("/api/v1/detentions/").status_code == 401


@at_now
def test_users_by_role(force, health_trust, make_user, api_as, officer, nurse, auditor, suite):
    d = h.detention(force, arrive_at=(suite, ARRIVED))
    # A response officer may record detention events but not custody care.
    assert api_as(officer).get(h.url(d)).status_code == 200
    assert (
        api_as(officer).post(h.url(d, "welfare-checks"), check_body(), format="json").status_code
        == 403
    )
    # Place-of-safety staff at the suite record welfare checks.
    assert (
        api_as(nurse).post(h.url(d, "welfare-checks"), check_body(), format="json").status_code
        == 201
    )
    # Corrections need CORRECT_RECORDS.
    correction = {
        "target": "detention",
        "kind": "other",
        "reason": "typo",
        "changes": {"location_description": "High St"},
    }
    assert (
        api_as(officer).post(h.url(d, "corrections"), correction, format="json").status_code == 403
    )
    insp = make_user("insp", force, Role.INSPECTOR, rank="inspector")
    assert api_as(insp).post(h.url(d, "corrections"), correction, format="json").status_code == 201
    # History: auditors, or the recording force's users; not the trust's staff.
    # (The audit app asks an auditor, outside the owner's normal roles, for a reason.)
    r = api_as(auditor).get(h.url(d, "history"), HTTP_X_ACCESS_REASON="Annual audit")
    assert r.status_code == 200
    assert api_as(officer).get(h.url(d, "history")).status_code == 200
    assert api_as(nurse).get(h.url(d, "history")).status_code == 403
    # A doctor (assessment permission, no general recording) may record the assessment.
    doctor = make_user("doc", health_trust, Role.DOCTOR)
    r = api_as(doctor).post(
        h.url(d, "assessment"),
        {"doctor_arrived_at": iso(ARRIVED + timedelta(minutes=30))},
        format="json",
    )
    assert r.status_code == 201, r.content
    assert (
        api_as(doctor)
        .post(h.url(d, "handover"), {"handed_over_at": iso(NOW), "received_by": "x"}, format="json")
        .status_code
        == 403
    )
