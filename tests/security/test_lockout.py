"""Sign-in throttling (django-axes): 5 failures per username and IP address lock that pair out
for 15 minutes, with an accessible lockout page; the test client's sign-in still works."""

import datetime as dt

import pytest
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def attempt(client, username, password, ip="10.0.0.1"):
    return client.post("/sign-in/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_failures_lock_the_username_from_that_address(officer, time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC), tick=False)
    client = Client()
    for _ in range(4):
        r = attempt(client, "officer", "wrong-password-123")
        assert r.status_code == 200  # the sign-in page again, with its error
        assert "Please enter a correct username and password" in r.content.decode()
    r = attempt(client, "officer", "wrong-password-123")
    assert r.status_code == 429
    body = r.content.decode()
    assert "Sign-in is locked for now" in body
    assert "locked for 15 minutes" in body
    assert 'class="govuk-heading-l"' in body and "<h1" in body

    # Even the right password is refused while locked out.
    r = attempt(client, "officer", PASSWORD)
    assert r.status_code == 429
    assert "_auth_user_id" not in client.session

    # Another address, or another username from this address, is not locked.
    assert attempt(Client(), "officer", PASSWORD, ip="10.0.0.2").status_code == 302

    # After the cool-off the right password works again, and resets the count.
    time_machine.move_to(dt.datetime(2026, 6, 1, 12, 16, tzinfo=dt.UTC), tick=False)
    r = attempt(Client(), "officer", PASSWORD)
    assert r.status_code == 302


def test_a_success_resets_the_failure_count(officer):
    client = Client()
    for _ in range(4):
        attempt(client, "officer", "wrong-password-123")
    assert attempt(Client(), "officer", PASSWORD).status_code == 302
    for _ in range(4):
        assert attempt(Client(), "officer", "wrong-password-123").status_code == 200


def test_the_test_clients_sign_in_still_works(officer):
    client = Client()
    assert client.login(username="officer", password=PASSWORD)
    assert client.get("/").status_code == 200
    other = Client()
    other.force_login(officer)
    assert other.get("/").status_code == 200
