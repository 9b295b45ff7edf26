"""Auditors read everything and change nothing: every unsafe request is refused on the server."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from places_of_safety.models import PlaceOfSafety
from tests.contract.schema import is_documented


def _paths(patterns=None, prefix=""):
    """Every URL in the project, with 1 for each argument (regex routes included)."""
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _paths(p.url_patterns, route)
            continue
        if not isinstance(p, URLPattern):
            continue
        route = route.replace("^", "").replace("$", "").replace("\\Z", "")
        route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
        route = re.sub(r"<(?:\w+:)?\w+>", "1", route)
        if any(c in route for c in "()[]*+?\\"):
            continue
        yield "/" + route


@pytest.mark.django_db
def test_an_auditor_is_refused_every_write_endpoint_and_page(api_as, auditor, openapi_validation):
    client = api_as(auditor)
    paths = sorted(
        {
            p
            for p in _paths()
            if not p.startswith(
                ("/sign-", "/audit/access/reason", "/static", "/account/two-factor/")
            )
        }
    )
    assert "/api/v1/detentions/" in paths and "/detentions/start/" in paths
    allowed = []
    for path in paths:
        for method in ("post", "put", "patch", "delete"):
            if path.startswith("/api/v1/") and not is_documented(method, path):
                # A method the API does not have: no schema to hold the refusal against.
                with openapi_validation.paused():
                    response = getattr(client, method)(path, {})
            else:
                response = getattr(client, method)(path, {})
            if response.status_code != 403:
                allowed.append((method, path, response.status_code))
    assert allowed == []


@pytest.mark.django_db
def test_representative_writes_are_refused_and_change_nothing(
    api_as, web, auditor, arrived, person
):
    place = PlaceOfSafety.objects.get()
    api = api_as(auditor)
    assert api.post("/api/v1/detentions/", {"person": person.pk}).status_code == 403
    assert api.patch(f"/api/v1/places-of-safety/{place.pk}/", {"capacity": 9}).status_code == 403
    assert api.post("/api/v1/people/", {"given_name": "A", "family_name": "B"}).status_code == 403
    page = web.as_user(auditor)
    assert page.post("/detentions/start/", {}).status_code == 403
    assert page.post(f"/detentions/{arrived.pk}/end/", {}).status_code == 403
    assert page.post(f"/people/{person.pk}/edit/", {}).status_code == 403
    assert (
        page.post(f"/admin/places_of_safety/placeofsafety/{place.pk}/change/", {}).status_code
        == 403
    )
    place.refresh_from_db()
    assert place.capacity == 2


@pytest.mark.django_db
def test_an_auditor_may_still_sign_out_and_give_a_reason(web, auditor, arrived):
    client = web.as_user(auditor)
    response = client.post(
        "/audit/access/reason/",
        {"model": "incidents.detention", "pk": arrived.pk, "reason": "Audit November 2026"},
    )
    assert response.status_code == 302
    assert client.post("/sign-out/").status_code == 302
