"""The detentions API's handover actions: request, accept, decline (same policy as the pages,
the contract's error body, Idempotency-Key, in the schema)."""

import pytest

from detentions.models import Handover, HandoverRequest

pytestmark = pytest.mark.django_db


def url(d, tail=""):
    return f"/api/v1/detentions/{d.pk}/handover-request/{tail}"


def test_an_officer_asks_and_a_nurse_accepts_through_the_api(api_as, d, officer, nurse):
    r = api_as(officer).post(url(d), {"note": "Calm now"}, format="json")
    assert r.status_code == 201, r.json()
    (req,) = r.json()["handover_requests"]
    assert req["state"] == "requested" and req["police_must_stay"] is None
    assert req["note"] == "Calm now" and req["requested_by_name"] == "Officer"

    r = api_as(nurse).post(url(d, "accept/"), {"police_must_stay": False}, format="json")
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["handover_requests"][0]["state"] == "accepted"
    assert body["handover_requests"][0]["answered_via"] == "account"
    assert body["handover"]["received_by"] == "Nurse" and body["handover"]["via_link"] is False


def test_accepting_needs_the_stay_answer_and_a_reason_to_stay(api_as, d, officer, nurse):
    api_as(officer).post(url(d), {}, format="json")
    client = api_as(nurse)
    r = client.post(url(d, "accept/"), {}, format="json")
    assert r.status_code == 400
    assert r.json()["errors"][0]["attr"] == "police_must_stay"
    r = client.post(url(d, "accept/"), {"police_must_stay": True}, format="json")
    assert r.status_code == 400
    assert r.json() == {
        "type": "validation_error",
        "errors": [
            {
                "code": "stay_reason_required",
                "detail": "Enter why the police must stay (for example a risk of violence).",
                "attr": "stay_reason",
            }
        ],
    }
    assert HandoverRequest.objects.get(detention=d).is_open


def test_a_double_accept_is_a_409(api_as, d, officer, nurse):
    api_as(officer).post(url(d), {}, format="json")
    client = api_as(nurse)
    assert (
        client.post(url(d, "accept/"), {"police_must_stay": False}, format="json").status_code
        == 200
    )
    r = client.post(url(d, "accept/"), {"police_must_stay": False}, format="json")
    assert r.status_code == 409
    assert r.json()["type"] == "client_error"
    assert r.json()["errors"][0]["code"] == "no_open_handover_request"
    assert Handover.objects.filter(detention=d).count() == 1


def test_a_second_request_while_one_waits_is_a_409(api_as, d, officer):
    client = api_as(officer)
    assert client.post(url(d), {}, format="json").status_code == 201
    r = client.post(url(d), {}, format="json")
    assert r.status_code == 409 and r.json()["errors"][0]["code"] == "handover_already_requested"


def test_a_decline_needs_a_reason(api_as, d, officer, nurse):
    api_as(officer).post(url(d), {}, format="json")
    client = api_as(nurse)
    r = client.post(url(d, "decline/"), {"reason": "  "}, format="json")
    assert r.status_code == 400
    assert [(e["code"], e["attr"]) for e in r.json()["errors"]] == [("blank", "reason")]
    assert HandoverRequest.objects.get(detention=d).is_open
    r = client.post(url(d, "decline/"), {"reason": "No bed"}, format="json")
    assert r.status_code == 200
    assert r.json()["handover_requests"][0]["decline_reason"] == "No bed"


def test_keys_answer_with_a_name_and_the_scope(api_for, d, force, health_trust):
    assert api_for(force, "detentions:read").post(url(d), {}, format="json").status_code == 403
    assert api_for(force, "detentions:write").post(url(d), {}, format="json").status_code == 201
    trust = api_for(health_trust, "detentions:write")
    r = trust.post(url(d, "accept/"), {"police_must_stay": False}, format="json")
    assert r.status_code == 400 and r.json()["errors"][0]["attr"] == "received_by"
    r = trust.post(
        url(d, "accept/"),
        {"police_must_stay": False, "received_by": "Kate Jones RMN"},
        format="json",
    )
    assert r.status_code == 200
    assert r.json()["handover_requests"][0]["answered_via"] == "api"


def test_the_wrong_side_is_refused(api_as, api_for, d, officer, nurse, force, health_trust):
    # health staff may not ask; the force may not answer
    assert api_as(nurse).post(url(d), {}, format="json").status_code == 403
    api_as(officer).post(url(d), {}, format="json")
    assert (
        api_as(officer)
        .post(url(d, "accept/"), {"police_must_stay": False}, format="json")
        .status_code
        == 403
    )
    assert (
        api_for(force, "detentions:write")
        .post(url(d, "decline/"), {"reason": "x", "declined_by": "y"}, format="json")
        .status_code
        == 403
    )


def test_another_organisation_sees_nothing(
    api_as, api_for, d, officer, outsider_officer, other_nurse
):
    api_as(officer).post(url(d), {}, format="json")
    assert api_as(outsider_officer).post(url(d), {}, format="json").status_code == 404
    r = api_as(other_nurse).post(url(d, "accept/"), {"police_must_stay": False}, format="json")
    assert r.status_code == 404
    assert HandoverRequest.objects.get(detention=d).is_open


def test_idempotency_key_replays_the_request(api_as, d, officer):
    client = api_as(officer)
    first = client.post(url(d), {}, format="json", HTTP_IDEMPOTENCY_KEY="ask-1")
    again = client.post(url(d), {}, format="json", HTTP_IDEMPOTENCY_KEY="ask-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert HandoverRequest.objects.filter(detention=d).count() == 1


def test_the_actions_are_in_the_schema(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    paths = schema["paths"]
    for tail in ("", "accept/", "decline/"):
        assert "post" in paths["/api/v1/detentions/{id}/handover-request/" + tail]
    detail = schema["components"]["schemas"]["HandoverRequestRead"]
    assert "police_must_stay" in detail["properties"]


def test_the_request_and_its_answer_are_in_the_detention_history(
    api_as, d, officer, nurse, auditor
):
    api_as(officer).post(url(d), {}, format="json")
    api_as(nurse).post(url(d, "accept/"), {"police_must_stay": False}, format="json")
    history = api_as(officer).get(f"/api/v1/detentions/{d.pk}/history/").json()
    rows = [h for h in history if h["record"].startswith("handover_request:")]
    assert [(h["change_type"], h["changed_by"]) for h in rows] == [
        ("created", "officer"),
        ("changed", "nurse"),
    ]
    assert rows[1]["changes"]["state"] == ["requested", "accepted"]
