"""The whole API's OpenAPI schema: generated without warnings, and served at /api/v1/schema/."""

import pytest
from django.core.management import call_command

from .schema import openapi_document


def test_spectacular_has_no_warnings(tmp_path):
    """`manage.py spectacular --fail-on-warn` for the whole API as it is now."""
    out = tmp_path / "schema.yaml"
    try:
        call_command("spectacular", "--fail-on-warn", "--file", str(out))
    except SystemExit as exc:  # drf-spectacular exits non-zero on warnings
        pytest.fail(f"drf-spectacular reported warnings or errors (exit {exc.code}); see stderr")
    assert out.stat().st_size > 0


def test_every_path_is_under_the_base_path():
    assert all(p.startswith("/api/v1/") for p in openapi_document()["paths"])


def test_referral_contract_fields_are_in_the_schema():
    schemas = openapi_document()["components"]["schemas"]
    fixed = {
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
    assert fixed <= set(schemas["Referral"]["properties"])
    paths = openapi_document()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/referrals/"])
    assert "get" in paths["/api/v1/referrals/{id}/"]
    assert "post" in paths["/api/v1/referrals/{id}/status/"]
    params = {p["name"] for p in paths["/api/v1/referrals/"]["get"]["parameters"]}
    assert {
        "status",
        "urgency",
        "service",
        "to_organisation",
        "from_organisation",
        "incident",
        "detention",
        "page",
    } <= params
    # the 429 of throttling and the 409 of an invalid transition are documented
    assert "429" in paths["/api/v1/referrals/"]["get"]["responses"]
    assert "409" in paths["/api/v1/referrals/{id}/status/"]["post"]["responses"]


def test_schema_is_served(api_for, force):
    response = api_for(force, "referrals:read").get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    assert "/api/v1/referrals/" in response.json()["paths"]


def _codes(op, status):
    """The client-error codes an operation documents for `status`."""
    schemas = openapi_document()["components"]["schemas"]

    def resolve(node):
        while "$ref" in node:
            node = schemas[node["$ref"].rsplit("/", 1)[1]]
        return node

    body = resolve(op["responses"][status]["content"]["application/json"]["schema"])
    return set(resolve(body["properties"]["errors"]["items"])["properties"]["code"]["enum"])


def test_middleware_answers_are_documented():
    """core/openapi.py: what Idempotency-Key, the second factor and the access log answer."""
    paths = openapi_document()["paths"]
    post = paths["/api/v1/detentions/"]["post"]
    assert "Idempotency-Key" in {p["name"] for p in post["parameters"] if p["in"] == "header"}
    assert _codes(post, "422") == {"idempotency_key_reused"}
    assert "idempotency_request_in_progress" in _codes(post, "409")
    for path in ("/api/v1/detentions/{id}/", "/api/v1/people/{id}/", "/api/v1/referrals/{id}/"):
        get = paths[path]["get"]
        assert "X-Access-Reason" in {p["name"] for p in get["parameters"] if p["in"] == "header"}
        assert "access_reason_required" in _codes(get, "403")
    assert "two_factor_required" in _codes(paths["/api/v1/alerts/"]["get"], "403")
    assert "access_reason_required" not in _codes(paths["/api/v1/alerts/"]["get"], "403")


def test_detention_rule_refusals_are_documented():
    """incidents/api/detention_errors.py: the rule codes per action, and C7's 409."""
    paths = openapi_document()["paths"]
    assert "detention_ended" in _codes(paths["/api/v1/detentions/{id}/end/"]["post"], "409")
    assert "detention_ended" not in _codes(paths["/api/v1/detentions/"]["post"], "409")
    schemas = openapi_document()["components"]["schemas"]
    component = schemas["DetentionsCreatePlaceOfSafetyErrorComponent"]["properties"]
    assert "child_police_station" in component["code"]["enum"]
    component = schemas["DetentionsCreateLocationKindErrorComponent"]["properties"]
    assert "private_dwelling" in component["code"]["enum"]


def test_r1_recordable_refusals_are_described_in_the_error_schema(force, api_for, db):
    """core/openapi.py `describe_recordable_errors`: the error items that may carry a recordable
    code document `"recordable": true`; the others do not; and a real recordable refusal
    validates against its component even when no other property is allowed."""
    from datetime import timedelta

    import jsonschema
    import time_machine

    from core.api_errors import RECORDABLE_CODES
    from tests.api import helpers as h

    schemas = openapi_document()["components"]["schemas"]
    place = schemas["DetentionsArrivalCreatePlaceOfSafetyErrorComponent"]["properties"]
    assert place["recordable"]["type"] == "boolean" and place["recordable"]["enum"] == [True]
    assert "`child_police_station`" in place["recordable"]["description"]
    assert (
        "recordable"
        not in schemas["DetentionsWelfareChecksCreateCheckedAtErrorComponent"]["properties"]
    )
    described = 0
    for schema in schemas.values():
        properties = schema.get("properties") or {}
        codes = set((properties.get("code") or {}).get("enum") or ())
        if "attr" in properties and "detail" in properties:
            assert ("recordable" in properties) == bool(codes & RECORDABLE_CODES), schema
            described += "recordable" in properties
    assert described > 10

    # A 16-year-old taken to a police station: refused, recordable, and described exactly.
    station = h.place(force, "police_station", name="Castleford Custody", accepts_under_18=False)
    child = h.person(force, date_of_birth=h.T0.date().replace(year=h.T0.year - 16))
    d = h.detention(force, child)
    api = api_for(force, "detentions:read", "detentions:write")
    with time_machine.travel(h.NOW, tick=False):
        body = h.station_arrival(station, h.T0 + timedelta(minutes=30))
        r = api.post(h.url(d, "arrival"), body, format="json")
    assert r.status_code == 400, r.content
    [error] = r.json()["errors"]
    assert error["recordable"] is True
    strict = {**schemas["DetentionsArrivalCreatePlaceOfSafetyErrorComponent"]}
    strict["additionalProperties"] = False
    jsonschema.validate(error, strict)
