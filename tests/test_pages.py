import pytest

from accounts.roles import Role
from tests.security.otp import sign_in_with_second_factor

pytestmark = pytest.mark.django_db


def test_sign_in_and_out(client, officer):
    from tests.conftest import PASSWORD

    page = client.get("/sign-in/")
    assert page.status_code == 200 and b"Sign in to Harbour" in page.content
    response = client.post("/sign-in/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert b"Signed in as" in client.get("/").content
    assert client.post("/sign-out/").status_code == 302
    assert client.get("/").status_code == 302


def test_wrong_password_shows_an_error_summary(client, officer):
    response = client.post("/sign-in/", {"username": "officer", "password": "wrong"})
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content


@pytest.mark.parametrize("role", list(Role))
def test_home_page_for_every_role(
    web, make_user, force, partner_org, local_authority, health_trust, role
):
    from accounts.roles import ROLE_ORGANISATION_KINDS

    org = next(
        o
        for o in (force, health_trust, local_authority, partner_org)
        if o.kind in ROLE_ORGANISATION_KINDS[role]
    )
    user = make_user(f"u-{role}", org, role)
    response = sign_in_with_second_factor(web.as_user(user), user).get("/")
    assert response.status_code == 200
    assert str(Role(role).label).encode() in response.content


def test_404_page_is_the_service_page(web, officer, settings):
    settings.DEBUG = False
    response = web.as_user(officer).get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_production_settings_refuse_to_start_without_a_secret_key():
    import subprocess
    import sys

    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "harbour.settings.production"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
