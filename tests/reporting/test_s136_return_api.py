"""`GET /api/v1/reports/s136-return/` as fixed in api-contract.md: keys, CSV, dates, scopes."""

import csv
import io

import pytest
import time_machine

from accounts.roles import Role

from .conftest import NOW

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/s136-return/"
KEYS = [
    "from",
    "to",
    "total",
    "by_first_place_of_safety",
    "by_age_group",
    "by_gender",
    "by_ethnicity_group",
    "by_conveyance",
    "by_police_vehicle_reason",
    "under_18_at_police_station",
    "extensions",
    "breaches",
    "median_minutes_to_assessment",
    "unlawful_acts",  # R1
]
# Fields added beside the contract's (it allows additions): the power the return covers, and
# force, search and restraint (domain.md).
ADDED = [
    "power",
    "force_used",
    "by_force_tactic",
    "prone_restraint",
    "restraint_at_health_based_place",
    "force_injuries",
    "protective_searches",
    "searches_items_found",
]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_json_has_exactly_the_contract_keys(api_for, force, january):
    response = api_for(force, "reports:read").get(URL, {"from": "2026-01-01", "to": "2026-01-31"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert [k for k in body if k in KEYS] == KEYS
    assert sorted(set(body) - set(KEYS)) == sorted(ADDED)
    assert body["total"] == 5
    assert set(body["by_age_group"]) == {"under_18", "18_and_over", "not_known"}
    assert set(body["by_ethnicity_group"]) == {
        "white",
        "mixed",
        "asian",
        "black",
        "other",
        "not_stated",
    }
    assert {"ambulance", "police_vehicle", "other_health_vehicle", "other", "none"} <= set(
        body["by_conveyance"]
    )
    assert body["under_18_at_police_station"] == 1
    assert (body["extensions"], body["breaches"]) == (2, 2)
    assert body["median_minutes_to_assessment"] == 120.0


def test_csv(api_for, force, january):
    response = api_for(force, "reports:read").get(
        URL, {"from": "2026-01-01", "to": "2026-01-31", "format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="s136-return-2026-01-01-2026-01-31.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["figure", "category", "value"]
    assert [r[0] for r in rows[1:]][:3] == ["from", "to", "total"]
    assert {r[0] for r in rows[1:]} == set(KEYS) | set(ADDED)
    as_dict = {(r[0], r[1]): r[2] for r in rows[1:]}
    assert as_dict[("total", "")] == "5"
    assert as_dict[("by_age_group", "under_18")] == "2"
    assert as_dict[("under_18_at_police_station", "")] == "1"
    assert as_dict[("median_minutes_to_assessment", "")] == "120.0"


@pytest.mark.parametrize(
    ("params", "code", "attr"),
    [
        ({"to": "2026-01-31"}, "required", "from"),
        ({"from": "2026-01-01"}, "required", "to"),
        ({"from": "2026-13-01", "to": "2026-01-31"}, "invalid", "from"),
        ({"from": "01/01/2026", "to": "2026-01-31"}, "invalid", "from"),
        ({"from": "2026-02-01", "to": "2026-01-31"}, "from_after_to", "to"),
    ],
)
def test_dates_are_validated(api_for, force, params, code, attr):
    response = api_for(force, "reports:read").get(URL, params)
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "validation_error"
    assert {"code": code, "attr": attr} in [
        {"code": e["code"], "attr": e["attr"]} for e in body["errors"]
    ]


def test_errors_are_json_even_when_csv_is_asked_for(api_for, force):
    response = api_for(force, "reports:read").get(URL, {"from": "x", "format": "csv"})
    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"


def test_scopes(api_for, client, force):
    params = {"from": "2026-01-01", "to": "2026-01-31"}
    assert client.get(URL, params).status_code == 401
    assert api_for(force, "detentions:read").get(URL, params).status_code == 403
    assert api_for(force, "reports:read").get(URL, params).status_code == 200


def test_each_force_sees_only_its_own(api_for, force, other_force, health_trust, january):
    params = {"from": "2026-01-01", "to": "2026-01-31"}
    assert api_for(other_force, "reports:read").get(URL, params).json()["total"] == 1
    # A partner (the trust operating a suite the force used) has no detentions of its own.
    assert api_for(health_trust, "reports:read").get(URL, params).json()["total"] == 0


def test_sessions(api_as, make_user, force, january):
    params = {"from": "2026-01-01", "to": "2026-01-31"}
    lead = make_user("lead", force, Role.NPU_LEAD)
    officer = make_user("pc", force, Role.RESPONSE_OFFICER)
    assert api_as(lead).get(URL, params).json()["total"] == 5
    assert api_as(officer).get(URL, params).status_code == 403


def test_query_count_is_fixed(api_for, force, january, django_assert_max_num_queries):
    client = api_for(force, "reports:read")
    with django_assert_max_num_queries(20):
        assert client.get(URL, {"from": "2026-01-01", "to": "2026-01-31"}).status_code == 200


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_dates_out_of_range(api_for, force, value):
    response = api_for(force, "reports:read").get(URL, {"from": value, "to": value})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "date_out_of_range"
