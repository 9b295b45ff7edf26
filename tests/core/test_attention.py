"""Issue 19: each role's home page opens on what needs attention now (core/attention.py), each
panel asking its app's policy: the right things for each role, nothing of another organisation,
and a query count that does not grow with the rows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import NPU
from accounts.roles import Role
from alerts.models import Alert, AlertKind
from assessments.models import AmhpServiceArea
from core import attention
from core.actor import acting_as, user_actor
from incidents.models import Incident
from places_of_safety.models import PlaceKind, PlaceOfSafety
from tests.pages.helpers import at_station, at_suite, make_person, make_places, start
from tests.security.otp import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(
    force,
    other_force,
    health_trust,
    acute_trust,
    local_authority,
    officer,
    outsider_officer,
    make_user,
):
    station, suite, _ed = make_places(force, health_trust, acute_trust)
    AmhpServiceArea.objects.create(organisation=local_authority, name="Midshire").places.add(suite)
    now = timezone.now()
    at_police = at_station(officer, make_person(force, "Stella", "Station"), station, now=now)
    in_suite = at_suite(officer, make_person(force, "Simon", "Suite"), suite, now=now)
    theirs_station = PlaceOfSafety.objects.create(
        name="Westshire Custody", kind=PlaceKind.POLICE_STATION, organisation=other_force
    )
    outsider = at_station(
        outsider_officer, make_person(other_force, "Olive", "Outsider"), theirs_station, now=now
    )
    npu = NPU.objects.get(force=force, code="NPU-N")
    users = {
        "officer": officer,
        "sergeant": make_user("sergeant", force, Role.CUSTODY_SERGEANT, rank="sergeant"),
        "inspector": make_user("inspector", force, Role.INSPECTOR, rank="inspector"),
        "superintendent": make_user("supt", force, Role.SUPERINTENDENT, rank="superintendent"),
        "nurse": make_user("nurse", health_trust, Role.PLACE_OF_SAFETY_STAFF),
        "amhp": make_user("amhp", local_authority, Role.AMHP),
        "doctor": make_user("doctor", health_trust, Role.DOCTOR),
        "auditor": make_user("auditor", force, Role.AUDITOR),
        "admin": make_user("admin", force, Role.ADMINISTRATOR),
        "outsider_sergeant": make_user(
            "wsergeant", other_force, Role.CUSTODY_SERGEANT, rank="sergeant"
        ),
    }
    from accounts.services import ensure_user
    from tests.conftest import PASSWORD

    users["npulead"] = ensure_user(
        "npulead",
        organisation=force,
        roles=[Role.NPU_LEAD],
        password=PASSWORD,
        display_name="Nia Lead",
        npu=npu,
    )
    # An approval asked of the inspector (how the approvals notify: an alert to the role).
    Alert.objects.create(
        kind=AlertKind.TRANSFER_REQUIRED,
        detention=at_police,
        due_at=now - timedelta(minutes=1),
        raised_at=now,
        organisations=[force.pk],
        roles=[Role.INSPECTOR],
    )
    return {
        "at_police": at_police,
        "in_suite": in_suite,
        "outsider": outsider,
        "users": users,
        "npu": npu,
    }


def _home(client, user):
    sign_in(client, user)
    response = client.get("/")
    assert response.status_code == 200
    return {p.key: p for p in response.context["panels"]}, response.content.decode()


def _panel_text(panel):
    return " ".join(str(i.text) for i in panel.items)


def test_a_custody_sergeant_sees_the_checks_due_with_time_left(client, world):
    panels, html = _home(client, world["users"]["sergeant"])
    checks = panels["checks_due"]
    assert checks.count == 1
    assert "Stella Station" in _panel_text(checks)
    assert "Welfare check due" in str(checks.items[0].detail)
    assert "left" in str(checks.items[0].detail)
    assert "Simon Suite" not in _panel_text(checks)  # a health-based suite: no checks
    assert "my_alerts" in panels
    assert "Olive Outsider" not in html


def test_the_home_alert_count_is_the_header_count(client, world):
    panels, html = _home(client, world["users"]["inspector"])
    alerts = panels["my_alerts"]
    assert alerts.count == 1
    assert "1 open alert" in html  # the header's count: the same query
    waiting = panels["waiting_for_you"]
    assert waiting.count == 1
    assert "Transfer from police station required" in _panel_text(waiting)


def test_a_superintendent_has_an_approvals_panel_of_their_own(client, world):
    panels, _html = _home(client, world["users"]["superintendent"])
    assert panels["waiting_for_you"].count == 0  # the alert asks the inspector, not them
    assert "checks_due" in panels


def test_a_response_officer_sees_their_detentions_and_incidents(client, world, force):
    officer = world["users"]["officer"]
    with acting_as(user_actor(officer)):
        Incident.objects.create(
            organisation=force,
            reference="INC-T-1",
            occurred_at=timezone.now() - timedelta(hours=1),
            category="crisis_or_welfare_check",
            created_by=officer,
        )
    panels, html = _home(client, officer)
    mine = panels["my_detentions"]
    assert mine.count == 2
    assert "Stella Station" in _panel_text(mine) and "Simon Suite" in _panel_text(mine)
    assert "Time limit" in str(mine.items[0].detail)
    assert panels["my_incidents"].count == 1
    assert "checks_due" not in panels  # no custody care for a response officer
    assert "Olive Outsider" not in html


def test_place_staff_see_who_is_at_their_place_by_name(client, world):
    panels, html = _home(client, world["users"]["nurse"])
    here = panels["people_here"]
    assert here.count == 1
    assert "Simon Suite" in _panel_text(here)
    assert "not yet handed over" in str(here.items[0].detail)
    assert "Stella Station" not in html  # at a police station, not theirs
    assert "checks_due" not in panels  # checks and reviews: the force's, at its stations
    assert "Olive Outsider" not in html


def test_an_amhp_sees_their_cases_and_the_waiting_count(client, world):
    panels, html = _home(client, world["users"]["amhp"])
    cases = panels["amhp_cases"]
    assert cases.count == 0
    assert "1 detention in your area waits for an AMHP" in str(cases.summary)
    assert "Stella Station" not in html and "Olive Outsider" not in html
    assert "doctor_waiting" not in panels


def test_a_doctor_sees_who_waits_for_assessment_not_the_amhp_worklist(client, world):
    panels, html = _home(client, world["users"]["doctor"])
    waiting = panels["doctor_waiting"]
    assert waiting.count == 1
    assert "Simon Suite" in _panel_text(waiting)
    assert "amhp_cases" not in panels
    assert "Olive Outsider" not in html


def test_an_npu_lead_sees_their_npu(client, world):
    panels, _html = _home(client, world["users"]["npulead"])
    npu = panels["npu_now"]
    assert "Northbridge" in str(npu.title)
    assert npu.link_url == "/reports/npu/NPU-N/"


def test_auditor_and_administrator_panels(client, world):
    panels, _html = _home(client, world["users"]["auditor"])
    assert panels["outside_access"].count == 0
    panels, _html = _home(client, world["users"]["admin"])
    assert "organisation" in panels
    assert "checks_due" not in panels


def test_another_forces_sergeant_sees_only_their_own(client, world):
    panels, html = _home(client, world["users"]["outsider_sergeant"])
    assert panels["checks_due"].count == 1
    assert "Olive Outsider" in _panel_text(panels["checks_due"])
    assert "Stella Station" not in html and "Simon Suite" not in html
    assert panels["my_alerts"].count == 0


def test_panels_need_a_signed_in_actor():
    assert attention.panels_for(None, None) == []


def _queries(client, user):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["sergeant", "officer", "nurse", "doctor", "inspector"])
def test_the_home_page_queries_do_not_grow_with_rows(
    client, world, force, who, django_assert_max_num_queries
):
    user = world["users"][who]
    sign_in(client, user)
    before = _queries(client, user)
    station = world["at_police"].current_place_of_safety
    suite = world["in_suite"].current_place_of_safety
    officer = world["users"]["officer"]
    now = timezone.now()
    for i in range(4):
        at_station(officer, make_person(force, f"Extra{i}", "Station"), station, now=now)
        at_suite(officer, make_person(force, f"More{i}", "Suite"), suite, now=now)
    start(officer, make_person(force, "Walking", "Street"), now=now)
    with django_assert_max_num_queries(before):
        assert client.get("/").status_code == 200
