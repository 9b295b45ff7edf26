"""Sessions end after 30 minutes without a request; cookies are HTTP-only."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


def test_an_idle_session_is_signed_out(officer, time_machine):
    time_machine.move_to(T0, tick=False)
    client = Client()
    assert (
        client.post("/sign-in/", {"username": "officer", "password": PASSWORD}).status_code == 302
    )
    # Activity keeps it alive: a request every 20 minutes for an hour.
    for minutes in (20, 40, 60):
        time_machine.move_to(T0 + dt.timedelta(minutes=minutes), tick=False)
        assert client.get("/detentions/").status_code == 200
    # 31 minutes with no request: signed out, back to sign in with a message.
    time_machine.move_to(T0 + dt.timedelta(minutes=91), tick=False)
    r = client.get("/detentions/")
    assert r.status_code == 302 and r["Location"].startswith("/sign-in/?next=")
    assert "_auth_user_id" not in client.session
    page = client.get(r["Location"])
    assert "signed out because you were inactive" in page.content.decode()


def test_an_idle_api_session_is_refused(officer, time_machine):
    time_machine.move_to(T0, tick=False)
    client = Client()
    client.force_login(officer)
    assert client.get("/api/v1/detentions/").status_code == 200
    time_machine.move_to(T0 + dt.timedelta(minutes=31), tick=False)
    assert client.get("/api/v1/detentions/").status_code in (401, 403)


def test_cookie_settings():
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.HARBOUR_SECURITY["IDLE_TIMEOUT"] == dt.timedelta(minutes=30)
