"""The assessment as a GOV.UK task list, the outcome page that shows what is missing (A1: it
asks to confirm, never blocks), unique ids, times that default to now, and a doctor's own cases."""

import datetime as dt
import re
from collections import Counter

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import AssessmentDetail
from detentions.models import Assessment
from tests.pages.helpers import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def detention(make_detention, suite, area):
    return make_detention(suite)


def url(name, detention=None):
    return reverse(f"assessments:{name}", args=[detention.pk] if detention else [])


def _now():
    return dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)


def _statuses(response):
    return {t["key"]: t["status"] for t in response.context["tasks"]}


def test_the_assessment_page_is_a_task_list_with_each_status(web, amhp, detention):
    client = web.as_user(amhp)
    page = client.get(url("detail", detention))
    assert _statuses(page) == {
        "amhp": "not_started",
        "doctor": "not_started",
        "times": "not_started",
        "outcome": "not_started",
        "bed": "not_started",
    }
    html = page.content.decode()
    assert 'class="govuk-task-list"' in html
    assert html.count("govuk-task-list__item") >= 5
    services.take_case(detention, user=amhp)  # the AMHP is requested
    services.record_assessment_progress(
        detention, doctor_requested_at=_now() - dt.timedelta(minutes=20)
    )
    services.record_assessment_progress(
        detention,
        doctor_arrived_at=_now() - dt.timedelta(minutes=10),
        started_at=Assessment.objects.get(detention=detention).amhp_requested_at,
    )
    statuses = _statuses(client.get(url("detail", detention)))
    assert statuses["amhp"] == "in_progress"
    assert statuses["doctor"] == "completed"
    assert statuses["times"] == "in_progress"
    services.record_outcome(detention, outcome="discharged_no_follow_up")
    statuses = _statuses(client.get(url("detail", detention)))
    assert (statuses["times"], statuses["outcome"], statuses["bed"]) == (
        "completed",
        "completed",
        "not_needed",
    )


def test_on_a_phone_the_release_is_not_the_first_action(web, doctor, detention):
    html = web.as_user(doctor).get(url("detail", detention)).content.decode()
    release = html.index("No mental disorder found: release")
    assert html.index('class="govuk-task-list"') < release
    assert html.index("I have arrived (doctor)") < release


def test_no_two_elements_share_an_id(web, amhp, detention):
    services.add_delay(detention, reason="no_bed")
    client = web.as_user(amhp)
    for name in ("detail", "amhp", "doctor", "times", "outcome", "bed", "amhp_arrived"):
        html = client.get(url(name, detention)).content.decode()
        ids = Counter(re.findall(r'\sid="([^"]+)"', html))
        assert [i for i, n in ids.items() if n > 1] == [], name
    assert 'id="id_delay-started_at"' in client.get(url("detail", detention)).content.decode()


def test_the_times_use_the_gov_uk_date_input_and_default_to_now(web, amhp, detention):
    client = web.as_user(amhp)
    html = client.get(url("times", detention)).content.decode()
    assert 'type="datetime-local"' not in html
    assert 'name="started_at-day"' in html and 'name="started_at-time"' in html
    form = client.get(url("times", detention)).context["form"]
    assert form.initial["started_at"] is not None  # the next step defaults to now
    assert form.initial.get("completed_at") is None


def test_the_outcome_page_shows_what_is_missing_and_asks_to_confirm(web, amhp, detention):
    client = web.as_user(amhp)
    page = client.get(url("outcome", detention))
    labels = [m["label"] for m in page.context["missing"]]
    assert "When the AMHP arrived" in labels and "When the assessment started" in labels
    html = page.content.decode()
    assert "The assessment record is missing:" in html
    data = {"outcome": "discharged_no_follow_up", **local("decided_at", _now())}
    response = client.post(url("outcome", detention), data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["confirm_missing"]
    html = response.content.decode()
    assert 'href="#id_confirm_missing"' in html and 'id="id_confirm_missing-error"' in html
    detention.refresh_from_db()
    assert detention.ended_at is None  # nothing changed
    # A1: confirmed, the outcome is recorded although the record is incomplete.
    response = client.post(url("outcome", detention), {**data, "confirm_missing": "on"})
    assert response.status_code == 302
    detention.refresh_from_db()
    assert (detention.status, detention.outcome) == ("ended", "discharged_no_follow_up")


def test_nothing_is_chosen_for_the_user_on_the_outcome_page(web, amhp, detention):
    html = web.as_user(amhp).get(url("outcome", detention)).content.decode()
    radios = re.findall(r'<input class="govuk-radios__input"[^>]*name="outcome"[^>]*>', html)
    assert radios and not any("checked" in r for r in radios)


def test_a_doctor_has_their_own_cases(web, doctor, amhp, make_detention, suite, area):
    mine = make_detention(suite)
    other = make_detention(suite)
    client = web.as_user(doctor)
    response = client.get(url("worklist"))
    assert response.status_code == 302 and response["Location"] == url("my_cases")
    page = client.get(url("my_cases"))
    assert page.context["mine"] == []
    assert {d.pk for d in page.context["waiting"]} == {mine.pk, other.pk}
    response = client.post(url("doctor_take", mine), {"next": "my_cases"})
    assert response.status_code == 302
    detail = AssessmentDetail.objects.get(detention=mine)
    assert detail.doctor_user == doctor
    assert Assessment.objects.get(detention=mine).doctor_requested_at is not None
    page = client.get(url("my_cases"))
    assert [d.pk for d in page.context["mine"]] == [mine.pk]
    assert [d.pk for d in page.context["waiting"]] == [other.pk]
    # The AMHP keeps their worklist; only an AMHP sees it in the menu.
    assert web.as_user(amhp).get(url("worklist")).status_code == 200
    assert web.as_user(amhp).get(url("my_cases")).status_code == 403


def test_a_doctors_arrival_from_their_account_makes_the_case_theirs(web, doctor, detention):
    client = web.as_user(doctor)
    page = client.get(url("doctor_arrived", detention))
    assert page.context["form"]["name"].value() == str(doctor)
    earlier = _now() - dt.timedelta(minutes=4)
    response = client.post(
        url("doctor_arrived", detention),
        {"name": "Dr Farouk", "s12_approved": "yes", **local("arrived_at", earlier)},
    )
    assert response.status_code == 302
    a = Assessment.objects.get(detention=detention)
    assert (a.doctor_arrived_at, a.doctor_name, a.doctor_s12_approved) == (
        earlier,
        "Dr Farouk",
        True,
    )
    assert [d.pk for d in client.get(url("my_cases")).context["mine"]] == [detention.pk]
