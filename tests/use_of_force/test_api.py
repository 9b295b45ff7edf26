"""`detentions/{id}/use-of-force/` and `detentions/{id}/searches/`: visible where the detention
is (else 404), written where its events may be written (else 403), refusals in the contract's
JSON error format (and nothing written). Every response is checked against the schema."""

from datetime import timedelta

import pytest

from tests.api import helpers as h
from use_of_force.models import ProtectiveSearch, UseOfForce

pytestmark = pytest.mark.django_db


def url(d, what="use-of-force"):
    return f"/api/v1/detentions/{d.pk}/{what}/"


def force_body(**overrides):
    body = {
        "officer_name": "PC Amber Hale",
        "tactic": "prone_restraint",
        "used_at": h.iso(h.T0 + timedelta(minutes=5)),
        "location": "street",
        "reasons": ["protect_subject"],
        "person_injured": False,
        "officer_injured": False,
    }
    body.update(overrides)
    return body


def search_body(**overrides):
    body = {
        "officer_name": "PC Amber Hale",
        "searched_at": h.iso(h.T0 + timedelta(minutes=10)),
        "location": "street",
        "grounds": "Threatened self-harm with a blade",
        "items_found": False,
    }
    body.update(overrides)
    return body


@pytest.fixture
def force_api(api_for, force):
    return api_for(force, "detentions:read", "detentions:write", name="force-cad")


def test_record_and_list_a_use_of_force(force_api, detention):
    response = force_api.post(url(detention), force_body(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["tactic"] == "prone_restraint"
    assert body["review_required"] is True
    assert body["used_at"] == "2026-03-28T20:35:00Z"
    assert body["detention"] == detention.pk
    row = UseOfForce.history.get(id=body["id"])
    assert (row.changed_by, row.actor_kind) == ("force-cad", "api_key")
    listed = force_api.get(url(detention)).json()
    assert listed["count"] == 1
    assert listed["results"][0]["id"] == body["id"]


def test_record_and_list_a_search(force_api, detention):
    response = force_api.post(url(detention, "searches"), search_body(), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["items_found"] is False
    assert force_api.get(url(detention, "searches")).json()["count"] == 1


def test_a_session_user_records_too(api_as, officer, detention):
    response = api_as(officer).post(url(detention, "searches"), search_body(), format="json")
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize("what", ["use-of-force", "searches"])
def test_a_detention_another_force_recorded_is_404(api_for, other_force, detention, what):
    client = api_for(other_force, "detentions:read", "detentions:write")
    assert client.get(url(detention, what)).status_code == 404
    body = force_body() if what == "use-of-force" else search_body()
    assert client.post(url(detention, what), body, format="json").status_code == 404
    assert client.get(f"/api/v1/detentions/999999/{what}/").status_code == 404
    assert not UseOfForce.objects.exists() and not ProtectiveSearch.objects.exists()


def test_a_place_the_person_has_left_may_read_but_not_record(api_for, health_trust, moved_on):
    client = api_for(health_trust, "detentions:read", "detentions:write")
    assert client.get(url(moved_on)).status_code == 200
    response = client.post(url(moved_on), force_body(), format="json")
    assert response.status_code == 403
    assert not UseOfForce.objects.exists()


def test_a_read_only_key_and_a_read_only_role_may_not_record(
    api_for, api_as, force, make_user, detention
):
    from accounts.roles import Role

    reader = api_for(force, "detentions:read")
    assert reader.get(url(detention)).status_code == 200
    assert reader.post(url(detention), force_body(), format="json").status_code == 403
    npu_lead = make_user("npulead", force, Role.NPU_LEAD, rank="inspector")
    session = api_as(npu_lead)
    assert session.get(url(detention)).status_code == 200
    assert session.post(url(detention), force_body(), format="json").status_code == 403
    assert not UseOfForce.objects.exists()


def test_no_key_is_401(client, detention):
    from rest_framework.test import APIClient

    assert APIClient().get(url(detention)).status_code in (401, 403)


def test_validation_errors_in_the_contract_format(force_api, detention):
    response = force_api.post(
        url(detention),
        force_body(tactic="other", used_at=h.iso(h.T0 - timedelta(hours=1))),
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "validation_error"
    assert sorted(h.errors(response)) == [("required", "tactic_detail"), ("time_order", "used_at")]
    response = force_api.post(
        url(detention), force_body(used_at="2026-03-28T20:35:00", tactic="kick"), format="json"
    )
    assert response.status_code == 400
    assert sorted(h.errors(response)) == [
        ("invalid_choice", "tactic"),
        ("timezone_required", "used_at"),
    ]
    response = force_api.post(
        url(detention, "searches"), search_body(found_description="A lighter"), format="json"
    )
    assert h.errors(response) == [("invalid", "items_found")]
    assert not UseOfForce.objects.exists() and not ProtectiveSearch.objects.exists()


def test_list_query_count_does_not_grow(force_api, detention, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert force_api.get(url(detention)).status_code == 200
        return len(ctx.captured_queries)

    force_api.post(url(detention), force_body(), format="json")
    force_api.post(url(detention), force_body(tactic="handcuffs"), format="json")
    two = count()
    for _i in range(5):
        force_api.post(url(detention), force_body(tactic="spit_guard"), format="json")
    assert count() == two


def test_the_detention_history_includes_them(api_for, force, force_api, detention):
    force_api.post(url(detention), force_body(), format="json")
    auditor = api_for(force, "audit:read")
    response = auditor.get(
        "/api/v1/audit/history/", {"model": "incidents.detention", "id": detention.pk}
    )
    assert response.status_code == 200, response.json()
    models = {v["model"] for v in response.json()}
    assert "use_of_force.useofforce" in models
    # And the detention's own history (the contract's `detentions/{id}/history/`).
    entries = api_for(force, "audit:read").get(f"/api/v1/detentions/{detention.pk}/history/")
    assert any(e["record"].startswith("use_of_force:") for e in entries.json())


def test_reading_them_is_in_the_access_log(api_for, force, make_user, api_as, force_api, detention):
    from accounts.roles import Role
    from audit.models import AccessLog

    assert force_api.get(url(detention)).status_code == 200
    assert AccessLog.objects.filter(record_id=str(detention.pk)).count() == 1
    # An auditor reads it only with a reason (as the detention itself).
    auditor = api_as(make_user("auditor", force, Role.AUDITOR))
    response = auditor.get(url(detention, "searches"))
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "access_reason_required"
    response = auditor.get(url(detention, "searches"), HTTP_X_ACCESS_REASON="Complaint 2026/17")
    assert response.status_code == 200
