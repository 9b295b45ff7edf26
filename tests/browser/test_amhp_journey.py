"""An AMHP signs in, takes a case from the worklist, records the assessment and the outcome, and
the detention ends."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from accounts.roles import OrganisationKind, Role
from accounts.services import ensure_organisation
from assessments.models import AmhpServiceArea
from detentions import services as detention_services
from detentions.models import Assessment, Detention
from places_of_safety.models import PlaceKind, PlaceOfSafety
from tests import factories
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _local(instant):
    return timezone.localtime(instant).strftime("%Y-%m-%dT%H:%M")


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
    card.get_by_role("button", name=re.compile("I have arrived")).click()
    page.wait_for_url(f"**/assessments/detentions/{detention.pk}/")
    page.check_a11y("arrived")

    # An out-of-order time is refused with the message next to the field.
    page.get_by_label("Doctor requested").fill(_local(now - dt.timedelta(minutes=20)))
    page.get_by_label("Doctor arrived").fill(_local(now - dt.timedelta(minutes=30)))
    page.get_by_role("button", name="Save steps").click()
    page.check_a11y("time-order-error")
    assert "There is a problem" in page.locator(".govuk-error-summary").inner_text()
    assert page.locator("#id_doctor_arrived_at-error").is_visible()

    page.get_by_label("Doctor arrived").fill(_local(now - dt.timedelta(minutes=10)))
    page.get_by_label("Doctor's name", exact=True).fill("Dr Omar Farouk")
    page.get_by_label("Is the doctor section 12 approved?", exact=True).select_option("yes")
    page.get_by_label("Assessment started").fill(_local(dt.datetime.now(dt.UTC)))
    page.get_by_role("button", name="Save steps").click()
    page.wait_for_load_state("load")
    summary = page.locator(".govuk-error-summary")
    assert summary.count() == 0, summary.inner_text()
    page.locator(".govuk-notification-banner").wait_for()
    assert "The assessment is updated." in page.locator(".govuk-notification-banner").inner_text()
    page.check_a11y("steps-saved")

    page.get_by_label("Discharged with a referral").check()
    page.get_by_role("button", name="Record outcome").click()
    page.wait_for_url(f"**/assessments/detentions/{detention.pk}/")
    page.check_a11y("ended")
    assert "the detention has ended" in page.locator(".govuk-notification-banner").inner_text()

    detention = Detention.objects.get(pk=detention.pk)
    assert (detention.status, detention.outcome) == ("ended", "discharged_with_referral")
    a = Assessment.objects.get(detention=detention)
    assert a.amhp_arrived_at is not None and a.doctor_s12_approved is True
    assert a.completed_at == detention.ended_at

    page.visit("/assessments/worklist/")
    assert page.locator(f"#detention-{detention.pk}").count() == 0


@pytest.mark.phone
def test_a3_on_a_phone_no_mental_disorder_releases_the_person(page, make_user, case, health_trust):
    detention, _now = case
    make_user("drfarouk", health_trust, Role.DOCTOR)
    page.sign_in("drfarouk", PASSWORD)
    page.visit(f"/assessments/detentions/{detention.pk}/")
    page.get_by_role("link", name="No mental disorder found: release").click()
    page.check_a11y("confirm")
    page.get_by_label("Doctor's name", exact=True).fill("Dr Omar Farouk")
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
