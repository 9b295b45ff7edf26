"""GOV.UK: a page that shows an error puts "Error: " before its title. base.html does it once
for every page (core/templatetags/govuk.py `page_has_errors`); these pages stand for the apps."""

import re

import pytest

from accounts.roles import Role
from places_of_safety.models import PlaceKind, PlaceOfSafety

pytestmark = pytest.mark.django_db


def _title(response) -> str:
    match = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    assert match, "the page has no title"
    return " ".join(match.group(1).split())


def test_sign_in_with_a_wrong_password(client, officer):
    response = client.post("/sign-in/", {"username": "officer", "password": "wrong"})
    assert response.status_code == 200
    assert _title(response) == "Error: Sign in – Harbour"


def test_sign_in_page_without_an_error_has_no_prefix(client):
    assert _title(client.get("/sign-in/")) == "Sign in – Harbour"


def _check(client, url, data, method="post"):
    before = _title(client.get(url))
    assert not before.startswith("Error:")
    response = getattr(client, method)(url, data)
    assert response.status_code in (200, 400)
    assert "govuk-error-summary" in response.content.decode()
    assert _title(response) == f"Error: {before}"


def test_the_detention_form(web, officer):
    _check(web.as_user(officer), "/detentions/start/all/", {})


def test_the_api_key_form(web, make_user, partner_org):
    admin = make_user("orgadmin", partner_org, Role.ADMINISTRATOR)
    _check(web.as_user(admin), "/organisation/api-keys/new/", {"name": ""})


def test_the_report_filters(web, make_user, force):
    lead = make_user("npulead", force, Role.NPU_LEAD)
    bad = {"date_from": "2026-02-01", "date_to": "2026-01-01"}
    _check(web.as_user(lead), "/reports/", bad, method="get")


def test_a_place_status_without_its_reason(web, nurse, health_trust):
    place = PlaceOfSafety.objects.create(
        name="Northbridge s136 Suite", kind=PlaceKind.HEALTH_BASED, organisation=health_trust
    )
    client = web.as_user(nurse)
    response = client.post(f"/places-of-safety/{place.pk}/status/", {"status": "closed"})
    assert response.status_code == 200
    assert _title(response).startswith("Error: Northbridge s136 Suite")


def test_a_page_whose_error_comes_from_no_form(web, officer):
    """The incident list checks its filters by hand: its view says the page shows an error."""
    client = web.as_user(officer)
    assert not _title(client.get("/incidents/")).startswith("Error:")
    response = client.get("/incidents/?from=nonsense")
    assert "govuk-error-summary" in response.content.decode()
    assert _title(response).startswith("Error: ")
