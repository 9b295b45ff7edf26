"""CSRF on every form: a POST without a token is refused (403) on every URL of the project,
pages and the session API alike, whether or not the URL accepts POST."""

import logging

import pytest
from django.test import Client

from tests.security.otp import sign_in
from tests.security.urlmap import all_routes, fill

pytestmark = pytest.mark.django_db

# URLs that take a POST without a CSRF token, each with its reason.
CSRF_EXEMPT: dict[str, str] = {
    # GOV.UK Notify's callbacks carry a bearer token, never a session cookie: a signed-in
    # browser's POST there is not the user's (the session opens nothing: 401, changes nothing).
    "notify-delivery-receipts": "bearer token only (alerts/notify_api.py)",
}


def test_every_post_without_a_token_is_refused(world, caplog):
    caplog.set_level(logging.ERROR, logger="django.request")
    problems, checked = [], 0
    for persona in ("officer", "admin"):
        client = sign_in(
            Client(enforce_csrf_checks=True, raise_request_exception=False),
            world.users[persona],
        )
        for route in all_routes():
            path = fill(route, world)
            if not path or route.name in CSRF_EXEMPT:
                continue
            response = client.post(path, {"x": "1"})
            checked += 1
            if response.status_code != 403:
                problems.append(f"{route.name} {path} ({persona}): {response.status_code}")
    assert checked > 150
    assert not problems, "\n".join(problems)


def test_the_sign_in_form_needs_its_token_too(officer):
    client = Client(enforce_csrf_checks=True)
    r = client.post("/sign-in/", {"username": "officer", "password": "x"})
    assert r.status_code == 403
