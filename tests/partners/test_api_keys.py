"""API key self-service (organisation administrators only) and per-key throttling."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiKey
from accounts.roles import Role
from accounts.services import issue_api_key, rotate_api_key
from accounts.tasks import revoke_expired_api_keys


@pytest.fixture
def admin(make_user, partner_org):
    return make_user("liaison-admin", partner_org, Role.ADMINISTRATOR)


@pytest.fixture
def outsider_admin(make_user, outsider_partner):
    return make_user("mind-admin", outsider_partner, Role.ADMINISTRATOR)


def _client_for(secret):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    return client


def test_issue_shows_the_secret_once(web, admin, partner_org):
    client = web.as_user(admin)
    r = client.post(
        "/organisation/api-keys/new/",
        {"name": "Case system", "scopes": ["referrals:read", "referrals:write"]},
    )
    key = ApiKey.objects.get(organisation=partner_org)
    assert r.status_code == 302 and r.url == f"/organisation/api-keys/{key.prefix}/secret/"
    page = client.get(r.url).content.decode()
    assert "shown only once" in page
    secret = page.split('id="api-key-secret" type="text" readonly value="')[1].split('"')[0]
    assert secret.startswith(key.prefix)
    assert ApiKey.objects.get_from_key(secret) == key
    assert key.scopes == ["referrals:read", "referrals:write"]
    assert key.created_by == admin
    again = client.get(r.url).content.decode()
    assert secret not in again and "can no longer be shown" in again
    listing = client.get("/organisation/api-keys/").content.decode()
    assert key.prefix in listing and secret not in listing
    assert _client_for(secret).get("/api/v1/referrals/").status_code == 200


def test_issue_needs_a_name_and_scopes(web, admin):
    r = web.as_user(admin).post("/organisation/api-keys/new/", {"name": ""})
    assert r.status_code == 400
    assert "Give the key a name." in r.content.decode()
    assert "Choose at least one scope." in r.content.decode()


def test_only_administrators_of_that_organisation(
    web, admin, outsider_admin, partner_user, partner_org
):
    key, _ = issue_api_key(partner_org, "Case system", ["referrals:read"])
    assert web.as_user(partner_user).get("/organisation/api-keys/").status_code == 403
    client = web.as_user(outsider_admin)
    assert key.prefix not in client.get("/organisation/api-keys/").content.decode()
    for action in ("rotate", "revoke", "secret"):
        assert client.get(f"/organisation/api-keys/{key.prefix}/{action}/").status_code == 404
    assert client.post(f"/organisation/api-keys/{key.prefix}/revoke/").status_code == 404
    key.refresh_from_db()
    assert not key.revoked


def test_rotate_with_overlap(web, admin, partner_org):
    old, old_secret = issue_api_key(partner_org, "Case system", ["referrals:read"])
    client = web.as_user(admin)
    assert client.get(f"/organisation/api-keys/{old.prefix}/rotate/").status_code == 200
    r = client.post(f"/organisation/api-keys/{old.prefix}/rotate/", {"overlap": "1"})
    new = ApiKey.objects.exclude(pk=old.pk).get()
    assert r.url == f"/organisation/api-keys/{new.prefix}/secret/"
    new_secret = client.get(r.url).content.decode().split('readonly value="')[1].split('"')[0]
    assert (new.name, new.scopes) == ("Case system", ["referrals:read"])
    old.refresh_from_db()
    assert timedelta(minutes=59) < old.expiry_date - timezone.now() <= timedelta(hours=1)
    # both work during the overlap
    assert _client_for(old_secret).get("/api/v1/referrals/").status_code == 200
    assert _client_for(new_secret).get("/api/v1/referrals/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert revoke_expired_api_keys() == 1
        assert _client_for(old_secret).get("/api/v1/referrals/").status_code == 401
        assert _client_for(new_secret).get("/api/v1/referrals/").status_code == 200


def test_rotation_default_overlap_is_a_day(partner_org):
    old, _ = issue_api_key(partner_org, "k", ["referrals:read"])
    now = timezone.now()
    rotate_api_key(old, now=now)
    old.refresh_from_db()
    assert old.expiry_date == now + timedelta(hours=24)


def test_revoke_with_confirmation(web, admin, partner_org):
    key, secret = issue_api_key(partner_org, "Case system", ["referrals:read"])
    client = web.as_user(admin)
    page = client.get(f"/organisation/api-keys/{key.prefix}/revoke/")
    assert "Are you sure" in page.content.decode()
    key.refresh_from_db()
    assert not key.revoked  # a GET changes nothing
    r = client.post(f"/organisation/api-keys/{key.prefix}/revoke/")
    assert r.status_code == 302
    key.refresh_from_db()
    assert key.revoked
    assert key.history.first().changed_by == "liaison-admin"
    assert _client_for(secret).get("/api/v1/referrals/").status_code == 401


def test_last_used_time_is_recorded(partner_org):
    key, secret = issue_api_key(partner_org, "k", ["referrals:read"])
    assert key.last_used_at is None
    _client_for(secret).get("/api/v1/referrals/")
    key.refresh_from_db()
    assert key.last_used_at is not None


# --- throttling ----------------------------------------------------------------------------


@pytest.fixture
def low_rate(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "3/minute"},
    }
    cache.clear()  # the tests' own Redis database: no counts left from an earlier run
    yield
    cache.clear()


@pytest.mark.usefixtures("low_rate")
def test_throttled_per_key_with_429_in_the_standard_format(api_for, partner_org):
    first = api_for(partner_org, "referrals:read")
    second = api_for(partner_org, "referrals:read")
    for _ in range(3):
        assert first.get("/api/v1/referrals/").status_code == 200
    r = first.get("/api/v1/referrals/")
    assert r.status_code == 429
    assert r.json()["type"] == "client_error"
    assert r.json()["errors"][0]["code"] == "throttled"
    assert int(r["Retry-After"]) > 0
    # another key of the same organisation has its own allowance
    assert second.get("/api/v1/referrals/").status_code == 200


@pytest.mark.usefixtures("low_rate")
def test_throttled_per_user_for_sessions(api_as, partner_user):
    client = api_as(partner_user)
    codes = [client.get("/api/v1/referrals/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
