"""The alerts inbox page, its acknowledge button and the header count on every page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alerts.models import Alert, AlertKind
from alerts.sweep import sweep

from .conftest import detain

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_station(force, station):
    now = timezone.now()
    d = detain(force, at=now - timedelta(minutes=90), place=station, now=now)
    sweep(now=now)
    return d


def test_the_inbox_lists_open_alerts_with_an_acknowledge_button(at_station, web, sergeant):
    page = web.as_user(sergeant).get("/alerts/")
    assert page.status_code == 200
    html = page.content.decode()
    assert at_station.reference in html
    assert "Welfare check overdue" in html and "For your role" in html
    assert html.count('action="/alerts/') == Alert.objects.filter(detention=at_station).count()


def test_acknowledging_from_the_page_records_who_and_moves_it_to_acknowledged(
    at_station, web, sergeant
):
    alert = Alert.objects.get(kind=AlertKind.WELFARE_CHECK_OVERDUE)
    client = web.as_user(sergeant)
    response = client.post(f"/alerts/{alert.pk}/acknowledge/", {"next": "/alerts/"})
    assert response.status_code == 302 and response.url == "/alerts/"
    alert.refresh_from_db()
    assert alert.acknowledged_by == "sergeant" and alert.acknowledged_at is not None
    assert alert.history.latest("history_date").changed_by == "sergeant"
    acknowledged = client.get("/alerts/?state=acknowledged").content.decode()
    assert "by sergeant" in acknowledged


def test_the_header_shows_the_open_count_for_the_users_roles_on_every_page(
    at_station, web, sergeant
):
    expected = Alert.objects.open().addressed_to(at_station.organisation_id, ["custody_sergeant"])
    n = expected.count()
    assert n == 2  # welfare check and review
    html = web.as_user(sergeant).get("/").content.decode()
    assert f"{n} open alerts" in html


def test_an_outsider_sees_no_alerts_and_cannot_acknowledge(at_station, web, outsider_officer):
    client = web.as_user(outsider_officer)
    assert at_station.reference not in client.get("/alerts/").content.decode()
    alert = Alert.objects.first()
    assert client.post(f"/alerts/{alert.pk}/acknowledge/").status_code == 404
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_the_place_operator_sees_alerts_at_its_place(force, suite, web, nurse):
    now = timezone.now()
    d = detain(force, at=now - timedelta(hours=2), place=suite, now=now)
    sweep(now=now)
    html = web.as_user(nurse).get("/alerts/").content.decode()
    assert d.reference in html and "Handover target missed" in html


def test_a_user_without_the_permission_is_refused(web, db):
    from accounts.models import User
    from accounts.permissions import Perm, has_perm

    nobody = User.objects.create_user("no-role", password="a-long-enough-password")
    assert not has_perm(nobody, Perm.VIEW_ALERTS)
    assert web.as_user(nobody).get("/alerts/").status_code == 403


def test_a_partner_user_has_an_inbox_for_alerts_addressed_to_them(web, make_user, partner_org):
    from accounts.roles import Role

    partner = make_user("liaison", partner_org, Role.PARTNER_USER)
    assert web.as_user(partner).get("/alerts/").status_code == 200


def test_signed_out_users_go_to_sign_in(client):
    assert client.get("/alerts/").status_code == 302


def test_the_inbox_takes_a_fixed_number_of_queries(
    force, station, web, sergeant, django_assert_num_queries
):
    now = timezone.now()
    detain(force, at=now - timedelta(minutes=90), place=station, now=now)
    sweep(now=now)
    client = web.as_user(sergeant)
    client.get("/alerts/")
    with CaptureQueriesContext(connection) as few:
        client.get("/alerts/")
    for _ in range(3):
        detain(force, at=now - timedelta(minutes=90), place=station, now=now)
    sweep(now=now)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/alerts/")
