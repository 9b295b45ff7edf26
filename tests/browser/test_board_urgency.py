"""Issue 19: a detention with under an hour left is unmistakable on the board, on a desktop
(1366x900) and on a phone (390x844, rows as cards with no sideways scrolling); axe on each."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.pages.helpers import at_suite, make_person, make_places

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def near(officer, force, health_trust, acute_trust):
    suite = make_places(force, health_trust, acute_trust)[1]
    now = timezone.now()
    at_suite(officer, make_person(force, "Calm", "Start"), suite, now=now)
    return at_suite(
        officer,
        make_person(force, "Near", "End"),
        suite,
        arrived_at=now - timedelta(hours=23, minutes=10),
        now=now,
    )


def _board(page, officer):
    page.visit("/sign-in/")
    page.sign_in(officer.username, PASSWORD)
    page.visit("/detentions/")
    page.check_a11y("board")


def _near_row(page, near):
    row = page.locator("#board-rows tr", has_text=near.reference)
    tag = row.get_by_text("Under 1 hour left")
    assert tag.is_visible()
    assert "govuk-tag--red" in tag.get_attribute("class")
    return row


def _in_first_screen(page, locator):
    box = locator.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= page.evaluate("window.innerHeight"), box


def test_under_an_hour_left_on_a_desktop(page, officer, near):
    page.set_viewport_size({"width": 1366, "height": 900})
    _board(page, officer)
    row = _near_row(page, near)
    _in_first_screen(page, row)  # the board opens on the detainees
    page.screenshot("board-desktop")


@pytest.mark.phone
def test_under_an_hour_left_on_a_phone(page, officer, near):
    _board(page, officer)
    row = _near_row(page, near)
    _in_first_screen(page, row.get_by_text("Under 1 hour left"))
    # Cards, not a table to scroll sideways: nothing is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.evaluate(
        "(() => { const t = document.querySelector('.app-board');"
        " return t.scrollWidth <= t.clientWidth + 1; })()"
    )
    page.screenshot("board-phone")
