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
