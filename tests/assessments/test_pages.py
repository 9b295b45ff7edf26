"""Assessment pages: the worklist, the assessment page, A3, the A2 countdown, permissions."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from assessments.models import AmhpServiceArea, AssessmentDetail
from detentions.models import Assessment, Detention
from tests.pages.helpers import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def detention(make_detention, suite, area):
    return make_detention(suite)


def url(name, detention=None, **kw):
    return reverse(
        f"assessments:{name}", args=[detention.pk] if detention else [], kwargs=kw or None
    )


# --------------------------------------------------------------------------- permissions
def test_the_worklist_shows_the_areas_active_detentions(web, amhp, detention):
    response = web.as_user(amhp).get(url("worklist"))
    assert response.status_code == 200
    assert detention.reference in response.content.decode()


def test_an_amhp_of_another_local_authority_sees_nothing(web, other_amhp, detention):
    client = web.as_user(other_amhp)
    response = client.get(url("worklist"))
    assert response.status_code == 200
    assert detention.reference not in response.content.decode()
    assert response.context["rows"] == []
    for name in ("detail", "no_mental_disorder", "amhp", "outcome", "amhp_arrived"):
        assert client.get(url(name, detention)).status_code == 404
    for name in ("take", "amhp_arrived", "amhp", "times", "outcome", "bed", "add_delay"):
        assert client.post(url(name, detention), {"outcome": "other"}).status_code == 404
    detention.refresh_from_db()
    assert detention.ended_at is None
    assert not AssessmentDetail.objects.filter(detention=detention).exists()


def test_a_police_officer_cannot_record_an_assessment(web, officer, detention):
    client = web.as_user(officer)
    assert client.get(url("worklist")).status_code == 403
    assert client.get(url("detail", detention)).status_code == 403
    response = client.post(url("outcome", detention), {"outcome": "discharged_no_follow_up"})
    assert response.status_code == 403
    detention.refresh_from_db()
    assert detention.ended_at is None


def test_signed_out_users_are_sent_to_sign_in(client, detention):
    response = client.get(url("worklist"))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_health_staff_at_the_place_see_the_assessment_page(web, doctor, detention):
    assert web.as_user(doctor).get(url("detail", detention)).status_code == 200


def test_a_case_the_local_authority_took_stays_visible_outside_its_area(
    web, amhp, make_detention, other_suite, local_authority
):
    elsewhere = make_detention(other_suite)
    client = web.as_user(amhp)
    assert client.get(url("detail", elsewhere)).status_code == 404
    AssessmentDetail.objects.create(detention=elsewhere, amhp_organisation=local_authority)
    assert client.get(url("detail", elsewhere)).status_code == 200


# --------------------------------------------------------------------------- worklist
def test_worklist_is_sorted_by_time_left_and_skips_ended_detentions(
    web, amhp, make_detention, suite, area
):
    now = dt.datetime.now(dt.UTC)
    later = make_detention(suite, detained_at=now - dt.timedelta(minutes=30))
    sooner = make_detention(suite, detained_at=now - dt.timedelta(hours=5))
    ended = make_detention(suite, detained_at=now - dt.timedelta(hours=2))
    services.record_outcome(ended, outcome="discharged_no_follow_up")
    rows = web.as_user(amhp).get(url("worklist")).context["rows"]
    assert [r.pk for r in rows] == [sooner.pk, later.pk]


def test_worklist_queries_do_not_grow_with_rows(
    web, amhp, make_detention, suite, area, django_assert_num_queries
):
    client = web.as_user(amhp)
    for _ in range(2):
        d = make_detention(suite)
        services.take_case(d, user=amhp)
        services.add_delay(d, reason="no_bed")
    client.get(url("worklist"))  # warm the session
    # The page's own query is one; the layout (session, user, membership, banners) adds a few.
    with CaptureQueriesContext(connection) as small:
        assert len(client.get(url("worklist")).context["rows"]) == 2
    # (The header's alert count asks the inbox's query, whose visibility test names detentions
    # in a subquery: it is the layout's, not the page's.)
    assert (
        sum(
            'FROM "incidents_detention"' in q["sql"] and '"alerts_alert"' not in q["sql"]
            for q in small.captured_queries
        )
        == 1
    )
    assert len(small.captured_queries) <= 8
    for _ in range(18):
        d = make_detention(suite)
        services.record_amhp_arrival(d)
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(client.get(url("worklist")).context["rows"]) == 20


def test_taking_a_case_from_the_worklist(web, amhp, detention, local_authority):
    response = web.as_user(amhp).post(url("take", detention), {"next": "worklist"})
    assert response.status_code == 302 and response["Location"] == url("worklist")
    detail = AssessmentDetail.objects.get(detention=detention)
    assert (detail.amhp_organisation, detail.amhp_user) == (local_authority, amhp)


def test_i_have_arrived_shows_the_time_now_and_records_an_earlier_one(web, amhp, detention):
    client = web.as_user(amhp)
    requested = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0) - dt.timedelta(minutes=30)
    services.record_assessment_progress(detention, amhp_requested_at=requested)
    client.post(url("take", detention))
    page = client.get(url("amhp_arrived", detention))
    assert page.status_code == 200
    shown = page.context["form"]["arrived_at"].value()
    assert shown is not None  # the time now, to the minute, shown and editable
    earlier = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0) - dt.timedelta(minutes=7)
    response = client.post(url("amhp_arrived", detention), local("arrived_at", earlier))
    assert response.status_code == 302
    assert Assessment.objects.get(detention=detention).amhp_arrived_at == earlier
    # A start a few minutes after that earlier arrival is accepted.
    started = earlier + dt.timedelta(minutes=3)
    response = client.post(url("times", detention), local("started_at", started))
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert Assessment.objects.get(detention=detention).started_at == started


def test_the_worklist_covers_the_npus_in_the_area(
    web, amhp, make_detention, other_suite, force, local_authority
):
    elsewhere = make_detention(other_suite)
    npu = force.npus.first()
    Detention.objects.filter(pk=elsewhere.pk).update(npu=npu)
    area = AmhpServiceArea.objects.create(organisation=local_authority, name="NPU area")
    area.npus.add(npu)
    rows = web.as_user(amhp).get(url("worklist")).context["rows"]
    assert [r.pk for r in rows] == [elsewhere.pk]


# --------------------------------------------------------------------------- the assessment page
def test_time_order_refusals_are_shown_next_to_the_field(web, amhp, detention):
    client = web.as_user(amhp)
    requested = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0) - dt.timedelta(minutes=10)
    services.record_assessment_progress(detention, amhp_requested_at=requested)
    arrived = requested - dt.timedelta(minutes=5)
    response = client.post(url("amhp", detention), local("amhp_arrived_at", arrived))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["amhp_arrived_at"]
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert 'id="id_amhp_arrived_at-error"' in html
    assert 'href="#id_amhp_arrived_at"' in html
    assert Assessment.objects.get(detention=detention).amhp_arrived_at is None


def test_saving_a_task_changes_only_what_was_changed(web, amhp, detention):
    client = web.as_user(amhp)
    services.take_case(detention, user=amhp)
    page = client.get(url("doctor", detention))
    data = {"doctor_name": "Dr Farouk", "doctor_s12_approved": "yes"}
    response = client.post(url("doctor", detention), data)
    assert response.status_code == 302, page.context["form"].errors
    a = Assessment.objects.get(detention=detention)
    assert (a.doctor_name, a.doctor_s12_approved) == ("Dr Farouk", True)
    assert a.amhp_requested_at is not None  # untouched


def test_recording_an_outcome_ends_the_detention(web, amhp, detention):
    now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    services.record_assessment_progress(
        detention,
        amhp_requested_at=now - dt.timedelta(minutes=30),
        amhp_arrived_at=now - dt.timedelta(minutes=20),
        amhp_name="Ruth",
        doctor_requested_at=now - dt.timedelta(minutes=30),
        doctor_arrived_at=now - dt.timedelta(minutes=20),
        doctor_name="Dr Farouk",
        started_at=now - dt.timedelta(minutes=15),
    )
    page = web.as_user(amhp).get(url("outcome", detention))
    assert page.context["missing"] == []
    response = web.as_user(amhp).post(
        url("outcome", detention),
        {"outcome": "discharged_with_referral", **local("decided_at", now)},
    )
    assert response.status_code == 302
    detention.refresh_from_db()
    assert (detention.outcome, detention.status) == ("discharged_with_referral", "ended")


def test_an_outcome_is_required(web, amhp, detention):
    response = web.as_user(amhp).post(url("outcome", detention), {})
    assert response.status_code == 200
    assert "outcome" in response.context["form"].errors


def test_a3_the_page_offers_no_mental_disorder_directly(web, doctor, detention):
    client = web.as_user(doctor)
    page = client.get(url("detail", detention)).content.decode()
    assert url("no_mental_disorder", detention) in page
    confirm = client.get(url("no_mental_disorder", detention))
    assert confirm.status_code == 200
    found = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    response = client.post(
        url("no_mental_disorder", detention),
        {"doctor_name": "Dr Farouk", **local("found_at", found)},
    )
    assert response.status_code == 302
    detention.refresh_from_db()
    assert (detention.outcome, detention.status) == ("no_mental_disorder", "ended")


def test_delays_are_added_and_ended_from_the_page(web, amhp, detention):
    client = web.as_user(amhp)
    response = client.post(url("add_delay", detention), {"delay-reason": "no_doctor"})
    assert response.status_code == 302
    delay = detention.assessment_delays.get()
    response = client.post(reverse("assessments:end_delay", args=[detention.pk, delay.pk]))
    assert response.status_code == 302
    delay.refresh_from_db()
    assert delay.ended_at is not None


def test_a_delay_needs_a_reason(web, amhp, detention):
    response = web.as_user(amhp).post(url("add_delay", detention), {})
    assert "reason" in response.context["delay_form"].errors
    assert 'href="#id_delay-reason"' in response.content.decode()


# --------------------------------------------------------------------------- A2 target
def test_the_assessment_target_counts_down_and_is_marked_missed(
    web, amhp, make_detention, suite, area, settings
):
    start = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        detention = make_detention(
            suite, detained_at=start - dt.timedelta(minutes=20), arrived_at=start
        )
    assert detention.assessment_due_at == start + dt.timedelta(hours=3)
    with time_machine.travel(start + dt.timedelta(hours=2, minutes=15), tick=False):
        client = Client()  # signed in at the travelled time: idle sessions are signed out
        client.force_login(amhp)
        page = client.get(url("detail", detention))
        target = page.context["d"].target
        assert (target["missed"], target["text"]) == (False, "45 min left")
        html = page.content.decode()
        assert 'data-countdown-to="2026-03-10T12:00:00Z"' in html
    with time_machine.travel(start + dt.timedelta(hours=3, minutes=5), tick=False):
        client = Client()
        client.force_login(amhp)
        page = client.get(url("detail", detention))
        assert page.status_code == 200, (page.status_code, page.get("Location"))
        target = page.context["d"].target
        assert (target["missed"], target["text"]) == (True, "missed by 5 min")
        assert "app-countdown--missed" in page.content.decode()


def test_the_assessment_target_is_configurable(make_detention, suite, settings):
    settings.HARBOUR = {**settings.HARBOUR, "ASSESSMENT_TARGET": dt.timedelta(hours=2)}
    start = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)
    detention = make_detention(
        suite, detained_at=start - dt.timedelta(minutes=20), arrived_at=start
    )
    assert detention.assessment_due_at == start + dt.timedelta(hours=2)


def test_a_started_assessment_shows_the_target_met(web, amhp, detention):
    services.record_assessment_progress(detention, started_at=dt.datetime.now(dt.UTC))
    target = web.as_user(amhp).get(url("detail", detention)).context["d"].target
    assert target["done"] and not target["missed"]


# --------------------------------------------------------------------------- delays report
def test_the_delays_report_counts_and_medians_by_reason(
    web, amhp, make_detention, suite, area, other_amhp
):
    now = dt.datetime.now(dt.UTC)
    for minutes in (30, 60, 90):
        d = make_detention(suite, detained_at=now - dt.timedelta(hours=3))
        delay = services.add_delay(d, reason="no_bed", started_at=now - dt.timedelta(hours=2))
        services.end_delay(delay, ended_at=delay.started_at + dt.timedelta(minutes=minutes))
    services.add_delay(d, reason="no_amhp", started_at=now - dt.timedelta(hours=1))
    response = web.as_user(amhp).get(url("delays"))
    assert response.status_code == 200
    table = {r["reason"]: r for r in response.context["table"]}
    assert (table["no_bed"]["count"], table["no_bed"]["median_minutes"]) == (3, 60)
    assert (
        table["no_amhp"]["count"],
        table["no_amhp"]["still_open"],
        table["no_amhp"]["median_minutes"],
    ) == (1, 1, None)
    other = web.as_user(other_amhp).get(url("delays"))
    assert other.context["total"] == 0


def test_only_an_amhp_takes_a_case(web, doctor, detention):
    client = web.as_user(doctor)
    assert "Take case" not in client.get(url("detail", detention)).content.decode()
    assert client.post(url("take", detention)).status_code == 403
    assert not AssessmentDetail.objects.filter(detention=detention).exists()


def test_the_worklist_can_show_only_those_waiting_for_an_amhp(
    web, amhp, make_detention, suite, area
):
    waiting = make_detention(suite)
    taken = make_detention(suite)
    services.take_case(taken, user=amhp)
    client = web.as_user(amhp)
    assert {r.pk for r in client.get(url("worklist")).context["rows"]} == {waiting.pk, taken.pk}
    rows = client.get(url("worklist") + "?show=waiting").context["rows"]
    assert [r.pk for r in rows] == [waiting.pk]


def test_the_report_counts_the_assessment_target_met_missed_and_pending(
    web, amhp, make_detention, suite, area
):
    start = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start + dt.timedelta(hours=5), tick=False):
        met = make_detention(suite, detained_at=start - dt.timedelta(minutes=20), arrived_at=start)
        services.record_assessment_progress(met, started_at=start + dt.timedelta(hours=2))
        late = make_detention(suite, detained_at=start - dt.timedelta(minutes=20), arrived_at=start)
        services.record_assessment_progress(late, started_at=start + dt.timedelta(hours=4))
        never = make_detention(
            suite, detained_at=start - dt.timedelta(minutes=20), arrived_at=start
        )
        pending = make_detention(
            suite,
            detained_at=start + dt.timedelta(hours=4),
            arrived_at=start + dt.timedelta(hours=4, minutes=10),
        )
        assert never and pending
        response = web.as_user(amhp).get(url("delays") + "?date_from=2026-03-10&date_to=2026-03-10")
    target = response.context["target"]
    assert target == {
        "detentions": 4,
        "met": 1,
        "missed": 2,
        "pending": 1,
        "median_minutes": 180,
    }


def test_the_report_form_shows_the_period_it_reports(web, amhp):
    page = web.as_user(amhp).get(url("delays") + "?date_from=2026-03-01&date_to=2026-03-31")
    html = page.content.decode()
    assert 'value="2026-03-01"' in html and 'value="2026-03-31"' in html
    assert "within 3 hours" in html
