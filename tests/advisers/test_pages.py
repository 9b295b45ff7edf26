"""Roster pages: week view, gaps flagged, fixed queries, permissions (wrong role 403, other force
404), and the on-duty panel on the detentions board."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from advisers import services
from advisers.models import Function, RosterShift
from tests.advisers.helpers import sign_in

from .conftest import local_parts, utc

pytestmark = pytest.mark.django_db

NOW = utc(2026, 10, 22, 12)  # a Thursday; the clocks go back on Sunday 25 October


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


@time_machine.travel(NOW, tick=False)
def test_the_week_view_shows_shifts_per_function_and_flags_gaps(web, force, mh_lead, adviser2):
    services.add_shift(
        force=force,
        function=Function.CUSTODY,
        adviser=mh_lead,
        starts_at=utc(2026, 10, 24, 21),
        ends_at=utc(2026, 10, 25, 7),
    )
    body = sign_in(web, mh_lead).get("/advisers/roster/?from=2026-10-24").content.decode()
    assert "Mhlead: Sat 22:00 BST – Sun 07:00 GMT" in body
    assert "(10 hours)" in body  # the real elapsed time across the change
    assert "gaps in cover in the coming 7 days" in body
    assert "Nobody rostered" in body


@time_machine.travel(NOW, tick=False)
def test_the_roster_takes_a_fixed_number_of_queries(web, force, mh_lead, adviser2):
    client = sign_in(web, mh_lead)
    client.get("/advisers/roster/")
    few = queries(client, "/advisers/roster/")
    for d in range(6):
        for adviser, fn in ((mh_lead, Function.CUSTODY), (adviser2, Function.RESPONSE)):
            services.add_shift(
                force=force,
                function=fn,
                adviser=adviser,
                starts_at=NOW + dt.timedelta(days=d),
                ends_at=NOW + dt.timedelta(days=d, hours=10),
            )
    assert queries(client, "/advisers/roster/") == few


def test_roster_permissions(web, force, mh_lead, make_user, other_force, nurse, officer):
    shift = services.add_shift(
        force=force,
        function=Function.RESPONSE,
        adviser=mh_lead,
        starts_at=utc(2026, 5, 1, 8),
        ends_at=utc(2026, 5, 1, 18),
    )
    # An officer sees the roster but cannot change it.
    assert sign_in(web, officer).get("/advisers/roster/").status_code == 200
    assert sign_in(web, officer).get("/advisers/roster/shifts/new/").status_code == 403
    assert sign_in(web, officer).get(f"/advisers/roster/shifts/{shift.pk}/").status_code == 403
    # A partner's staff see nothing of it.
    assert sign_in(web, nurse).get("/advisers/roster/").status_code == 403
    # Another force's lead cannot reach this force's shifts.
    west = make_user("westlead", other_force, Role.MH_TACTICAL_ADVISER)
    client = sign_in(web, west)
    assert client.get(f"/advisers/roster/shifts/{shift.pk}/").status_code == 404
    assert client.post(f"/advisers/roster/shifts/{shift.pk}/delete/").status_code == 404
    assert "Mhlead" not in client.get("/advisers/roster/").content.decode()
    assert RosterShift.objects.filter(pk=shift.pk).exists()
    web.logout()
    assert web.get("/advisers/roster/").status_code == 302


def test_an_inspector_edits_and_removes_a_shift(web, force, mh_lead, inspector):
    shift = services.add_shift(
        force=force,
        function=Function.RESPONSE,
        adviser=mh_lead,
        starts_at=utc(2026, 5, 1, 7),
        ends_at=utc(2026, 5, 1, 17),
    )
    client = sign_in(web, inspector)
    page = client.get(f"/advisers/roster/shifts/{shift.pk}/")
    assert 'value="08:00"' in page.content.decode()  # shown in BST
    data = {"function": "custody", "adviser": str(mh_lead.pk), "notes": "swap"}
    data.update(local_parts("starts_at", 1, 5, 2026, "09:00"))
    data.update(local_parts("ends_at", 1, 5, 2026, "19:00"))
    assert client.post(f"/advisers/roster/shifts/{shift.pk}/", data).status_code == 302
    shift.refresh_from_db()
    assert (shift.function, shift.starts_at) == ("custody", utc(2026, 5, 1, 8))
    assert shift.history.latest().changed_by == "inspector"
    assert client.post(f"/advisers/roster/shifts/{shift.pk}/delete/").status_code == 302
    assert not RosterShift.objects.exists()


def test_the_detentions_board_shows_who_is_on_duty_now(web, force, sergeant, mh_lead):
    now = dt.datetime.now(dt.UTC)
    services.add_shift(
        force=force,
        function=Function.CUSTODY,
        adviser=mh_lead,
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=8),
    )
    body = sign_in(web, sergeant).get("/detentions/").content.decode()
    assert "Mental health tactical advisers on duty now" in body
    assert "Mhlead" in body and "No adviser on duty" in body
    assert "gaps in the coming week" in body
