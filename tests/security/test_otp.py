"""Two-factor authentication: available to everyone, enforced for administrators, auditors and
the force mental health lead, before any other page or the session API."""

import datetime as dt

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.otp import current_code
from accounts.roles import Role
from tests.conftest import PASSWORD
from tests.security.otp import device_for, pass_second_factor

pytestmark = pytest.mark.django_db


def password_sign_in(username):
    client = Client()
    r = client.post("/sign-in/", {"username": username, "password": PASSWORD})
    assert r.status_code == 302, r.content[:500]
    return client


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.AUDITOR, Role.MH_TACTICAL_ADVISER])
def test_enforced_roles_without_a_device_are_sent_to_set_one_up(
    make_user, force, role, time_machine
):
    time_machine.move_to(dt.datetime(2026, 6, 1, 12, 0, 5, tzinfo=dt.UTC), tick=False)
    make_user("enforced", force, role)
    client = password_sign_in("enforced")
    r = client.get("/detentions/")
    assert r.status_code == 302
    assert r["Location"].startswith("/account/two-factor/?next=")
    # The session API is refused too (API keys are unaffected).
    r = client.get("/api/v1/detentions/")
    assert r.status_code == 403
    assert r.json()["errors"][0]["code"] == "two_factor_required"

    page = client.get("/account/two-factor/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Set up two-factor authentication" in body
    assert 'src="data:image/svg+xml' in body
    device = TOTPDevice.objects.get(user__username="enforced", confirmed=False)

    wrong = client.post("/account/two-factor/", {"otp_token": "000000"})
    if current_code(device) != "000000":
        assert wrong.status_code == 400
        assert "The code is not right" in wrong.content.decode()
    device.refresh_from_db()
    # A failure slows the next try down (django-otp's throttling): refused within a second...
    r = client.post("/account/two-factor/", {"otp_token": current_code(device)})
    assert r.status_code == 400
    # ...and accepted a few seconds later.
    time_machine.move_to(dt.datetime(2026, 6, 1, 12, 0, 9, tzinfo=dt.UTC), tick=False)
    r = client.post(
        "/account/two-factor/", {"otp_token": current_code(device), "next": "/detentions/"}
    )
    assert r.status_code == 302 and r["Location"] == "/detentions/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200


def test_an_enforced_user_with_a_device_passes_the_code_step(auditor):
    device = device_for(auditor)
    client = password_sign_in("auditor")
    r = client.get("/audit/")
    assert r.status_code == 302 and r["Location"].startswith("/account/two-factor/verify/")
    # No way round it: the set-up page sends them back to verify (no second device).
    assert client.get("/account/two-factor/")["Location"] == "/account/two-factor/verify/"

    r = client.post("/account/two-factor/verify/", {"otp_token": "12"})
    assert r.status_code == 400
    assert "Enter the code as 6 digits" in r.content.decode()
    r = client.post("/account/two-factor/verify/", {"otp_token": current_code(device), "next": "/"})
    assert r.status_code == 302 and r["Location"] == "/"
    assert client.get("/").status_code == 200
    # Signing out still works before and after.
    assert client.post("/sign-out/").status_code == 302


def test_a_code_cannot_be_used_twice(auditor):
    device = device_for(auditor)
    first = password_sign_in("auditor")
    code = current_code(device)
    assert first.post("/account/two-factor/verify/", {"otp_token": code}).status_code == 302
    second = password_sign_in("auditor")
    assert second.post("/account/two-factor/verify/", {"otp_token": code}).status_code == 400


def test_other_roles_may_set_it_up_but_are_not_forced(officer):
    client = password_sign_in("officer")
    assert client.get("/detentions/").status_code == 200
    assert client.get("/account/two-factor/").status_code == 200
    device = TOTPDevice.objects.get(user=officer)
    client.post("/account/two-factor/", {"otp_token": current_code(device)})
    device.refresh_from_db()
    assert device.confirmed
    # Once set up, their next sign-in is not forced through it (not enforced for the role).
    assert password_sign_in("officer").get("/detentions/").status_code == 200


def test_the_explicit_test_helper_satisfies_enforcement(client, auditor):
    client.force_login(auditor)
    assert client.get("/").status_code == 302
    pass_second_factor(client, auditor)
    assert client.get("/").status_code == 200
