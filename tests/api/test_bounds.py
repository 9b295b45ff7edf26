"""Bounds in every API door: instants before the Mental Health Act 1983, dates of birth before
1900, deep JSON, unknown and non-integer ids, oversize bodies, media types, server errors and the
values schemathesis found accepted (page_size, non-integer ids, numbers for strings): every
refusal in the API's JSON error format and nothing changed."""

import json

import pytest
import time_machine
from django.test import Client, RequestFactory
from django.urls import get_resolver

from core import api_doors
from detentions.models import Detention
from incidents.models import Incident
from people.models import Person

from . import helpers as h
from .helpers import NOW, T0, iso

at_now = time_machine.travel(NOW, tick=False)

pytestmark = pytest.mark.django_db


def _json_error(response, status, code=None, attr=None):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = json.loads(response.content)
    assert body["type"] in ("validation_error", "client_error", "server_error")
    if code is not None:
        assert (body["errors"][0]["code"], body["errors"][0]["attr"]) == (code, attr), body
    return body


@at_now
def test_detained_before_the_act_came_into_force_is_refused(force, force_api):
    who = h.person(force)
    body = {
        "person": who.pk,
        "power": "s136",
        "detained_at": "1900-01-01T10:00:00Z",
        "location_kind": "public_place",
        "consultation_not_practicable_reason": "No time",
    }
    r = force_api.post("/api/v1/detentions/", body, format="json")
    _json_error(r, 400, "before_mental_health_act_1983", "detained_at")
    # 29 September 1983 23:59 in London (BST) is still before; midnight on the 30th is not.
    r = force_api.post(
        "/api/v1/detentions/", {**body, "detained_at": "1983-09-29T22:59:00Z"}, format="json"
    )
    _json_error(r, 400, "before_mental_health_act_1983", "detained_at")
    assert Detention.objects.count() == 0


@at_now
def test_an_event_before_the_act_is_refused(force, force_api, suite):
    d = h.detention(force)
    r = force_api.post(
        h.url(d, "arrival"),
        {"place_of_safety": suite.pk, "arrived_at": "1983-01-01T00:00:00Z"},
        format="json",
    )
    _json_error(r, 400, "before_mental_health_act_1983", "arrived_at")


@pytest.mark.parametrize("born", ["0001-01-01", "1899-12-31"])
def test_dates_of_birth_before_1900_are_refused(force, api_for, born):
    client = api_for(force, "incidents:write")
    r = client.post(
        "/api/v1/people/",
        {"given_name": "Sam", "family_name": "Lee", "date_of_birth": born},
        format="json",
    )
    _json_error(r, 400, "date_of_birth_too_early", "date_of_birth")
    assert not Person.objects.exists()
    ok = client.post(
        "/api/v1/people/",
        {"given_name": "Sam", "family_name": "Lee", "date_of_birth": "1900-01-01"},
        format="json",
    )
    assert ok.status_code == 201


def test_the_page_refuses_the_same_dates(force):
    from django.core.exceptions import ValidationError

    from core.form_fields import DateOfBirthField, LocalDateTimeField

    with pytest.raises(ValidationError):
        DateOfBirthField().clean({"day": "31", "month": "12", "year": "1899"})
    with pytest.raises(ValidationError):
        LocalDateTimeField().clean({"day": "29", "month": "9", "year": "1983", "time": "10:00"})
    LocalDateTimeField().clean({"day": "30", "month": "9", "year": "1983", "time": "10:00"})


def _deep(depth):
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [100_000, 33])
@pytest.mark.parametrize("key", [None, "deep-1"])
def test_deeply_nested_json_is_400(force, api_for, depth, key):
    client = api_for(force, "incidents:write")
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    r = client.post(
        "/api/v1/people/", data=_deep(depth), content_type="application/json", **headers
    )
    _json_error(r, 400, "parse_error", None)
    assert not Person.objects.exists()


def test_json_within_the_limit_is_read(force, api_for):
    nested = {"a": json.loads(_deep(20))}
    assert api_doors.json_problem(nested, api_doors.MAX_JSON_DEPTH) is None
    assert "nested" in api_doors.json_problem(json.loads(_deep(33)), 32)
    assert "NUL" in api_doors.json_problem({"a": [{"b\x00": 1}]}, 32)


def test_nul_characters_are_400_not_500(force, api_for):
    """schemathesis: a NUL in a slug reached PostgreSQL (a 500)."""
    r = api_for(force, "places:write").post(
        "/api/v1/places-of-safety/",
        {"name": "Suite", "kind": "other", "capacity": 2, "organisation": "\x00R"},
        format="json",
    )
    _json_error(r, 400, "parse_error", None)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/alerts/0.5/",
        "/api/v1/alerts/999999/",
        "/api/v1/alerts/abc/",
        "/api/v1/detentions/1.5/",
        "/api/v1/people/-1/",
        "/api/v1/no-such-thing/",
        "/api/v1/detentions/1/no-such-action/",
    ],
)
def test_unknown_and_non_integer_ids_are_json_404(force, path):
    client = Client()
    from accounts.services import issue_api_key

    _key, secret = issue_api_key(force, "k", ["alerts:read", "detentions:read", "incidents:read"])
    r = client.get(path, HTTP_AUTHORIZATION=f"Api-Key {secret}")
    _json_error(r, 404, "not_found", None)


