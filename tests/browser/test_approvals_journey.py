"""Approvals in the approver's own account: the custody sergeant asks for a superintendent's
approval of an extension at the station (desktop); the superintendent finds the alert in their
inbox on a phone and approves in one step; the sergeant sees who approved and when."""

import datetime as dt
import re

import pytest

from accounts.roles import Role
from core.actor import acting_as, user_actor
from detentions import services
from detentions.models import Approval
from places_of_safety.models import PlaceKind, PlaceOfSafety
from tests import factories
from tests.browser.harness import Page
from tests.conftest import PASSWORD
from tests.pages.helpers import DECISION

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def held(force, make_user):
    sergeant = make_user("psmorgan", force, Role.CUSTODY_SERGEANT, rank="sergeant")
    station = PlaceOfSafety.objects.create(
        name="Midshire Central custody", kind=PlaceKind.POLICE_STATION, organisation=force
    )
    now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    with acting_as(user_actor(sergeant)):
        d = factories.detention(
            force,
            factories.person(force, "Casey", "Doyle"),
            detained_at=now - dt.timedelta(hours=3),
            now=None,
        )
        services.record_arrival(
            d,
            place_of_safety=station,
            arrived_at=now - dt.timedelta(hours=2, minutes=40),
            police_station_decision=DECISION,
        )
    return d


@pytest.fixture
def phone(browser, live_server, request):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="en-GB", timezone_id="Europe/London"
    )
    context.set_default_timeout(15000)
    yield Page(context.new_page(), live_server.url, request.node.name + "-phone")
    context.close()


def test_sergeant_asks_and_the_superintendent_approves_from_their_inbox_on_a_phone(
    page, phone, held, make_user, force
):
    make_user("suptgrey", force, Role.SUPERINTENDENT, rank="superintendent")

    # The sergeant asks, from the detention's page.
    page.sign_in("psmorgan", PASSWORD)
    page.visit(f"/detentions/{held.pk}/")
    page.get_by_role("link", name="Ask an inspector or superintendent for an approval").click()
    page.check_a11y("ask")
    page.get_by_role("button", name="Ask now").click()
    page.check_a11y("ask-error")  # nothing chosen for the sergeant: the error names the field
    assert "Select what you need approved" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("A superintendent's approval of an extension at a police station").check()
    page.get_by_label("Anything the approver should know").fill("Intoxicated: cannot be assessed")
    page.get_by_role("button", name="Ask now").click()
    page.wait_for_url(f"**/detentions/{held.pk}/#approvals")
    page.check_a11y("asked")
    assert "Waiting for a decision" in page.locator("#approvals ~ ul").first.inner_text()

    # The superintendent, on a phone: the alert is in their inbox at once.
    phone.sign_in("suptgrey", PASSWORD)
    phone.visit("/alerts/")
    row = phone.locator("tr", has_text="Extension at a police station: your approval is asked")
    assert row.count() == 1
    row.get_by_role("link", name=held.reference).click()
    phone.wait_for_url("**/approvals/")
    phone.check_a11y("waiting")
    card = phone.locator(".govuk-summary-card", has_text=held.reference)
    assert "Intoxicated" in card.inner_text()
    assert card.get_by_label("Your rank").input_value() == "superintendent"
    card.get_by_role("button", name=re.compile("^Approve")).click()
    phone.wait_for_url("**/approvals/")
    phone.check_a11y("approved")
    assert "You approved it" in phone.locator(".govuk-notification-banner").inner_text()
    assert "Nothing is waiting for your approval." in phone.locator("main").inner_text()

    # The sergeant sees who approved and when, from their own account.
    page.visit(f"/detentions/{held.pk}/")
    text = page.locator("#approvals ~ ul").first.inner_text()
    assert "Approved" in text and "Suptgrey" in text
    assert "from the approver's own account" in text
    approval = Approval.objects.get(detention=held)
    assert (approval.state, approval.approver.username) == ("approved", "suptgrey")
