"""Browser journeys for referrals, with axe-core on every page (the tests/browser harness)."""

import pytest

from partners.models import Referral
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.phone
def test_officer_sends_and_partner_accepts(page, officer, partner_user, incident, partner_org):  # noqa: F811
    page.visit("/sign-in/")
    page.sign_in(officer.username, PASSWORD)
    page.visit(f"/referrals/new/?incident={incident.pk}")
    page.get_by_role("button", name="Send referral").click()
    page.wait_for_load_state("load")
    page.check_a11y("errors")
    assert page.locator(".govuk-error-summary").is_visible()
    page.get_by_label("Refer to").select_option(label=partner_org.name)
    page.get_by_label("Service", exact=True).select_option("liaison_diversion")
    page.get_by_label("Urgent", exact=True).check()
    page.get_by_label("Reason for the referral").fill("Third crisis call this month.")
    page.get_by_label("Consent given").check()
    page.get_by_role("button", name="Send referral").click()
    page.wait_for_url("**/referrals/*/")
    page.check_a11y("sent")
    referral = Referral.objects.get()
    page.visit("/referrals/outbox/")
    assert referral.reference in page.content()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in/")

    page.sign_in(partner_user.username, PASSWORD)
    page.visit("/referrals/inbox/")
    page.get_by_role("link", name=referral.reference).click()
    page.wait_for_load_state("load")
    page.check_a11y("detail")
    page.get_by_label("Accepted", exact=True).check()
    page.get_by_label("Note", exact=True).fill("Assessment booked for 2pm.")
    page.get_by_role("button", name="Save status").click()
    page.wait_for_load_state("load")
    page.check_a11y("accepted")
    referral.refresh_from_db()
    assert referral.status == "accepted"
