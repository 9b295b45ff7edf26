"""An officer logs an incident on a phone through its question pages, starts a detention from it
(question pages too), and finds the person's timeline with both. axe-core checks every page visited (serious or critical fails)."""

import re

import pytest

from accounts.roles import Role
from detentions.models import Detention
from incidents.models import Incident
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _continue(page, step):
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(rf".*/{step}/(\?change=1)?$"))
    page.check_a11y(step)


@pytest.mark.phone
def test_log_an_incident_start_a_detention_and_find_the_timeline(page, make_user, force):
    make_user("pc-okafor", force, Role.RESPONSE_OFFICER, rank="constable")
    page.sign_in("pc-okafor", PASSWORD)

    # Log the incident through its question pages (incidents/log_flow.py).
    page.visit("/incidents/new/")
    page.wait_for_url(re.compile(r".*/incidents/new/\w+/when/$"))
    page.get_by_label("Category").select_option("section_136")
    _continue(page, "where")
    page.get_by_label("Neighbourhood policing unit").select_option(label="NPU-C Castleford Central")
    page.get_by_label("Where").fill("Castleford railway bridge")
    _continue(page, "person")
    page.get_by_label("Given name").fill("Rosa")
    page.get_by_label("Family name").fill("Díaz")
    _continue(page, "rcrp")
    page.get_by_label("Attend: real and immediate risk to life").check()
    _continue(page, "officer")
    page.get_by_label("Officer's name").fill("PC Sam Okafor")
    page.get_by_label("Minutes spent").fill("120")
    _continue(page, "summary")
    _continue(page, "check")
    assert Incident.objects.count() == 0  # nothing saved before the confirmation
    page.get_by_role("button", name="Log the incident").click()
    page.wait_for_url(re.compile(r".*/incidents/\d+/$"))
    page.check_a11y("incident")
    incident = Incident.objects.get()
    assert page.get_by_role("heading", level=1).inner_text() == f"Incident {incident.reference}"

    # Start the detention from it: the incident's person is offered, never chosen for the officer.
    page.get_by_role("link", name="Start a detention from this incident").click()
    page.wait_for_url(re.compile(r".*/detentions/start/\w+/person/$"))
    page.check_a11y("start-detention")
    assert page.locator("input[name=person]:checked").count() == 0
    page.get_by_label(re.compile("^Rosa Díaz")).check()
    _continue(page, "power")
    page.get_by_label("Section 136 (removal from a public place)").check()
    page.get_by_label("Public place", exact=True).check()
    _continue(page, "consultation")
    page.get_by_label("No, it was not practicable").check()
    page.get_by_label("Why was consulting not practicable?").fill(
        "Immediate risk: she was climbing the parapet."
    )
    _continue(page, "conveyance")
    page.get_by_label("Ambulance", exact=True).check()
    page.get_by_label("Removed to a place of safety").check()
    _continue(page, "check")
    page.get_by_role("button", name="Start the detention").click()
    page.wait_for_url(re.compile(r".*/detentions/\d+/$"))
    detention = Detention.objects.get()
    person = incident.people.get()
    # The person and the place carry over from the incident.
    assert detention.person == person and detention.incident == incident
    assert detention.location_description == "Castleford railway bridge"

    page.visit("/people/?q=rosa+diaz")
    page.get_by_role("link", name="Rosa Díaz").click()
    page.wait_for_url(re.compile(rf".*/people/{person.pk}/$"))
    page.check_a11y("person")
    timeline = page.locator(".app-timeline").inner_text()
    assert incident.reference in timeline and detention.reference in timeline
