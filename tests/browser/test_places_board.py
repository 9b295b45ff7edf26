"""The places of safety board updates itself after a detention arrives (no manual reload), and
is accessible on a desktop and on a phone."""

import datetime as dt

import pytest

from accounts.roles import Role
from detentions import services as svc
from places_of_safety import services as places
from tests import factories
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

T0 = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


def _detention(force, n):
    person = factories.person(force, f"Sam{n}")
    return factories.detention(force, person, detained_at=T0, nurse="N", advice="A")


def test_board_updates_after_an_arrival_without_a_reload(
    page, make_user, force, health_trust, acute_trust
):
    officer = make_user("control-room", force, Role.RESPONSE_OFFICER)
    suite = places.create_place(
        name="Willow Suite", kind="health_based", organisation=health_trust, capacity=1
    )
    places.create_place(
        name="City ED", kind="emergency_department", organisation=acute_trust, capacity=4
    )
    detention = _detention(force, 1)

    page.visit("/sign-in/")
    page.sign_in(officer.username, PASSWORD)
    page.visit("/places-of-safety/?refresh=2")
    card = page.locator(f"#place-{suite.pk}")
    assert card.locator("[data-occupancy]").inner_text() == "0 of 1"
    assert "Open" in card.locator(".govuk-tag").inner_text()
    page.evaluate("window.__sameDocument = true")

    svc.record_arrival(
        detention,
        place_of_safety=suite,
        arrived_at=T0 + dt.timedelta(minutes=30),
        now=T0 + dt.timedelta(minutes=31),
    )

    card.locator("[data-occupancy]", has_text="1 of 1").wait_for(timeout=40000)
    assert "Full" in card.locator(".govuk-tag").inner_text()
    assert page.evaluate("window.__sameDocument === true"), "the page was reloaded"
    page.locator("#board-announcer", has_text="has changed").wait_for(timeout=5000)
    page.check_a11y("after-update")


def test_board_filters_without_javascript_controls(page, make_user, force, health_trust):
    officer = make_user("control-room", force, Role.RESPONSE_OFFICER)
    places.create_place(
        name="Child Suite",
        kind="health_based",
        organisation=health_trust,
        capacity=2,
        accepts_under_18=True,
    )
    places.create_place(name="Adult Suite", kind="health_based", organisation=health_trust)
    page.visit("/sign-in/")
    page.sign_in(officer.username, PASSWORD)
    page.visit("/places-of-safety/")
    page.get_by_label("Accept under-18s").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/places-of-safety/?under_18=on")
    page.check_a11y("filtered")
    assert page.get_by_role("link", name="Child Suite").is_visible()
    assert page.get_by_role("link", name="Adult Suite").count() == 0


@pytest.mark.phone
def test_board_and_place_page_on_a_phone(page, make_user, health_trust, force):
    nurse = make_user("suite-nurse", health_trust, Role.PLACE_OF_SAFETY_STAFF)
    suite = places.create_place(
        name="Willow Suite", kind="health_based", organisation=health_trust, capacity=2
    )
    svc.record_arrival(
        _detention(force, 2),
        place_of_safety=suite,
        arrived_at=T0 + dt.timedelta(minutes=30),
        now=T0 + dt.timedelta(minutes=31),
    )
    page.visit("/sign-in/")
    page.sign_in(nurse.username, PASSWORD)
    page.visit("/places-of-safety/")
    page.get_by_role("link", name="Willow Suite").click()
    page.wait_for_url(f"**/places-of-safety/{suite.pk}/")
    page.check_a11y("place")
    page.get_by_label("Closed").check()
    page.get_by_label("Reason").fill("No nurse on the night shift")
    page.get_by_role("button", name="Save status").click()
    page.wait_for_url(f"**/places-of-safety/{suite.pk}/")
    page.check_a11y("after-status")
    assert page.get_by_text("No nurse on the night shift").first.is_visible()
