"""Training: refresher dates, coverage figures on fixed data, status page, permissions."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from accounts.roles import Role
from tests.advisers.helpers import sign_in
from training import courses, services
from training.models import TrainingRecord
from training.reminders import due_reminders

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)
NOON = dt.datetime(2026, 6, 1, 11, tzinfo=dt.UTC)
CORE = ("COP-MH1", "COP-MH2", "COP-MH3")


def complete(user, course, on):
    return services.record_training(user=user, course=course, completed_on=on, now=NOON)


def test_refresher_due_dates_follow_each_courses_validity(settings):
    assert courses.refresher_due_on("COP-MH1", dt.date(2026, 1, 31)) == dt.date(2029, 1, 31)
    assert courses.refresher_due_on("MHTA-CPD", dt.date(2024, 2, 29)) == dt.date(2025, 2, 28)
    assert courses.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    settings.HARBOUR_DELIVERY = {
        **settings.HARBOUR_DELIVERY,
        "TRAINING_VALIDITY_MONTHS": {"MHFA": 12},
    }
    assert courses.refresher_due_on("MHFA", dt.date(2026, 3, 1)) == dt.date(2027, 3, 1)


def test_record_refuses_future_dates_and_duplicates(staff):
    complete(staff["r1"], "MHFA", dt.date(2026, 5, 1))
    with pytest.raises(ValidationError):
        complete(staff["r1"], "MHFA", dt.date(2026, 5, 1))
    with pytest.raises(ValidationError):
        complete(staff["r1"], "MHFA", dt.date(2026, 6, 2))


def fixed_data(staff):
    recent, old = dt.date(2025, 6, 1), dt.date(2023, 1, 1)  # COP-MH2/3 last 24 months
    for key in ("r1", "r2", "s1", "a1"):
        for c in CORE:
            complete(staff[key], c, recent)
    complete(staff["r2"], "COP-MH2", old)  # an older completion does not matter
    for c in CORE[:2]:
        complete(staff["r3"], c, recent)  # r3 lacks COP-MH3
    for c in CORE:
        complete(staff["s2"], c, old if c == "COP-MH2" else recent)  # s2's MH2 expired
    # a1 is an adviser: in date only with adviser CPD, which expired (12 months).
    complete(staff["a1"], "MHTA-CPD", dt.date(2025, 5, 1))
    complete(staff["r1"], "MHFA", recent)


def test_coverage_figures_on_fixed_data(staff, force, django_assert_max_num_queries):
    fixed_data(staff)
    with django_assert_max_num_queries(2):
        cov = services.coverage(force, TODAY)
    # In date: r1, r2, s1 (a1 lacks CPD, r3 lacks MH3, s2's MH2 expired).
    assert (cov["total"].officers, cov["total"].in_date) == (6, 3)
    assert cov["total"].percent == "50%"
    npus = {r.key: (r.officers, r.in_date) for r in cov["npus"]}
    assert npus == {"NPU-N": (3, 2), "NPU-C": (3, 1)}
    functions = {r.key: (r.officers, r.in_date) for r in cov["functions"]}
    assert functions["response_officer"] == (3, 2)
    assert functions["custody_sergeant"] == (2, 1)
    assert functions["mh_tactical_adviser"] == (1, 0)
    assert functions["inspector"] == (0, 0)
    assert cov["total"].per_course == {"COP-MH1": 6, "COP-MH2": 5, "COP-MH3": 5, "MHFA": 1}


def test_coverage_ignores_non_operational_users_and_other_forces(
    staff, force, npu_lead, auditor, outsider_officer
):
    cov = services.coverage(force, TODAY)
    assert cov["total"].officers == 6


@time_machine.travel(NOON, tick=False)
def test_dashboard_shows_the_figures_in_fixed_queries(web, staff, npu_lead, make_user, force):
    fixed_data(staff)
    client = sign_in(web, npu_lead)
    client.get("/training/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        body = client.get("/training/").content.decode()
    assert "50%" in body and "3 of 6 operational officers in date" in body
    for i in range(4):
        make_user(f"extra{i}", force, Role.RESPONSE_OFFICER)
    with CaptureQueriesContext(connection) as after:
        client.get("/training/")
    assert len(after) == len(before)


@time_machine.travel(NOON, tick=False)
def test_an_officer_sees_their_own_status_but_not_others(web, staff):
    fixed_data(staff)
    client = sign_in(web, staff["s2"])
    page = client.get(f"/training/officers/{staff['s2'].pk}/")
    assert page.status_code == 200
    assert "Refresher overdue" in page.content.decode()
    assert client.get(f"/training/officers/{staff['r1'].pk}/").status_code == 403
    assert client.get("/training/").status_code == 403


def test_profile_permissions_three_personas(web, staff, npu_lead, make_user, other_force, nurse):
    url = f"/training/officers/{staff['r1'].pk}/"
    assert sign_in(web, npu_lead).get(url).status_code == 200
    west_lead = make_user("westnpu", other_force, Role.NPU_LEAD)
    assert sign_in(web, west_lead).get(url).status_code == 404
    assert sign_in(web, nurse).get(url).status_code == 403


@time_machine.travel(NOON, tick=False)
def test_a_manager_records_a_completion_on_the_profile(web, staff, mh_lead, npu_lead):
    url = f"/training/officers/{staff['r3'].pk}/"
    data = {
        "course": "COP-MH3",
        "completed_on-day": "20",
        "completed_on-month": "5",
        "completed_on-year": "2026",
    }
    assert sign_in(web, npu_lead).post(url, data).status_code == 403
    assert sign_in(web, mh_lead).post(url, data).status_code == 302
    record = TrainingRecord.objects.get(user=staff["r3"])
    assert record.refresher_due_on == dt.date(2028, 5, 20)


def test_refresher_reminders_thirty_days_before_for_the_latest_completion(staff, force):
    with time_machine.travel(dt.datetime(2025, 6, 1, 9, tzinfo=dt.UTC), tick=False):
        old = complete(staff["a1"], "MHTA-CPD", dt.date(2024, 6, 20))  # due 20 Jun 2025
        latest = complete(staff["r1"], "MHTA-CPD", dt.date(2025, 5, 20))  # due 20 May 2026
    # 30 days before 20 May 2026 is 20 April, 00:00 BST = 19 April 23:00Z.
    at = dt.datetime(2026, 4, 19, 23, 0, tzinfo=dt.UTC)
    found = [r for r in due_reminders(at) if r.subject_id == latest.pk]
    assert [(r.kind, r.threshold_days, r.due_at, r.user_ids) for r in found] == [
        ("training_refresher_due", 30, at, (staff["r1"].pk,))
    ]
    assert found[0].organisation_id == force.pk
    assert [
        r for r in due_reminders(at - dt.timedelta(minutes=1)) if r.subject_id == latest.pk
    ] == []
    # a1's record fell due for its reminder in May 2025 (after it was stored): still listed,
    # until a newer completion replaces it.
    assert any(r.subject_id == old.pk for r in due_reminders(at))
    with time_machine.travel(dt.datetime(2025, 7, 1, 9, tzinfo=dt.UTC), tick=False):
        complete(staff["a1"], "MHTA-CPD", dt.date(2025, 6, 30))
    assert not any(r.subject_id == old.pk for r in due_reminders(at))
