"""Issue 19's two measured journeys, at desktop and phone size, with axe on every page and a
screenshot per step: start a detention through the question pages (the common start in at
most 6 short pages) and record a welfare check from the board (at most 3 clicks). Each prints
its clicks and fields (tests/browser/tally.py); docs/accessibility.md records them. And the
person search inside the flow (what was typed kept, nothing chosen, already detained said at
once) and the warning before an arrival at a full place."""

import re

import pytest

from detentions.models import Detention, WelfareCheck
from places_of_safety.models import PlaceStatus
from tests.browser.tally import Tally, start_a_detention
from tests.conftest import PASSWORD
from tests.pages.helpers import at_station, make_person, make_places, start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_START_PAGES = 6
MAX_WELFARE_CLICKS = 3


@pytest.fixture
def places(force, health_trust, acute_trust):
    return make_places(force, health_trust, acute_trust)


def _start_journey(page, officer, size):
    page.sign_in(officer.username, PASSWORD)
    tally = start_a_detention(page, size)
    d = Detention.objects.get()
    assert d.person.family_name == "Hale" and d.conveyance_mode == "ambulance"
    assert d.consultation_name == "Street triage RMN Kate Jones"
    figures = tally.report()
    assert figures["pages"] <= MAX_START_PAGES


def test_start_a_detention_desktop(page, officer, places):
    _start_journey(page, officer, "desktop")


@pytest.mark.phone
def test_start_a_detention_phone(page, officer, places):
    _start_journey(page, officer, "phone")


def _welfare_journey(page, officer, sergeant, force, places, size):
    d = at_station(officer, make_person(force, "Robin", "Hale"), places[0])
    page.sign_in(sergeant.username, PASSWORD)
    tally = Tally(page, "record a welfare check", size)
    page.visit("/detentions/")
    tally.a11y("board")
    tally.go(page.get_by_role("link", name="Record a welfare check for Robin Hale"), "form")
    tally.fill(page.get_by_label("Healthcare professional's name"), "Custody nurse Alan Price")
    tally.check(page.get_by_label("Yes", exact=True))  # the risk requires waking them
    with page.expect_navigation():
        tally.click(page.get_by_role("button", name="Save"))
    page.wait_for_url(re.compile(r".*/detentions/$"))
    tally.a11y("back-on-board")
    assert "Welfare check recorded." in page.inner_text("main")
    check = WelfareCheck.objects.get(detention=d)
    assert check.professional_name == "Custody nurse Alan Price" and check.risk_requires_waking
    figures = tally.report()
    assert figures["clicks"] <= MAX_WELFARE_CLICKS


def test_welfare_check_from_the_board_desktop(page, officer, sergeant, force, places):
    _welfare_journey(page, officer, sergeant, force, places, "desktop")


@pytest.mark.phone
def test_welfare_check_from_the_board_phone(page, officer, sergeant, force, places):
    _welfare_journey(page, officer, sergeant, force, places, "phone")


@pytest.mark.phone
def test_person_search_in_the_flow(page, officer, force, places):
    running = start(officer, make_person(force, "Alex", "Smith"))
    page.sign_in(officer.username, PASSWORD)
    page.visit("/detentions/start/")
    page.wait_for_url(re.compile(r".*/person/$"))
    page.get_by_label("A new person").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r".*/details/$"))
    page.get_by_label("Given name").fill("Alex")
    page.get_by_label("Family name").fill("Smyth")
    page.select_option("#id_gender", "male")
    page.select_option("#id_ethnicity", "NS")
    page.get_by_label("Appears to be 18 or over").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r".*/power/$"))
    # Back to the person page to search: nothing typed is lost.
    page.get_by_role("link", name="Back").click()
    page.get_by_role("link", name="Back").click()
    page.wait_for_url(re.compile(r".*/person/$"))
    page.get_by_label("Find someone your force has recorded before").fill("smith")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r".*/person/\?q=smith$"))
    page.check_a11y("search-results")
    assert not page.locator(f"input[name=person][value='{running.person.pk}']").is_checked()
    text = page.inner_text("main")
    assert "Already detained" in text and running.reference in text
    assert page.get_by_role("link", name=f"Open {running.reference}").is_visible()
    page.get_by_label(re.compile(r"^Alex Smith")).check()
    page.get_by_role("button", name="Continue").click()
    page.check_a11y("already-detained")
    assert "is already detained" in page.inner_text(".govuk-error-summary")
    # The new person's answers are still there.
    page.get_by_label("A new person").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r".*/details/$"))
    assert page.get_by_label("Family name").input_value() == "Smyth"


def test_arrival_at_a_full_place_is_warned_then_recorded(page, officer, force, places):
    suite = places[1]
    suite.declared_status = PlaceStatus.FULL
    suite.save()
    d = start(officer, make_person(force, "Sam", "Rowe"))
    page.sign_in(officer.username, PASSWORD)
    page.visit(f"/detentions/{d.pk}/arrival/")
    page.get_by_label(suite.name).check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("load")
    page.check_a11y("full-place-warning")
    assert "is full" in page.inner_text("#place-warning")
    page.get_by_label(f"Record the arrival at {suite.name} although it is full").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(rf".*/detentions/{d.pk}/$"))
    page.check_a11y("arrived-at-full-place")
    d.refresh_from_db()
    assert d.arrival.place == suite and d.arrival.place_status_at_arrival == "full"


def _tab_to(page, element_id, limit=120):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"could not reach #{element_id} with the Tab key")


def _tab_to_continue(page, limit=120):
    for _ in range(limit):
        page.keyboard.press("Tab")
        text = page.evaluate("document.activeElement && document.activeElement.textContent")
        if (text or "").strip() in ("Continue", "Start the detention"):
            with page.expect_navigation():
                page.keyboard.press("Enter")
            page.check_a11y()
            return
    raise AssertionError("could not reach the button with the Tab key")


def test_question_pages_with_the_keyboard_alone(page, officer, places):
    page.sign_in(officer.username, PASSWORD)
    page.visit("/detentions/start/")
    _tab_to(page, "id_person")  # no one searched for: "A new person" is the only choice
    page.keyboard.press("Space")
    _tab_to_continue(page)
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
    _tab_to_continue(page)
    _tab_to(page, "id_power")
    page.keyboard.press("Space")  # section 136
    _tab_to(page, "id_location_kind")
    page.keyboard.press("Space")  # a public place
    _tab_to(page, "id_location_description")
    page.keyboard.type("Market Square")
    _tab_to_continue(page)
    _tab_to(page, "id_consulted")
    page.keyboard.press("Space")  # yes: reveals who was consulted
    _tab_to(page, "id_consultation_profession")
    page.keyboard.press("ArrowDown")
    _tab_to(page, "id_consultation_name")
    page.keyboard.type("Paramedic Lee Hart")
    _tab_to_continue(page)
    _tab_to(page, "id_conveyance_mode")
    page.keyboard.press("Space")  # an ambulance
    _tab_to(page, "id_mode")
    page.keyboard.press("Space")  # removed to a place of safety
    _tab_to_continue(page)
    assert "Check your answers" in page.inner_text("h1")
    _tab_to_continue(page)
    page.wait_for_url(re.compile(r".*/detentions/\d+/$"))
    d = Detention.objects.get(person__family_name="Lowe")
    assert d.consultation_name == "Paramedic Lee Hart" and d.consultation_profession
