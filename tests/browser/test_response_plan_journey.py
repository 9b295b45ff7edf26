"""Issue 21: a response plan written by an officer on a phone, approved by a second person (an
inspector), shows at the top of the officer's phone view of the detention. The writer cannot
approve it. axe-core checks every page visited (serious or critical fails)."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from accounts.roles import Role
from core.actor import acting_as, user_actor
from people.models import ResponsePlan
from tests import factories
from tests.browser.harness import Page
from tests.conftest import PASSWORD
from tests.incidents.helpers import make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.phone
def test_a_plan_approved_by_a_second_person_shows_on_the_officers_phone_view(
    page, browser, live_server, make_user, force
):
    officer = make_user("pc-okafor", force, Role.RESPONSE_OFFICER, rank="constable")
    make_user("insp-hale", force, Role.INSPECTOR, rank="inspector")
    with acting_as(user_actor(officer)):
        person = make_person(force, "Rosa", "Díaz", dt.date(1991, 4, 2))
    detention = factories.detention(
        force, person, detained_at=timezone.now() - dt.timedelta(minutes=30)
    )

    # The officer writes the plan from the person's page, on a phone.
    page.sign_in("pc-okafor", PASSWORD)
    page.visit(f"/people/{person.pk}/")
    page.get_by_role("link", name="Write a response plan").click()
    page.wait_for_url(re.compile(r".*/people/plans/new/\?person=\d+$"))
    page.check_a11y("new-plan")
    page.get_by_label("What helps").fill("Speak slowly and give her time to answer.")
    page.get_by_label("What to avoid").fill("Standing over her; raised voices.")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r".*/people/plans/\d+/$"))
    page.check_a11y("draft")
    plan = ResponsePlan.objects.get()

    page.get_by_role("link", name="Add a warning marker").click()
    page.check_a11y("marker-form")
    page.get_by_label("Kind of warning").select_option("communication_need")
    page.get_by_label("Details").fill("Deaf: uses British Sign Language; write things down.")
    review = timezone.localdate() + dt.timedelta(days=180)
    page.get_by_label("Day").fill(str(review.day))
    page.get_by_label("Month").fill(str(review.month))
    page.get_by_label("Year").fill(str(review.year))
    page.get_by_role("button", name="Add").click()
    page.wait_for_url(re.compile(rf".*/people/plans/{plan.pk}/$"))

    page.get_by_role("link", name="Add a contact").click()
    page.check_a11y("contact-form")
    page.get_by_label("Name").fill("Jo Díaz")
    page.get_by_label("Relationship or role").fill("Sister")
    page.get_by_label("Phone").fill("01632 960 001")
    page.get_by_role("button", name="Add").click()
    page.wait_for_url(re.compile(rf".*/people/plans/{plan.pk}/$"))
    page.get_by_role("button", name="Submit for approval").click()
    page.wait_for_url(re.compile(rf".*/people/plans/{plan.pk}/$"))
    page.check_a11y("submitted")
    assert page.get_by_test_id("plan-status").inner_text() == "Waiting for approval"
    # The writer is not offered the approval, and the detention shows nothing yet.
    assert page.get_by_role("link", name="Approve or reject").count() == 0
    assert "a second person must approve it" in page.content()
    page.visit(f"/detentions/{detention.pk}/")
    assert "British Sign Language" not in page.get_by_test_id("warnings-panel").inner_text()

    # A second person, the inspector, approves it on their own phone.
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="en-GB", timezone_id="Europe/London"
    )
    context.set_default_timeout(15000)
    inspector = Page(context.new_page(), live_server.url, "inspector")
    try:
        inspector.sign_in("insp-hale", PASSWORD)
        inspector.visit("/people/plans/")
        inspector.get_by_role("link", name="Rosa Díaz").first.click()
        inspector.wait_for_url(re.compile(rf".*/people/plans/{plan.pk}/$"))
        inspector.check_a11y("to-approve")
        inspector.get_by_role("link", name="Approve or reject").click()
        inspector.check_a11y("decide")
        inspector.get_by_label("Approve: share it as written").check()
        inspector.get_by_role("button", name="Confirm").click()
        inspector.wait_for_url(re.compile(rf".*/people/plans/{plan.pk}/$"))
        assert inspector.get_by_test_id("plan-status").inner_text() == "Approved"
    finally:
        context.close()

    # The officer's phone view of the detention: the panel near the top, legible, no scrolling
    # sideways, the contact's number a link to call.
    page.visit(f"/detentions/{detention.pk}/")
    panel = page.get_by_test_id("warnings-panel")
    text = panel.inner_text()
    assert "Communication need" in text and "British Sign Language" in text
    assert "Speak slowly" in text and "Standing over her" in text
    assert panel.get_by_role("link", name="01632 960 001").get_attribute("href") == (
        "tel:01632960001"
    )
    heading = page.get_by_role("heading", level=1).bounding_box()
    box = panel.bounding_box()
    assert box["y"] > heading["y"] and box["y"] < 844  # on the first screen
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.check_a11y("detention-with-plan")
