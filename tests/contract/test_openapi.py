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
