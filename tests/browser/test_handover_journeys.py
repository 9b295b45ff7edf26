"""A4 as a request and its answer, in the browser with axe on every page: an officer asks from
their account and a nurse accepts from hers (in one step from "People here now"), and the
officer sees it at once on the board and in the inbox; and a handover accepted through the
one-time link emailed to the suite's shared inbox (read from the test's mail outbox), on a
phone."""

import re
from datetime import timedelta

import pytest
from django.core import mail

from alerts.models import Delivery
from alerts.render import email_for
from alerts.tasks import deliver
from detentions.models import Handover, HandoverRequest
from tests.conftest import PASSWORD, wait_for
from tests.pages.helpers import make_person, make_places, start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def suite(force, health_trust, acute_trust):
    _station, suite, _ed = make_places(force, health_trust, acute_trust)
    suite.handover_inbox = "northbridge-suite@trust.example"
    suite.save()
    return suite


def _sign_in_as(page, user):
    page.context.clear_cookies()
    page.sign_in(user.username, PASSWORD)


def _arrived(officer, force, suite):
    from core.actor import acting_as, user_actor
    from detentions import services

    d = start(officer, make_person(force, "Sam", "Rowe"))
    with acting_as(user_actor(officer)):
        services.record_arrival(
            d, place_of_safety=suite, arrived_at=d.detained_at + timedelta(minutes=20)
        )
    return d


def _ask(page, officer, d):
    _sign_in_as(page, officer)
    page.visit(f"/detentions/{d.pk}/")
    page.get_by_role("link", name="Ask health staff to take over").click()
    page.wait_for_load_state("load")
    page.check_a11y("ask")
    page.get_by_label("Anything health staff should know (optional)").fill("Calm, has eaten")
    page.get_by_role("button", name="Ask health staff to take over").click()
    page.wait_for_url(re.compile(rf".*/detentions/{d.pk}/$"))
    page.check_a11y("asked")
    assert "Waiting for health staff since" in page.inner_text("main")


def test_officer_asks_and_nurse_accepts_from_people_here_now(page, officer, nurse, force, suite):
    _nurse_journey(page, officer, nurse, force, suite)


@pytest.mark.phone
def test_officer_asks_and_nurse_accepts_on_a_phone(page, officer, nurse, force, suite):
    _nurse_journey(page, officer, nurse, force, suite)


def _nurse_journey(page, officer, nurse, force, suite):
    d = _arrived(officer, force, suite)
    _ask(page, officer, d)

    _sign_in_as(page, nurse)
    page.visit(f"/places-of-safety/{suite.pk}/")
    row = page.locator("tr", has_text="Sam Rowe")
    assert "Police asked at" in row.inner_text()
    row.get_by_label("Yes, police must stay").check()
    row.get_by_label("If police must stay: why?").fill("Risk of violence to staff")
    row.get_by_role("button", name="Accept handover of Sam Rowe").click()
    page.wait_for_url(re.compile(rf".*/places-of-safety/{suite.pk}/$"))
    page.check_a11y("accepted")
    assert "Handed over at" in page.inner_text("main")
    handover = Handover.objects.get(detention=d)
    assert handover.received_by == str(nurse) and not handover.via_link

    _sign_in_as(page, officer)
    page.visit("/detentions/")
    assert "Accepted: police must stay: Risk of violence to staff" in page.inner_text("main")
    page.visit("/alerts/")
    assert "Handover accepted" in page.inner_text("main")
    page.visit(f"/detentions/{d.pk}/")
    assert "Accepted: police must stay" in page.inner_text("main")

    _sign_in_as(page, nurse)
    page.visit(f"/detentions/{d.pk}/")
    page.get_by_role("button", name="Police may now leave").click()
    page.wait_for_url(re.compile(rf".*/detentions/{d.pk}/$"))
    page.check_a11y("released")
    assert "police released at" in page.inner_text("main")


def _link_journey(page, officer, force, suite):
    d = _arrived(officer, force, suite)
    _ask(page, officer, d)
    delivery = Delivery.objects.get(address="northbridge-suite@trust.example")
    # Sent here, unless the session's Celery worker (started by an earlier worker test) took
    # the message the page queued and sent it first; either way it is sent once, and its body
    # is the one the alert renders now.
    deliver.apply(args=[delivery.pk])
    wait_for(
        lambda: Delivery.objects.get(pk=delivery.pk).status == Delivery.Status.SENT,
        message="the email with the one-time link to be sent",
    )
    sent_here = [m for m in mail.outbox if m.to == ["northbridge-suite@trust.example"]]
    _subject, body = email_for(delivery.alert)
    assert len(sent_here) <= 1 and all(m.body == body for m in sent_here)
    url = re.search(r"https?://\S+/handover/link/\S+/", body).group(0)
    path = "/handover/link/" + url.split("/handover/link/", 1)[1]

    page.context.clear_cookies()  # health staff without an account
    page.visit(path)
    assert "Sam Rowe" in page.inner_text("main")
    page.get_by_label("Yes, accept the handover").check()
    page.get_by_role("button", name="Send your answer").click()
    page.wait_for_load_state("load")
    page.check_a11y("link-errors")
    assert "Select whether the police must stay" in page.inner_text("main")
    page.get_by_label("Your name and role").fill("Ann Lee, staff nurse")
    page.get_by_label("No, police may leave").check()
    page.get_by_role("button", name="Send your answer").click()
    page.get_by_role("heading", name="Answer sent").wait_for()
    page.check_a11y("link-done")
    handover = Handover.objects.get(detention=d)
    assert handover.received_by == "Ann Lee, staff nurse" and handover.via_link
    assert HandoverRequest.objects.get(detention=d).answered_via == "link"

    response = page.goto(page.base_url + path)
    assert response.status == 410
    page.check_a11y("link-used")
    assert "already been used" in page.inner_text("main")

    _sign_in_as(page, officer)
    page.visit("/detentions/")
    assert "Accepted: police may leave" in page.inner_text("main")


def test_accepted_through_the_one_time_link(page, officer, force, suite):
    _link_journey(page, officer, force, suite)


@pytest.mark.phone
def test_accepted_through_the_one_time_link_on_a_phone(page, officer, force, suite):
    _link_journey(page, officer, force, suite)
