"""Permissions are checked on the server: wrong role, wrong organisation, missing key or scope."""

import pytest

from accounts.permissions import ROLE_PERMISSIONS, Perm, has_perm
from accounts.roles import Role
from places_of_safety.models import PlaceOfSafety

pytestmark = pytest.mark.django_db


def test_every_role_has_a_permission_set():
    assert set(ROLE_PERMISSIONS) == set(Role)


def test_auditor_can_read_everything_and_change_nothing(auditor):
    assert has_perm(auditor, Perm.VIEW_DETENTIONS) and has_perm(auditor, Perm.VIEW_AUDIT)
    writes = {p for p in Perm if not p.value.endswith(".view")}
    assert not any(has_perm(auditor, p) for p in writes)


def test_signed_out_user_is_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_wrong_role_is_refused_on_the_admin(web, officer):
    response = web.as_user(officer).get("/admin/accounts/organisation/")
    assert response.status_code == 302  # not staff: the admin sends them to its own login


def test_api_without_a_key_is_401(client):
    response = client.get("/api/v1/places-of-safety/")
    assert response.status_code == 401
    assert response.json()["type"] == "client_error"
    assert response["WWW-Authenticate"] == "Api-Key"


def test_api_with_an_invalid_key_is_401(client):
    response = client.get("/api/v1/places-of-safety/", HTTP_AUTHORIZATION="Api-Key nope.nope")
    assert response.status_code == 401


def test_api_with_a_revoked_key_is_401(api_for, force):
    client = api_for(force, "places:read")
    client.key.revoked = True
    client.key.save()
    assert client.get("/api/v1/places-of-safety/").status_code == 401


def test_api_key_without_the_scope_is_403(api_for, force):
    client = api_for(force, "incidents:read")
    response = client.get("/api/v1/places-of-safety/")
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "permission_denied"


def test_read_scope_does_not_allow_writes(api_for, health_trust):
    client = api_for(health_trust, "places:read")
    response = client.post(
        "/api/v1/places-of-safety/", {"name": "X", "kind": "other", "capacity": 1}
    )
    assert response.status_code == 403
    assert not PlaceOfSafety.objects.exists()


def test_another_organisation_cannot_change_a_place_it_does_not_operate(
    api_for, health_trust, other_force
):
    place = PlaceOfSafety.objects.create(
        name="Suite", kind="health_based", organisation=health_trust
    )
    outsider = api_for(other_force, "places:read", "places:write")
    response = outsider.patch(f"/api/v1/places-of-safety/{place.pk}/", {"status": "closed"})
    assert response.status_code == 403
    place.refresh_from_db()
    assert place.declared_status == "open"


def test_police_user_cannot_change_a_health_place_status(api_as, sergeant, health_trust):
    place = PlaceOfSafety.objects.create(
        name="Suite", kind="health_based", organisation=health_trust
    )
    response = api_as(sergeant).patch(f"/api/v1/places-of-safety/{place.pk}/", {"status": "closed"})
    assert response.status_code == 403


def test_place_staff_can_set_their_own_place_status(api_as, nurse, health_trust):
    place = PlaceOfSafety.objects.create(
        name="Suite", kind="health_based", organisation=health_trust
    )
    response = api_as(nurse).patch(
        f"/api/v1/places-of-safety/{place.pk}/",
        {"status": "closed", "status_reason": "Staff shortage"},
    )
    assert response.status_code == 200, response.json()
    place.refresh_from_db()
    assert (place.declared_status, place.status_updated_by) == ("closed", nurse)


def test_npus_lists_only_the_callers_force(api_for, force, other_force):
    response = api_for(force, "reports:read").get("/api/v1/npus/")
    assert response.status_code == 200
    assert [n["code"] for n in response.json()["results"]] == ["NPU-C", "NPU-N"]
    assert api_for(other_force, "reports:read").get("/api/v1/npus/").json()["count"] == 1
