"""An AMHP signs in, takes a case from the worklist, records the assessment and the outcome, and
the detention ends."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from accounts.roles import OrganisationKind, Role
from accounts.services import ensure_organisation
from assessments import services as assessment_services
from assessments.models import AmhpServiceArea
from detentions import services as detention_services
from detentions.models import Assessment, Detention
from places_of_safety.models import PlaceKind, PlaceOfSafety
from tests import factories
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_when(page, name, instant):
    """The GOV.UK date input and time of `name` (UK local)."""
    local = timezone.localtime(instant)
    page.locator(f"#id_{name}").fill(str(local.day))
    page.locator(f"#id_{name}-month").fill(str(local.month))
    page.locator(f"#id_{name}-year").fill(str(local.year))
    page.locator(f"#id_{name}-time").fill(local.strftime("%H:%M"))


@pytest.fixture
def case(force, health_trust, local_authority):
    suite = PlaceOfSafety.objects.create(
        name="Northbridge s136 Suite", kind=PlaceKind.HEALTH_BASED, organisation=health_trust
    )
    area = AmhpServiceArea.objects.create(organisation=local_authority, name="Midshire")
    area.places.add(suite)
    now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    person = factories.person(force, "Jordan", "Hale", date_of_birth=None)
    detention = factories.detention(
        force,
        person,
        detained_at=now - dt.timedelta(minutes=90),
        consulted_at=now - dt.timedelta(minutes=95),
        nurse="Nurse Triage",
        advice="Section 136 appropriate.",
        now=None,
    )
    detention_services.record_arrival(
        detention, place_of_safety=suite, arrived_at=now - dt.timedelta(minutes=70)
    )
    # The custody staff asked for an AMHP an hour ago.
    assessment_services.record_assessment_progress(
        detention, amhp_requested_at=now - dt.timedelta(minutes=60)
    )
    return detention, now


def test_an_amhp_takes_a_case_records_the_assessment_and_the_outcome(
    page, make_user, case, local_authority
):
    detention, now = case
    make_user("ruth", local_authority, Role.AMHP)
    page.sign_in("ruth", PASSWORD)

    page.visit("/assessments/worklist/")
    card = page.locator(f"#detention-{detention.pk}")
    assert "Jordan Hale" in card.inner_text()
    assert "Waiting for an AMHP" in card.inner_text()
    countdown = card.locator("[data-countdown-to]").last.locator(".app-countdown__text")
    first = countdown.inner_text()
    page.wait_for_function(
        "([el, text]) => el.textContent !== text", arg=[countdown.element_handle(), first]
    )  # the script counts down every second
    assert re.search(r"\d+ s left", countdown.inner_text())

    card.get_by_role("button", name=re.compile("Take case")).click()
    page.wait_for_url("**/assessments/worklist/")
    page.check_a11y("taken")
    card = page.locator(f"#detention-{detention.pk}")
    assert "AMHP on the way" in card.inner_text()
    card.get_by_role("link", name=re.compile("I have arrived")).click()
    page.wait_for_url(f"**/assessments/detentions/{detention.pk}/amhp-arrived/")
    page.check_a11y("arrival-time-shown")
    # The time shown is now, editable: the AMHP arrived ten minutes ago.
    assert page.locator("#id_arrived_at-time").input_value() != ""
    fill_when(page, "arrived_at", now - dt.timedelta(minutes=10))
    page.get_by_role("button", name="Record the arrival").click()
    page.wait_for_url(f"**/assessments/detentions/{detention.pk}/")
    page.check_a11y("task-list")
    amhp_task = page.locator("#task-amhp")
    assert "Completed" in amhp_task.inner_text()
    assert "Not started" in page.locator("#task-times").inner_text()

    # An out-of-order time is refused beside the field; a start after the arrival is kept.
    page.get_by_role("link", name="Assessment started and completed").click()
    fill_when(page, "started_at", now - dt.timedelta(minutes=15))
    page.get_by_role("button", name="Save and return to the assessment").click()
    page.check_a11y("time-order-error")
    assert "There is a problem" in page.locator(".govuk-error-summary").inner_text()
    assert page.locator("#id_started_at-error").is_visible()
    fill_when(page, "started_at", now - dt.timedelta(minutes=5))
    page.get_by_role("button", name="Save and return to the assessment").click()
    page.wait_for_url(f"**/assessments/detentions/{detention.pk}/")
    assert "In progress" in page.locator("#task-times").inner_text()

    # The outcome page says what is missing and asks to confirm (A1: never blocked).
    page.get_by_role("link", name="Outcome", exact=True).click()
    page.check_a11y("outcome-missing")
    warning = page.locator(".govuk-warning-text").first.inner_text()
    assert "missing" in warning
    assert "When the doctor arrived" in page.locator("main").inner_text()
    page.get_by_label("Discharged with a referral").check()
    page.get_by_role("button", name="Record the outcome").click()
    page.check_a11y("outcome-confirm-error")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Confirm that you want to record the outcome" in summary
    assert page.title().startswith("Error:")
    page.get_by_label(re.compile("I understand these are missing")).check()
    page.get_by_role("button", name="Record the outcome").click()
    page.wait_for_url(f"**/assessments/detentions/{detention.pk}/")
    page.check_a11y("ended")
    assert "the detention has ended" in page.locator(".govuk-notification-banner").inner_text()
    assert page.locator("[data-countdown-to]").count() == 0  # nothing counts down once ended

    detention = Detention.objects.get(pk=detention.pk)
    assert (detention.status, detention.outcome) == ("ended", "discharged_with_referral")
    a = Assessment.objects.get(detention=detention)
    assert a.amhp_arrived_at == now - dt.timedelta(minutes=10)
    assert a.started_at == now - dt.timedelta(minutes=5)
    assert a.completed_at == detention.ended_at

    page.visit("/assessments/worklist/")
    assert page.locator(f"#detention-{detention.pk}").count() == 0


@pytest.mark.phone
def test_a3_on_a_phone_no_mental_disorder_releases_the_person(page, make_user, case, health_trust):
    detention, _now = case
    make_user("drfarouk", health_trust, Role.DOCTOR)
    page.sign_in("drfarouk", PASSWORD)
    page.visit(f"/assessments/detentions/{detention.pk}/")
    # On a phone the red release is not the first action: the task list comes before it.
    release = page.get_by_role("link", name="No mental disorder found: release")
    tasks = page.locator(".govuk-task-list")
    assert release.bounding_box()["y"] > tasks.bounding_box()["y"]
    first_button = page.locator("main .govuk-button").first
    assert "No mental disorder" not in first_button.inner_text()
    release.click()
    page.check_a11y("confirm")
    assert page.locator("#id_found_at-time").input_value() != ""  # now, editable
    page.locator("#id_doctor_name").fill("Dr Omar Farouk")
    page.get_by_role("button", name="Confirm: release the person").click()
    page.wait_for_url(f"**/assessments/detentions/{detention.pk}/")
    page.check_a11y("released")
    detention = Detention.objects.get(pk=detention.pk)
    assert (detention.status, detention.outcome) == ("ended", "no_mental_disorder")


def test_an_amhp_of_another_local_authority_sees_an_empty_worklist(page, make_user, case):
    detention, _now = case
    other, _ = ensure_organisation(
        "westshire-council", "Westshire Council", OrganisationKind.LOCAL_AUTHORITY
    )
    make_user("westamhp", other, Role.AMHP)
    page.sign_in("westamhp", PASSWORD)
    page.visit("/assessments/worklist/")
    assert "There are no active detentions in your area." in page.content()
    response = page.goto(page.base_url + f"/assessments/detentions/{detention.pk}/")
    assert response.status == 404
