"""Every successful read of a detention, a person or a referral is logged (page and API), with
who, when, from where and, outside normal access, why; the log costs a small fixed number of
queries per request."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from accounts.roles import Role
from audit.models import AccessLog
from tests.security.otp import sign_in_with_second_factor

UA = "Mozilla/5.0 (test) Harbour"


@pytest.mark.django_db
def test_an_officer_viewing_a_detention_page_is_logged_with_who_when_where_and_what(
    web, officer, arrived, force
):
    response = web.as_user(officer).get(
        f"/detentions/{arrived.pk}/", HTTP_USER_AGENT=UA, REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 200
    row = AccessLog.objects.get()
    assert (row.actor_kind, row.actor_label, row.user_id, row.actor_organisation_id) == (
        "user",
        "officer",
        officer.pk,
        force.pk,
    )
    assert (row.record_model, row.record_id, row.record_organisation_id, row.person_id) == (
        "incidents.detention",
        str(arrived.pk),
        force.pk,
        arrived.person_id,
    )
    assert (row.channel, row.method, row.path, row.status_code) == (
        "page",
        "GET",
        f"/detentions/{arrived.pk}/",
        200,
    )
    assert (str(row.ip_address), row.user_agent) == ("10.1.2.3", UA)
    assert (row.outside_normal_roles, row.reason) == (False, "")


@pytest.mark.django_db
def test_a_person_page_is_logged_against_the_person(web, officer, person):
    assert web.as_user(officer).get(f"/people/{person.pk}/").status_code == 200
    row = AccessLog.objects.get()
    assert (row.record_model, row.person_id) == ("incidents.person", person.pk)


@pytest.mark.django_db
def test_a_place_operator_viewing_a_detention_at_its_place_is_normal_access(
    web, nurse, arrived, health_trust, force
):
    assert web.as_user(nurse).get(f"/detentions/{arrived.pk}/").status_code == 200
    row = AccessLog.objects.get()
    assert (row.actor_organisation_id, row.record_organisation_id) == (health_trust.pk, force.pk)
    assert row.outside_normal_roles is False


@pytest.mark.django_db
def test_an_api_key_read_is_logged_with_the_key(api_for, force, arrived):
    client = api_for(force, "detentions:read", name="cad-system")
    response = client.get(f"/api/v1/detentions/{arrived.pk}/", HTTP_USER_AGENT="cad/1.0")
    assert response.status_code == 200, response.content[:300]
    row = AccessLog.objects.get()
    assert (row.actor_kind, row.actor_label, row.api_key_id, row.user_id) == (
        "api_key",
        "cad-system",
        str(client.key.pk),
        None,
    )
    assert (row.channel, row.record_model, row.person_id, row.user_agent) == (
        "api",
        "incidents.detention",
        arrived.person_id,
        "cad/1.0",
    )


@pytest.mark.django_db
def test_failed_reads_and_lists_are_not_logged(web, api_for, outsider_officer, officer, arrived):
    assert web.as_user(outsider_officer).get(f"/detentions/{arrived.pk}/").status_code == 404
    assert web.as_user(officer).get("/detentions/999999/").status_code == 404
    assert web.as_user(officer).get("/detentions/").status_code == 200  # the board: a list
    assert AccessLog.objects.count() == 0


@pytest.mark.django_db
def test_an_auditor_gives_a_reason_before_the_record_is_shown(web, auditor, arrived):
    client = web.as_user(auditor)
    url = f"/detentions/{arrived.pk}/"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/audit/access/reason/?")
    assert AccessLog.objects.count() == 0

    prompt = client.get(response["Location"])
    assert prompt.status_code == 200
    assert "Reason for access" in prompt.content.decode()
    refused = client.post(
        "/audit/access/reason/",
        {"model": "incidents.detention", "pk": arrived.pk, "next": url, "reason": ""},
    )
    assert refused.status_code == 200
    assert "Enter the reason you need to look at this record." in refused.content.decode()

    given = client.post(
        "/audit/access/reason/",
        {
            "model": "incidents.detention",
            "pk": arrived.pk,
            "next": url,
            "reason": "IOPC referral 2026/123: review of the detention",
        },
    )
    assert (given.status_code, given["Location"]) == (302, url)
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # the reason is remembered for a while
    rows = list(AccessLog.objects.all())
    assert len(rows) == 2
    assert all(r.outside_normal_roles for r in rows)
    assert {r.reason for r in rows} == {"IOPC referral 2026/123: review of the detention"}


@pytest.mark.django_db
def test_the_reason_expires(web, auditor, arrived, time_machine):
    client = web.as_user(auditor)
    url = f"/detentions/{arrived.pk}/"
    client.post(
        "/audit/access/reason/",
        {"model": "incidents.detention", "pk": arrived.pk, "next": url, "reason": "Audit 2026-11"},
    )
    assert client.get(url).status_code == 200
    time_machine.move_to(
        __import__("django.utils.timezone").utils.timezone.now()
        + __import__("datetime").timedelta(minutes=31)
    )
    assert client.get(url).status_code == 302


@pytest.mark.django_db
def test_an_api_read_outside_normal_access_needs_the_x_access_reason_header(
    api_as, auditor, arrived
):
    client = api_as(auditor)
    url = f"/api/v1/detentions/{arrived.pk}/"
    refused = client.get(url)
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["code"] == "access_reason_required"
    assert "reference" not in refused.content.decode()
    assert AccessLog.objects.count() == 0
    ok = client.get(url, HTTP_X_ACCESS_REASON="Coroner's request CR-77")
    assert ok.status_code == 200
    row = AccessLog.objects.get()
    assert (row.channel, row.outside_normal_roles, row.reason) == (
        "api",
        True,
        "Coroner's request CR-77",
    )


@pytest.mark.django_db
def test_auditors_see_who_viewed_a_person_and_others_may_not(
    web, officer, auditor, arrived, make_user, force
):
    web.as_user(officer).get(f"/detentions/{arrived.pk}/")
    web.as_user(officer).get(f"/people/{arrived.person_id}/")
    web.logout()
    page = web.as_user(auditor).get(f"/audit/access/?person={arrived.person_id}")
    assert page.status_code == 200
    body = page.content.decode()
    assert body.count("officer") >= 2
    # Each record by its kind and its reference or name, not its internal label and id.
    assert f"Detention {arrived.reference}" in body
    assert f"Person {arrived.person}" in body
    assert f"incidents.detention {arrived.pk}" not in body
    web.logout()
    assert web.as_user(officer).get("/audit/access/").status_code == 403


@pytest.mark.django_db
def test_the_access_log_page_has_a_fixed_number_of_queries(web, auditor, officer, arrived):
    client = web.as_user(auditor)
    client.get("/audit/access/")  # warm the session
    web.as_user(officer).get(f"/detentions/{arrived.pk}/")
    client = web.as_user(auditor)
    with CaptureQueriesContext(connection) as one:
        client.get("/audit/access/")
    for _ in range(5):
        web.as_user(officer).get(f"/detentions/{arrived.pk}/")
    client = web.as_user(auditor)
    with CaptureQueriesContext(connection) as six:
        client.get("/audit/access/")
    assert len(six) == len(one)


def _without_access_log():
    return [m for m in settings.MIDDLEWARE if m != "audit.access.AccessLogMiddleware"]


def _count(make_client, url, *, logged: bool, **extra) -> int:
    """Queries for one warm GET of `url` with or without the access-log middleware (a new
    client, so the middleware chain is built from the settings in force)."""
    mw = settings.MIDDLEWARE if logged else _without_access_log()
    with override_settings(MIDDLEWARE=mw):
        client = make_client()
        assert client.get(url, **extra).status_code == 200  # warm: session, caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, **extra).status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", ["officer", "nurse", "auditor"])
def test_logging_a_page_view_adds_at_most_three_queries(request, viewer, arrived):
    from django.test import Client

    user = request.getfixturevalue(viewer)
    url = f"/detentions/{arrived.pk}/"

    def make():
        client = Client()
        client.force_login(user)
        sign_in_with_second_factor(client, user)  # auditors (tests/security/otp.py)
        if viewer == "auditor":
            client.post(
                "/audit/access/reason/",
                {"model": "incidents.detention", "pk": arrived.pk, "reason": "Audit 2026-11"},
            )
        return client

    before = AccessLog.objects.count()
    extra = _count(make, url, logged=True) - _count(make, url, logged=False)
    assert AccessLog.objects.count() == before + 2
    # find the owners, (for a partner or an auditor) check visibility, insert the row
    assert 1 <= extra <= 3


@pytest.mark.django_db
def test_logging_an_api_read_adds_at_most_three_queries(api_for, force, arrived):
    url = f"/api/v1/detentions/{arrived.pk}/"

    def make():
        return api_for(force, "detentions:read")

    extra = _count(make, url, logged=True) - _count(make, url, logged=False)
    assert 1 <= extra <= 3


@pytest.mark.django_db
def test_requests_for_other_pages_cost_no_extra_query(officer, arrived):
    from django.test import Client

    def make():
        client = Client()
        client.force_login(officer)
        return client

    assert _count(make, "/detentions/", logged=True) == _count(make, "/detentions/", logged=False)


@pytest.mark.django_db
def test_a_referral_is_logged_for_the_receiving_partner_page_and_api(
    web, api_for, make_user, force, partner_org, officer, arrived
):
    from partners.services import send_referral

    referral = send_referral(
        from_organisation=force,
        to_organisation=partner_org,
        service="liaison_diversion",
        person=arrived.person,
        detention=arrived,
        reason="Support after detention",
        urgency="routine",
        consent="given",
        created_by=officer,
    )
    partner = make_user("liaison", partner_org, Role.PARTNER_USER)
    assert web.as_user(partner).get(f"/referrals/{referral.pk}/").status_code == 200
    key = api_for(partner_org, "referrals:read", name="liaison-system")
    assert key.get(f"/api/v1/referrals/{referral.pk}/").status_code == 200
    rows = list(AccessLog.objects.order_by("id"))
    assert [(r.channel, r.actor_label, r.record_model) for r in rows] == [
        ("page", "liaison", "partners.referral"),
        ("api", "liaison-system", "partners.referral"),
    ]
    assert {(r.person_id, r.record_organisation_id, r.outside_normal_roles) for r in rows} == {
        (arrived.person_id, force.pk, False)
    }
