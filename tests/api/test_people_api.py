"""`/api/v1/people/`: scopes (incidents:* or detentions:*), three personas, search, errors."""

from datetime import date

import pytest

from people import services
from people.models import Person
from tests.incidents.helpers import make_person

pytestmark = pytest.mark.django_db

URL = "/api/v1/people/"


def test_owner_force_lists_its_current_people(force, other_force, api_for):
    mine = make_person(force, "Alex", "Taylor", date(1990, 1, 2))
    merged = make_person(force, "Alec", "Taylor", date(1990, 1, 2))
    services.merge_people(keep=mine, merge=merged, reason="same person")
    make_person(other_force, "Alex", "Taylor")
    response = api_for(force, "incidents:read").get(URL)
    assert response.status_code == 200
    assert [p["id"] for p in response.json()["results"]] == [mine.pk]
    # The merged record is still readable by id, pointing at the one kept.
    detail = api_for(force, "detentions:read").get(f"{URL}{merged.pk}/")
    assert detail.status_code == 200 and detail.json()["merged_into"] == mine.pk


@pytest.mark.parametrize(
    ("scopes", "method", "expected"),
    [
        (("incidents:read",), "get", 200),
        (("detentions:read",), "get", 200),
        (("detentions:write",), "get", 200),
        (("referrals:read",), "get", 403),
        (("places:read", "alerts:write"), "get", 403),
        (("incidents:read",), "post", 403),
        (("detentions:read",), "post", 403),
        (("incidents:write",), "post", 201),
        (("detentions:write",), "post", 201),
    ],
)
def test_people_needs_incidents_or_detentions_scope(force, api_for, scopes, method, expected):
    client = api_for(force, *scopes)
    if method == "get":
        response = client.get(URL)
    else:
        response = client.post(URL, {"given_name": "Sam", "family_name": "Lee"}, format="json")
    assert response.status_code == expected, response.content


def test_no_key_is_401(client):
    assert client.get(URL).status_code == 401


def test_partner_and_outsider_get_404(force, other_force, partner_org, api_for):
    person = make_person(force)
    for org in (partner_org, other_force):
        client = api_for(org, "incidents:write", "detentions:write", name=f"{org.slug}-k")
        assert client.get(f"{URL}{person.pk}/").status_code == 404
        assert (
            client.patch(f"{URL}{person.pk}/", {"given_name": "X"}, format="json").status_code
            == 404
        )
        assert client.get(URL).json()["count"] == 0


def test_create_with_fixed_fields_and_history(force, api_for):
    client = api_for(force, "incidents:write", name="cad-system")
    response = client.post(
        URL,
        {
            "given_name": "Zoë",
            "family_name": "Brown",
            "date_of_birth": "1985-07-01",
            "age_assessment": None,
            "gender": "female",
            "ethnicity": "B1",
            "nhs_number": "943 476 5919",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["nhs_number"] == "9434765919"
    person = Person.objects.get(pk=body["id"])
    assert person.organisation == force
    assert person.history.latest().changed_by == "cad-system"


def test_invalid_nhs_number_error_format(force, api_for):
    response = api_for(force, "incidents:write").post(
        URL, {"given_name": "A", "family_name": "B", "nhs_number": "9434765918"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [
            {
                "code": "invalid_nhs_number",
                "detail": response.json()["errors"][0]["detail"],
                "attr": "nhs_number",
            }
        ],
    }


def test_birth_date_in_the_future_is_refused(force, api_for):
    response = api_for(force, "incidents:write").post(
        URL, {"given_name": "A", "family_name": "B", "date_of_birth": "2999-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "time_order"


def test_search_filters(force, api_for):
    zoe = make_person(force, "Zoë", "Brown", date(1985, 7, 1), nhs_number="9434765919")
    make_person(force, "Sam", "Brown", date(1970, 1, 1))
    client = api_for(force, "incidents:read")

    def ids(**params):
        return [p["id"] for p in client.get(URL, params).json()["results"]]

    assert ids(q="zoe br") == [zoe.pk]
    assert ids(date_of_birth="1985-07-01") == [zoe.pk]
    assert ids(nhs_number="943 476 5919") == [zoe.pk]
    assert len(ids(q="brown")) == 2


def test_patch_changes_and_merged_record_is_refused(force, api_for):
    keep, merged = make_person(force), make_person(force)
    client = api_for(force, "incidents:write")
    response = client.patch(f"{URL}{keep.pk}/", {"given_name": "Alexandra"}, format="json")
    assert response.status_code == 200 and response.json()["given_name"] == "Alexandra"
    services.merge_people(keep=keep, merge=merged, reason="same person")
    response = client.patch(f"{URL}{merged.pk}/", {"given_name": "X"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "person_merged"


def test_list_query_count_is_fixed(force, api_for, django_assert_max_num_queries):
    client = api_for(force, "incidents:read")
    make_person(force)
    client.get(URL)  # warm up (key lookup caches etc.)
    with django_assert_max_num_queries(10) as small:
        client.get(URL)
    for i in range(15):
        make_person(force, f"P{i}", "Q")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(URL).json()["count"] == 16


def test_session_user_needs_the_role(force, officer, nurse, api_as, make_user, partner_org):
    assert api_as(officer).get(URL).status_code == 200
    from accounts.roles import Role

    partner_user = make_user("partner", partner_org, Role.PARTNER_USER)
    assert api_as(partner_user).get(URL).status_code == 403
