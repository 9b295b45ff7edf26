"""The inbox in a real browser (axe-core on every visit): a custody sergeant sees the open count
in the header, opens the inbox, acknowledges an alert; and the same on a phone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from alerts.models import Alert, AlertKind, ChannelPreference
from alerts.sweep import sweep
from tests.conftest import PASSWORD

from .conftest import detain

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# `browser` and `page` come from the harness (tests/browser/harness.py via tests/conftest.py).


@pytest.fixture
def overdue(force, station):
    now = timezone.now()
    d = detain(force, at=now - timedelta(minutes=90), place=station, now=now)
    sweep(now=now)
    return d


def acknowledge_first(page, sergeant, overdue):
    page.visit("/sign-in/", check=False)
    page.sign_in(sergeant.username, PASSWORD)
    page.get_by_role("link", name="2 open alerts").click()
    page.wait_for_url("**/alerts/")
    page.check_a11y("inbox")
    assert overdue.reference in page.content()
    page.get_by_role("button", name="Acknowledge Welfare check overdue").click()
    page.wait_for_url("**/alerts/")
    page.check_a11y("acknowledged")
    assert "Alert acknowledged." in page.content()
    assert page.get_by_role("link", name="1 open alert").is_visible()
    welfare = Alert.objects.get(kind=AlertKind.WELFARE_CHECK_OVERDUE)
    assert welfare.acknowledged_by == sergeant.username


def test_a_sergeant_acknowledges_an_alert_from_the_inbox(page, sergeant, overdue):
    acknowledge_first(page, sergeant, overdue)


@pytest.mark.phone
def test_the_inbox_works_on_a_phone(page, sergeant, overdue):
    acknowledge_first(page, sergeant, overdue)


def choose_text_messages(page, sergeant):
    page.visit("/sign-in/", check=False)
    page.sign_in(sergeant.username, PASSWORD)
    page.visit("/alerts/")
    page.get_by_role(
        "link", name="Choose how you are told about alerts (email, text message)"
    ).click()
    page.wait_for_url("**/alerts/channels/")
    page.check_a11y("channels")
    assert page.get_by_label("Email", exact=True).is_checked()  # as today, nothing else
    page.get_by_label("Email", exact=True).uncheck()
    page.get_by_role("button", name="Save").click()
    page.check_a11y("no channel chosen")
    assert "Choose at least one way to be told" in page.content()
    page.get_by_label("Text message through GOV.UK Notify").check()
    page.get_by_label("UK mobile number (for text messages)").fill("07700 900123")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/alerts/channels/")
    page.check_a11y("saved")
    assert "Your alert channels are saved." in page.content()
    sergeant.refresh_from_db()
    assert sergeant.mobile_number == "+447700900123"
    assert ChannelPreference.objects.get(user=sergeant).channels == ["notify_sms"]


def test_a_sergeant_chooses_text_messages(page, sergeant, notify_server):
    choose_text_messages(page, sergeant)


@pytest.mark.phone
def test_choosing_text_messages_works_on_a_phone(page, sergeant, notify_server):
    choose_text_messages(page, sergeant)
