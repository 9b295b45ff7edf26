"""Issue 19: the board warns before each deadline, in words as well as colour, from the stored
UTC deadlines and a controlled clock; the detainees come before the roster and the filters."""

from datetime import timedelta

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from core import urgency

from .helpers import at_station, at_suite, make_person, make_places

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(force, health_trust, acute_trust):
    return make_places(force, health_trust, acute_trust)


def _row(page, reference):
    """The board's table row of the detention `reference`."""
    at = page.index(reference)
    return page[page.rindex("<tr", 0, at) : page.index("</tr>", at)]


def _board(client):
    return client.get("/detentions/").content.decode()


def test_under_an_hour_left_is_unmistakable(web, officer, force, places):
    suite = places[1]
    now = timezone.now().replace(microsecond=0)
    with time_machine.travel(now, tick=False):
        near, later = (
            at_suite(
                officer, make_person(force, given, "Doe"), suite, arrived_at=now - ago, now=now
            )
            for given, ago in (
                ("Near", timedelta(hours=23, minutes=10)),  # 50 minutes left
                ("Later", timedelta(hours=22, minutes=30)),  # 90 minutes left
            )
        )
        calm = at_suite(officer, make_person(force, "Fresh", "Start"), suite, now=now)
        page = _board(web.as_user(officer))
    row = _row(page, near.reference)
    assert "Under 1 hour left" in row and "govuk-tag--red" in row
    assert "app-urgency--" in row and 'data-urgency="' in row
    assert '<span class="govuk-visually-hidden">Urgent: </span>Under 1 hour left' in row
    row = _row(page, later.reference)
    assert "Under 2 hours left" in row and "govuk-tag--orange" in row
    assert "Under 1 hour left" not in row
    row = _row(page, calm.reference)
    assert "data-urgency" not in row and "left</strong>" not in row
    # The detainees come first: the roster and the filters follow the list.
    assert page.index(near.reference) < page.index('id="filter-place"')


def test_a_welfare_check_turns_amber_ten_minutes_before_then_red(web, officer, force, places):
    station = places[0]
    d = at_station(officer, make_person(force), station)
    due = d.next_welfare_check_due_at
    client = web.as_user(officer)
    with time_machine.travel(due - timedelta(minutes=15), tick=False):
        assert "Welfare check due in under" not in _row(_board(client), d.reference)
    with time_machine.travel(due - timedelta(minutes=5), tick=False):
        row = _row(_board(client), d.reference)
        assert "Welfare check due in under 10 minutes" in row and "govuk-tag--orange" in row
    with time_machine.travel(due + timedelta(minutes=1), tick=False):
        row = _row(_board(client), d.reference)
        assert "Welfare check overdue" in row and 'data-urgency="overdue"' in row


def test_the_thresholds_are_a_setting():
    now = timezone.now()
    deadline = now + timedelta(minutes=50)
    assert urgency.band("EXPIRY", deadline, now).words == "Under 1 hour left"
    bands = {"EXPIRY": {"RED": timedelta(minutes=30), "AMBER": timedelta(hours=3)}}
    with override_settings(HARBOUR={"BOARD_URGENCY": bands}):
        band = urgency.band("EXPIRY", deadline, now)
        assert band.level == "amber" and band.words == "Under 3 hours left"
        assert urgency.band("EXPIRY", now + timedelta(hours=4), now) is None
    assert urgency.band("REVIEW", now - timedelta(seconds=1), now).words == "Review overdue"
    assert urgency.band("REVIEW", None, now) is None
