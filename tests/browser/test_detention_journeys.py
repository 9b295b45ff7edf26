"""Browser journeys through the detention pages, with axe-core on every page visited.

A police station case: a response officer starts a detention from the street and records the
arrival at a police station with an inspector's authorisation; a custody sergeant records a
welfare check and a review; an inspector ends it. A health-based case: arrival at a s136 suite,
handover by the suite's nurse, an extension by the doctor, and the end with an outcome. And the
start form completed with the keyboard alone.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from detentions.models import Detention
from tests.browser.tally import start_a_detention
from tests.conftest import PASSWORD
from tests.pages.helpers import make_person, make_places, start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def places(force, health_trust, acute_trust):
    return make_places(force, health_trust, acute_trust)


def _sign_in_as(page, user):
    page.context.clear_cookies()
    page.sign_in(user.username, PASSWORD)


def _on_detention_page(page, d):
    page.wait_for_url(re.compile(rf".*/detentions/{d.pk}/$"))
    page.check_a11y()


def _click_action(page, name):
    page.get_by_role("link", name=name).click()
    page.wait_for_load_state("load")
    page.check_a11y()


def _save(page, name="Save"):
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state("load")


def test_police_station_case_end_to_end(page, officer, sergeant, inspector, places):
    station = places[0]

    # (a) A response officer starts a detention from the street...
    _sign_in_as(page, officer)
    page.check_a11y("home")
    start_a_detention(page, "desktop")  # the question pages (tests/browser/tally.py)
    d = Detention.objects.get(person__family_name="Hale")
    assert "since detention" in page.inner_text("main")

    # ... and records the arrival at a police station with an inspector authorising it.
    _click_action(page, "Record arrival at a place of safety")
    assert not page.is_visible("#police-station-decision")  # shown only for a police station
    page.get_by_label(station.name).check()
    assert page.is_visible("#police-station-decision")
    page.check("#id_conditions")
    page.check("#id_conditions-2")
    page.check("#id_conditions-3")
    page.fill("#id_consulted_professional", "Street triage RMN Kate Jones")
    page.fill("#id_inspector_name", "Insp Dan Hughes")
    page.select_option("#id_inspector_rank", "inspector")
    page.check_a11y("arrival-filled")
    _save(page)
    _on_detention_page(page, d)
    text = page.inner_text("main")
    assert "Next welfare check" in text and "Next review" in text
    assert "Police station authorised by Insp Dan Hughes" in text

    # (b) The custody sergeant finds them on the board, records a welfare check and a review.
    _sign_in_as(page, sergeant)
    page.visit("/detentions/")
    page.get_by_role("link", name="Robin Hale", exact=True).click()
    _on_detention_page(page, d)
    _click_action(page, "Record a welfare check")
    page.fill("#id_professional_name", "Custody nurse Alan Price")
    page.select_option("#id_profession", "nurse")
    page.get_by_label("Yes", exact=True).first.check()  # the risk requires waking them
    _save(page)
    _on_detention_page(page, d)
    _click_action(page, "Record a review")
    page.get_by_label("Yes", exact=True).first.check()  # conditions still apply
    page.check("#id_hcp_available")  # yes: a healthcare professional is still there
    page.check("#id_asleep-2")  # no: not asleep
    _save(page)
    _on_detention_page(page, d)
    text = page.inner_text("main")
    assert "Welfare check by Custody nurse Alan Price" in text
    assert "Review by" in text and "recorded by Sergeant" in text

    # (c) The inspector ends it: the doctor found no mental disorder.
    _sign_in_as(page, inspector)
    page.visit(f"/detentions/{d.pk}/")
    _click_action(page, "End the detention")
    page.get_by_label("No mental disorder found (released)").check()
    _save(page, "End the detention")
    _on_detention_page(page, d)
    assert "No mental disorder found" in page.inner_text("main")
    d.refresh_from_db()
    assert d.outcome == "no_mental_disorder" and d.ended_at is not None
    assert d.ended_at <= d.expires_at


def test_health_based_case(page, officer, nurse, make_user, health_trust, force, places):
    suite = places[1]
    doctor = make_user("doctor", health_trust, Role.DOCTOR)
    d = start(officer, make_person(force, "Sam", "Rowe"))

    _sign_in_as(page, officer)
    page.visit(f"/detentions/{d.pk}/")
    _click_action(page, "Record arrival at a place of safety")
    page.get_by_label(suite.name).check()
    assert not page.is_visible("#police-station-decision")
    _save(page)
    _on_detention_page(page, d)
    assert "Time left" in page.inner_text("main")

    _sign_in_as(page, nurse)
    page.visit("/detentions/")
    page.get_by_role("link", name="Sam Rowe", exact=True).click()
    _on_detention_page(page, d)
    _click_action(page, "Record handover to health staff")
    page.fill("#id_received_by", "Kate Jones RMN")
    _save(page)
    _on_detention_page(page, d)

    _sign_in_as(page, doctor)
    page.visit(f"/detentions/{d.pk}/")
    _click_action(page, "Record an extension")
    page.fill("#id_doctor_gmc_number", "7012345")
    page.fill("#id_hours", "14")
    page.get_by_label("Intoxication").check()
    _save(page)
    page.check_a11y("extension-refused")  # the law refuses 14 hours: message beside the field
    assert "govuk-error-summary" in page.content()
    page.fill("#id_hours", "6")
    _save(page)
    _on_detention_page(page, d)
    d.refresh_from_db()
    assert d.extended_until is not None and "Extended by 6 hours" in page.inner_text("main")

    _sign_in_as(page, nurse)
    page.visit(f"/detentions/{d.pk}/")
    _click_action(page, "End the detention")
    page.get_by_label("Detained under section 2").check()
    _save(page, "End the detention")
    _on_detention_page(page, d)
    d.refresh_from_db()
    assert d.outcome == "detained_s2"


def _tab_to(page, element_id, limit=250):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"could not reach #{element_id} with the Tab key")


def test_start_form_with_the_keyboard_alone(page, officer, places):
    _sign_in_as(page, officer)
    page.visit("/detentions/start/all/")  # the one-page form
    _tab_to(page, "id_given_name")
    page.keyboard.type("Kim")
    page.keyboard.press("Tab")
    page.keyboard.type("Lowe")
    _tab_to(page, "id_age_assessment")
    page.keyboard.press("Space")  # appears to be 18 or over
    _tab_to(page, "id_gender")
    page.keyboard.press("ArrowDown")
    _tab_to(page, "id_ethnicity")
    page.keyboard.press("ArrowDown")
    _tab_to(page, "id_power")
    page.keyboard.press("Space")  # section 136
    _tab_to(page, "id_location_kind")
    page.keyboard.press("Space")  # a public place
    _tab_to(page, "id_location_description")
    page.keyboard.type("Market Square")
    _tab_to(page, "id_consulted")
    page.keyboard.press("Space")  # yes: reveals who was consulted
    _tab_to(page, "id_consultation_profession")
    page.keyboard.press("ArrowDown")
    _tab_to(page, "id_consultation_name")
    page.keyboard.type("Paramedic Lee Hart")
    _tab_to(page, "id_conveyance_mode")
    page.keyboard.press("Space")  # an ambulance
    _tab_to(page, "id_mode")
    page.keyboard.press("Space")  # removed to a place of safety
    _tab_to(page, "start-submit")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/detentions/\d+/$"))
    page.check_a11y("started-by-keyboard")
    d = Detention.objects.get(person__family_name="Lowe")
    assert d.consultation_name == "Paramedic Lee Hart" and d.consultation_profession


@pytest.mark.phone
def test_board_on_a_phone_refreshes_itself(page, officer, force, places):
    d = start(officer, make_person(force, "Ali", "Noor"))
    _sign_in_as(page, officer)
    page.visit("/detentions/")
    assert "Ali Noor" in page.inner_text("#board-rows")
    late = start(
        officer,
        make_person(force, "Bea", "Late"),
        detained_at=timezone.now() - timedelta(minutes=5),
    )
    # The board fetches its rows every 20 seconds: the new row appears without a reload.
    page.locator("#board-rows").get_by_role("link", name="Bea Late", exact=True).wait_for(
        timeout=30000
    )
    page.check_a11y("board-refreshed")
    assert d.reference in page.inner_text("#board-rows") and late.reference
