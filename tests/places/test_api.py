"""The partner API for places of safety: contract fields, effective status, filters in the
database, read-only occupancy, status write validation, permissions and a pinned query count."""

import pytest

from accounts.roles import Role
from places_of_safety.models import PlaceOfSafety

pytestmark = pytest.mark.django_db

URL = "/api/v1/places-of-safety/"


def _detail(place):
    return f"{URL}{place.pk}/"


def test_contract_fields_and_full_by_capacity(api_for, force, make_place, detain, arrive):
    place = make_place("Willow Suite", capacity=1)
    arrive(detain(), place)
    body = api_for(force, "places:read").get(_detail(place)).json()
    for field in (
        "id",
        "name",
        "kind",
        "organisation",
        "accepts_under_18",
        "capacity",
        "status",
        "declared_status",
        "occupancy",
    ):
        assert field in body
    assert (body["status"], body["declared_status"], body["occupancy"]) == ("full", "open", 1)
    assert body["organisation"] == "midshire-mh-trust"
    assert body["status_updated_at"].endswith("Z")


def test_occupancy_and_declared_status_are_read_only(api_for, health_trust, make_place):
    place = make_place(capacity=2)
    client = api_for(health_trust, "places:read", "places:write")
    response = client.patch(
        _detail(place), {"occupancy": 2, "declared_status": "closed", "name": "Renamed"}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["occupancy"], body["status"], body["name"]) == (0, "open", "Renamed")


def test_status_write_validates(api_for, health_trust, make_place):
    place = make_place()
    client = api_for(health_trust, "places:read", "places:write")
    response = client.patch(_detail(place), {"status": "shut"})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["code"], error["attr"]) == ("invalid_choice", "status")
    place.refresh_from_db()
    assert place.declared_status == "open"


def test_a_key_of_the_operator_sets_status_and_it_is_audited(api_for, health_trust, make_place):
    place = make_place(capacity=2)
    client = api_for(health_trust, "places:read", "places:write", name="trust-bed-system")
    response = client.patch(_detail(place), {"status": "closed", "status_reason": "Flood"})
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["declared_status"]) == ("closed", "closed")
    change = place.status_changes.first()
    assert (change.status, change.reason, change.set_by, change.set_by_label) == (
        "closed",
        "Flood",
        None,
        "trust-bed-system",
    )
    assert change.history.first().changed_by == "trust-bed-system"
    # the contract's PATCH takes `status` alone: a reason is not demanded of partner systems
    assert client.patch(_detail(place), {"status": "full"}).status_code == 200


def test_filters_run_in_the_database(
    api_for, force, health_trust, acute_trust, make_place, detain, arrive
):
    suite = make_place("A Suite", capacity=1, accepts_under_18=True)
    make_place("B Suite", capacity=2, declared_status="closed")
    ed = make_place("C ED", kind="emergency_department", organisation=acute_trust, capacity=4)
    make_place("D Station", kind="police_station", organisation=force, capacity=4)
    arrive(detain(), suite)
    client = api_for(force, "places:read")

    def names(query):
        response = client.get(URL + query)
        assert response.status_code == 200, response.json()
        return [p["name"] for p in response.json()["results"]]

    assert names("?status=full") == ["A Suite"]
    assert names("?status=open") == ["C ED", "D Station"]
    assert names("?status=closed") == ["B Suite"]
    assert names("?kind=emergency_department") == ["C ED"]
    assert names("?accepts_under_18=true") == ["A Suite"]
    assert names("?organisation=midshire-hospitals") == [ed.name]
    assert names("?organisation=midshire-mh-trust&status=full") == ["A Suite"]
    assert client.get(URL + "?status=shut").status_code == 400


def test_list_query_count_is_fixed(
    api_for, force, make_place, detain, arrive, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_for(force, "places:read")
    client.get(URL)  # the key's first use stamps last_used_at
    for _ in range(2):
        arrive(detain(), make_place(capacity=3))
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL).status_code == 200
    for i in range(12):
        place = make_place(capacity=3)
        if i % 2:
            arrive(detain(), place)
    assert PlaceOfSafety.objects.count() == 14
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(client.get(URL).json()["results"]) == 14


# --- Permissions on status changes ---------------------------------------------------------


def test_police_user_cannot_change_a_health_places_status(api_as, sergeant, make_place):
    place = make_place()
    response = api_as(sergeant).patch(_detail(place), {"status": "closed"})
    assert response.status_code == 403
    place.refresh_from_db()
    assert place.declared_status == "open"


def test_police_place_staff_cannot_change_a_health_place_their_force_operates(
    api_as, make_user, force, make_place
):
    staff = make_user("custody-staff", force, Role.PLACE_OF_SAFETY_STAFF)
    place = make_place(organisation=force)
    assert api_as(staff).patch(_detail(place), {"status": "closed"}).status_code == 403


def test_staff_of_another_trust_cannot_change_it(api_as, other_trust_nurse, make_place):
    place = make_place()
    response = api_as(other_trust_nurse).patch(
        _detail(place), {"status": "closed", "status_reason": "x"}
    )
    assert response.status_code == 403


def test_own_staff_change_only_the_status(api_as, nurse, make_place):
    place = make_place()
    client = api_as(nurse)
    response = client.patch(_detail(place), {"status": "full", "status_reason": "Two assessments"})
    assert response.status_code == 200, response.json()
    assert client.patch(_detail(place), {"capacity": 9}).status_code == 403
    place.refresh_from_db()
    assert (place.declared_status, place.capacity, place.status_updated_by) == ("full", 1, nurse)


def test_keys_write_only_places_their_organisation_operates(
    api_for, health_trust, acute_trust, make_place
):
    place = make_place()
    assert (
        api_for(acute_trust, "places:read", "places:write")
        .patch(_detail(place), {"status": "closed"})
        .status_code
        == 403
    )
    assert (
        api_for(health_trust, "places:read").patch(_detail(place), {"status": "closed"}).status_code
        == 403
    )  # no write scope
    assert (
        api_for(health_trust, "places:read", "places:write")
        .patch(_detail(place), {"status": "closed"})
        .status_code
        == 200
    )


def test_a_key_creates_a_place_for_its_own_organisation(api_for, health_trust):
    client = api_for(health_trust, "places:read", "places:write")
    response = client.post(
        URL,
        {"name": "New Suite", "kind": "health_based", "capacity": 2, "status": "closed"},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["organisation"], body["status"], body["occupancy"]) == (
        "midshire-mh-trust",
        "closed",
        0,
    )
    place = PlaceOfSafety.objects.get(pk=body["id"])
    assert place.status_changes.get().status == "closed"