def test_pages_keep_their_html_404(web):
    r = web.get("/no-such-page/")
    assert r.status_code == 404 and r["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("key", [None, "big-1"])
def test_an_oversize_body_is_413_json_even_with_an_idempotency_key(force, api_for, settings, key):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client = api_for(force, "incidents:write")
    body = json.dumps({"given_name": "x" * 20_000, "family_name": "Lee"})
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    r = client.post("/api/v1/people/", data=body, content_type="application/json", **headers)
    _json_error(r, 413, "request_too_large", None)
    assert not Person.objects.exists()


def test_a_body_too_big_read_by_a_middleware_is_413_json(force, settings):
    """Without a Content-Length (chunked), Django raises RequestDataTooBig where the body is
    read (here by the Idempotency-Key middleware): handler400 answers 413 JSON."""
    from django.core.exceptions import RequestDataTooBig

    request = RequestFactory().post("/api/v1/people/")
    response = api_doors.bad_request(request, RequestDataTooBig("too big"))
    _json_error(response, 413, "request_too_large", None)


def test_unsupported_media_type_is_415_json(force, api_for):
    r = api_for(force, "incidents:write").post(
        "/api/v1/people/", data="<person/>", content_type="application/xml"
    )
    _json_error(r, 415, "unsupported_media_type", None)


def test_server_errors_under_the_api_are_json():
    resolver = get_resolver()
    assert resolver.resolve_error_handler(500) is api_doors.server_error
    response = api_doors.server_error(RequestFactory().get("/api/v1/people/"))
    body = _json_error(response, 500)
    assert body["type"] == "server_error"
    page = api_doors.server_error(RequestFactory().get("/people/"))
    assert page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("value", ["null", "0", "2.5", "201", "-3", "abc"])
def test_page_size_must_be_1_to_200(force, api_for, value):
    r = api_for(force, "incidents:read").get("/api/v1/people/", {"page_size": value})
    body = _json_error(r, 400)
    assert body["errors"][0]["attr"] == "page_size"
    ok = api_for(force, "incidents:read").get("/api/v1/people/", {"page_size": "200"})
    assert ok.status_code == 200


@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("/api/v1/incidents/", "person"),
        ("/api/v1/detentions/", "person"),
        ("/api/v1/detentions/", "place_of_safety"),
        ("/api/v1/alerts/", "detention"),
        ("/api/v1/referrals/", "incident"),
    ],
)
def test_id_filters_take_whole_numbers_only(force, api_for, path, param):
    client = api_for(force, "incidents:read", "detentions:read", "alerts:read", "referrals:read")
    r = client.get(path, {param: "1.5"})
    body = _json_error(r, 400)
    assert body["errors"][0]["attr"] == param
    assert client.get(path, {param: "1"}).status_code == 200


@at_now
def test_a_number_is_not_a_string(force, api_for):
    client = api_for(force, "incidents:write")
    body = {
        "occurred_at": iso(T0),
        "category": "crisis_or_welfare_check",
        "rcrp_threshold": "risk_to_life",
        "officers": [{"officer_name": 123, "minutes": 30}],
    }
    # Django's client: the schema names nested attrs `officers.INDEX.officer_name`
    # (drf-standardized-errors), which the contract plugin cannot match to `officers.0...`.
    raw = Client(HTTP_AUTHORIZATION=client._credentials["HTTP_AUTHORIZATION"])
    r = raw.post("/api/v1/incidents/", json.dumps(body), content_type="application/json")
    _json_error(r, 400, "invalid", "officers.0.officer_name")
    r = client.post("/api/v1/people/", {"given_name": 5, "family_name": "Lee"}, format="json")
    _json_error(r, 400, "invalid", "given_name")
    assert not Incident.objects.exists() and not Person.objects.exists()


@pytest.mark.parametrize(
    ("path", "param", "value"),
    [
        ("/api/v1/incidents/", "occurred_to", ""),
        ("/api/v1/incidents/", "person", ""),
        ("/api/v1/detentions/", "status", ""),
        ("/api/v1/alerts/", "open", ""),
        ("/api/v1/alerts/", "open", "null"),
        ("/api/v1/alerts/", "open", "maybe"),
    ],
)
def test_empty_or_ignored_filter_values_are_refused(force, api_for, path, param, value):
    client = api_for(force, "incidents:read", "detentions:read", "alerts:read")
    r = client.get(path, {param: value})
    body = _json_error(r, 400)
    assert body["errors"][0]["attr"] == param
