"""Validate API responses against the OpenAPI schema drf-spectacular generates.

    from tests.contract.schema import assert_matches_schema
    response = api.get("/api/v1/referrals/")
    assert_matches_schema(response)

The schema is generated once per test session from the live URLconf (exactly what
`/api/v1/schema/` serves). A response is matched to its operation by method and path template;
its status code must be documented, and a JSON body must validate against the documented
schema (OpenAPI 3.0 `nullable` is translated to JSON Schema; `$ref`s are resolved).

To validate every response a test makes with DRF's APIClient, use the `openapi_validation`
fixture (tests/contract/plugin.py): `pytestmark = pytest.mark.usefixtures("openapi_validation")`.
"""

from __future__ import annotations

import functools
import json
import re

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

BASE = "urn:harbour-openapi"
SKIP_PATHS = ("/api/v1/schema/", "/api/v1/docs/")


@functools.cache
def openapi_document() -> dict:
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema, renderer_context={}))


def _to_json_schema(node):
    """OpenAPI 3.0 schema object -> JSON Schema 2020-12 (nullable, $ref base)."""
    if isinstance(node, list):
        return [_to_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "$ref" and isinstance(value, str) and value.startswith("#/"):
            out[key] = BASE + value
        elif key in ("nullable", "readOnly", "writeOnly", "example", "discriminator", "xml"):
            continue
        elif key == "properties" and isinstance(value, dict):
            out[key] = {name: _to_json_schema(sub) for name, sub in value.items()}
        else:
            out[key] = _to_json_schema(value)
    if node.get("nullable"):
        return {"anyOf": [out, {"type": "null"}]}
    return out


@functools.cache
def _registry() -> Registry:
    doc = _to_json_schema(openapi_document())
    return Registry().with_resource(BASE, Resource.from_contents(doc, DRAFT202012))


@functools.cache
def _path_patterns() -> list[tuple[re.Pattern, str]]:
    patterns = []
    for template in openapi_document()["paths"]:
        regex = re.sub(r"\\\{[^}]+\\\}", r"[^/]+", re.escape(template))
        patterns.append((re.compile(f"^{regex}$"), template))
    # Literal paths before templated ones (`referrals/inbox/` would beat `referrals/{id}/`).
    patterns.sort(key=lambda p: p[1].count("{"))
    return patterns


def operation_for(method: str, path: str) -> tuple[str, dict]:
    for regex, template in _path_patterns():
        if regex.match(path):
            operations = openapi_document()["paths"][template]
            op = operations.get(method.lower())
            if op is None:
                raise AssertionError(f"{method} {template} is not documented in the schema")
            return template, op
    raise AssertionError(f"{path} matches no path in the OpenAPI schema")


def is_documented(method: str, path: str) -> bool:
    """True when the schema has an operation for this method and (concrete) path."""
    try:
        operation_for(method, path)
    except AssertionError:
        return False
    return True


def response_schema(method: str, path: str, status_code: int) -> dict | None:
    template, op = operation_for(method, path)
    responses = op.get("responses", {})
    spec = responses.get(str(status_code)) or responses.get(f"{str(status_code)[0]}XX")
    spec = spec or responses.get("default")
    if spec is None:
        raise AssertionError(
            f"{method} {template} answered {status_code}, which the schema does not document "
            f"(documented: {', '.join(sorted(responses))})"
        )
    content = spec.get("content") or {}
    media = content.get("application/json")
    return media.get("schema") if media else None


def assert_matches_schema(response, *, method: str | None = None, path: str | None = None):
    """Fails when the response's status or body does not match the OpenAPI schema."""
    request = getattr(response, "wsgi_request", None)
    method = method or request.method
    path = path or request.path
    if any(path.startswith(p) for p in SKIP_PATHS):
        return response
    schema = response_schema(method, path, response.status_code)
    if schema is None or response.status_code == 204 or not response.content:
        return response
    content_type = response.get("Content-Type", "")
    if "json" not in content_type:
        return response
    body = json.loads(response.content)
    validator = jsonschema.Draft202012Validator(_to_json_schema(schema), registry=_registry())
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors]
        raise AssertionError(
            f"{method} {path} -> {response.status_code} does not match the OpenAPI schema:\n"
            + "\n".join(lines[:20])
        )
    return response
