"""In a real browser: an organisation's administrator subscribes to the event types their
system needs (none chosen for them), on a desktop and on a phone; the pages pass axe."""

import pytest

from core import events
from partners.models import WebhookSubscription
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _subscribe(page, make_user, partner_org):
    make_user("liaison-admin", partner_org, "administrator")
    page.sign_in("liaison-admin", PASSWORD)
    page.visit("/organisation/webhooks/new/")
    boxes = page.get_by_role("checkbox")
    assert boxes.count() == len(events.NAMES)  # every event, and not the test event
    assert all(not boxes.nth(i).is_checked() for i in range(boxes.count()))  # none pre-chosen
    page.get_by_label("Name").fill("Case system")
    page.get_by_label("Address (https://)").fill("https://partner.example.org/hook")
    page.get_by_role("button", name="Add subscription").click()
    page.get_by_text("Choose at least one event.").first.wait_for()
    page.check_a11y("no-event-chosen")
    page.get_by_label("detention.breached").check()
    page.get_by_label("detention.ended").check()
    page.get_by_role("button", name="Add subscription").click()
    page.page.wait_for_url("**/secret/")
    page.check_a11y("secret")
    sub = WebhookSubscription.objects.get(organisation=partner_org)
    assert sub.events == ["detention.breached", "detention.ended"]


def test_an_administrator_subscribes_to_chosen_event_types(page, make_user, partner_org):
    _subscribe(page, make_user, partner_org)


@pytest.mark.phone
def test_an_administrator_subscribes_on_a_phone(page, make_user, partner_org):
    _subscribe(page, make_user, partner_org)
