"""referrals/ API: three personas on every endpoint, minimum person data, lifecycle, contract.

Every API response is validated against the OpenAPI schema (tests/conftest.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from partners.models import Referral

FIXED_FIELDS = {
    "id",
    "reference",
    "person",
    "incident",
    "detention",
    "to_organisation",
    "from_organisation",
    "service",
    "reason",
    "urgency",
    "consent",
    "status",
    "due_by",
}


@pytest.fixture
def referral(send, detention):
    return send(incident=None, detention=detention, urgency="emergency")


@pytest.fixture
def sender_api(api_for, force):
    return api_for(force, "referrals:read", "referrals:write", name="force-system")


@pytest.fixture
def partner_api(api_for, partner_org):
    return api_for(partner_org, "referrals:read", "referrals:write", name="liaison-system")


@pytest.fixture
def outsider_api(api_for, outsider_partner):
    return api_for(outsider_partner, "referrals:read", "referrals:write", name="mind-system")


def test_sender_creates_a_referral_with_only_the_fixed_fields(
    sender_api, person, incident, partner_org
):
    before = timezone.now()
    response = sender_api.post(
        "/api/v1/referrals/",
        {
            "person": person.pk,
            "incident": incident.pk,
            "detention": None,
            "to_organisation": partner_org.slug,
            "service": "liaison_diversion",
            "reason": "Frequent crisis calls",
            "urgency": "urgent",
            "consent": "given",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) >= FIXED_FIELDS
    assert body["from_organisation"] == "midshire-police"
    assert body["to_organisation"] == "midshire-liaison"
    assert body["status"] == "sent"
    assert body["due_by"].endswith("Z")
    referral = Referral.objects.get(pk=body["id"])
    assert before + timedelta(hours=4) <= referral.due_by <= timezone.now() + timedelta(hours=4)
    assert referral.created_by_label == "force-system"
    assert referral.history.first().changed_by == "force-system"


def test_create_refuses_sharing_without_consent_or_basis(sender_api, person, incident, partner_org):
    response = sender_api.post(
        "/api/v1/referrals/",
        {
            "person": person.pk,
            "incident": incident.pk,
            "to_organisation": partner_org.slug,
            "service": "crisis_team",
            "reason": "r",
            "urgency": "routine",
            "consent": "refused",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"
    assert response.json()["errors"][0] == {
        "code": "lawful_basis_required",
        "detail": "Without consent, give the lawful basis for sharing.",
        "attr": "lawful_basis",
    }


def test_create_cannot_use_another_forces_records(
    outsider_api, api_for, other_force, person, incident, partner_org
):
    other = api_for(other_force, "referrals:write")
    response = other.post(
        "/api/v1/referrals/",
        {
            "person": person.pk,
            "incident": incident.pk,
            "to_organisation": partner_org.slug,
            "service": "gp",
            "reason": "r",
            "urgency": "routine",
            "consent": "given",
        },
        format="json",
    )
    assert response.status_code == 400
    assert {e["attr"] for e in response.json()["errors"]} == {"person", "incident"}
    assert {e["code"] for e in response.json()["errors"]} == {"does_not_exist"}


def test_three_personas_on_list_and_detail(referral, sender_api, partner_api, outsider_api):
    for api in (sender_api, partner_api):
        listed = api.get("/api/v1/referrals/").json()
        assert [r["id"] for r in listed["results"]] == [referral.pk]
        assert api.get(f"/api/v1/referrals/{referral.pk}/").status_code == 200
    assert outsider_api.get("/api/v1/referrals/").json()["count"] == 0
    assert outsider_api.get(f"/api/v1/referrals/{referral.pk}/").status_code == 404
    response = outsider_api.post(
        f"/api/v1/referrals/{referral.pk}/status/", {"status": "acknowledged"}, format="json"
    )
    assert response.status_code == 404


def test_partner_sees_only_the_minimum_about_the_person(referral, sender_api, partner_api):
    partner_view = partner_api.get(f"/api/v1/referrals/{referral.pk}/").json()
    assert partner_view["person_summary"] == {
        "given_name": "Jamie",
        "family_name": "Rowe",
        "date_of_birth": "1991-04-05",
    }
    flat = str(partner_view)
    assert "9434765919" not in flat and "W1" not in flat
    sender_view = sender_api.get(f"/api/v1/referrals/{referral.pk}/").json()
    assert sender_view["person_summary"]["nhs_number"] == "9434765919"
    assert sender_view["person_summary"]["ethnicity"] == "W1"
    # neither gets the detention record itself: no place, clock or events
    for view in (partner_view, sender_view):
        assert not {"expires_at", "current_place_of_safety", "detained_at"} & set(view)
    # and a partner key cannot read the person or the detention directly
    assert partner_api.get(f"/api/v1/people/{referral.person_id}/").status_code in (403, 404)


def test_lifecycle_through_the_api(referral, partner_api, sender_api):
    url = f"/api/v1/referrals/{referral.pk}/status/"
    r = partner_api.post(url, {"status": "acknowledged", "note": "On it"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "acknowledged"
    assert r.json()["acknowledged_at"].endswith("Z")
    r = partner_api.post(url, {"status": "acknowledged"}, format="json")
    assert r.status_code == 409
    assert r.json() == {
        "type": "client_error",
        "errors": [
            {
                "code": "invalid_transition",
                "detail": "A referral that is acknowledged cannot become acknowledged.",
                "attr": None,
            }
        ],
    }
    r = sender_api.post(url, {"status": "accepted"}, format="json")
    assert r.status_code == 403
    r = partner_api.post(url, {"status": "declined"}, format="json")
    assert r.status_code == 400 and r.json()["errors"][0]["code"] == "note_required"
    r = partner_api.post(url, {"status": "accepted", "note": "Assessment booked"}, format="json")
    assert r.status_code == 200
    r = sender_api.post(url, {"status": "closed", "note": "Person admitted"}, format="json")
    assert r.status_code == 200
    history = r.json()["status_changes"]
    assert [c["to_status"] for c in history] == ["sent", "acknowledged", "accepted", "closed"]
    assert history[-1]["who"] == "force-system"
    assert history[2]["note"] == "Assessment booked"


def test_status_needs_write_scope(referral, api_for, partner_org):
    reader = api_for(partner_org, "referrals:read")
    r = reader.post(
        f"/api/v1/referrals/{referral.pk}/status/", {"status": "acknowledged"}, format="json"
    )
    assert r.status_code == 403
    assert api_for(partner_org, "alerts:read").get("/api/v1/referrals/").status_code == 403


def test_no_key_is_401(referral):
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/referrals/").status_code == 401


def test_filters(send, detention, sender_api, partner_org, outsider_partner):
    a = send(urgency="emergency")
    b = send(to=outsider_partner, urgency="routine", service="voluntary_sector")
    c = send(incident=None, detention=detention, urgency="urgent")

    def ids(query):
        return {r["id"] for r in sender_api.get(f"/api/v1/referrals/?{query}").json()["results"]}

    assert ids("urgency=emergency") == {a.pk}
    assert ids("service=voluntary_sector") == {b.pk}
    assert ids("to_organisation=harbourside-mind") == {b.pk}
    assert ids("from_organisation=midshire-police") == {a.pk, b.pk, c.pk}
    assert ids(f"detention={detention.pk}") == {c.pk}
    assert ids(f"incident={a.incident_id}") == {a.pk, b.pk, c.pk}
    assert ids("status=sent") == {a.pk, b.pk, c.pk}
    assert ids("status=closed") == set()


def test_list_query_count_does_not_grow(send, sender_api, django_assert_max_num_queries):
    send()
    sender_api.get("/api/v1/referrals/")  # first use stamps the key's last_used_at
    with django_assert_max_num_queries(12) as small:
        sender_api.get("/api/v1/referrals/")
    for _ in range(6):
        send()
    with django_assert_max_num_queries(12) as big:
        assert sender_api.get("/api/v1/referrals/").json()["count"] == 7
    assert len(big.captured_queries) == len(small.captured_queries)


def test_session_users_use_the_api_by_role(referral, api_as, partner_user, outsider_user, officer):
    assert api_as(partner_user).get(f"/api/v1/referrals/{referral.pk}/").status_code == 200
    assert api_as(outsider_user).get(f"/api/v1/referrals/{referral.pk}/").status_code == 404
    assert api_as(officer).get(f"/api/v1/referrals/{referral.pk}/").status_code == 200
    r = api_as(partner_user).post(
        f"/api/v1/referrals/{referral.pk}/status/", {"status": "accepted"}, format="json"
    )
    assert r.status_code == 200


def test_referral_posts_are_idempotent(
    sender_api, partner_api, person, incident, partner_org, settings
):
    if "core.idempotency.IdempotencyMiddleware" not in settings.MIDDLEWARE:
        pytest.skip("core.idempotency is not installed yet")
    body = {
        "person": person.pk,
        "incident": incident.pk,
        "to_organisation": partner_org.slug,
        "service": "liaison_diversion",
        "reason": "r",
        "urgency": "routine",
        "consent": "given",
    }
    first = sender_api.post("/api/v1/referrals/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = sender_api.post("/api/v1/referrals/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Referral.objects.count() == 1
    url = f"/api/v1/referrals/{first.json()['id']}/status/"
    one = partner_api.post(url, {"status": "accepted"}, format="json", HTTP_IDEMPOTENCY_KEY="s-1")
    two = partner_api.post(url, {"status": "accepted"}, format="json", HTTP_IDEMPOTENCY_KEY="s-1")
    assert one.status_code == two.status_code == 200
    assert Referral.objects.get().status_changes.count() == 2
