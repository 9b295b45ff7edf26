"""An NPU lead opens the force dashboard, changes the date range, opens the annual s136 return
for that period and downloads it as CSV."""

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from accounts.roles import Role
from detentions.models import Detention, DetentionArrival
from incidents.models import Incident
from people.models import Person
from places_of_safety.models import PlaceKind, PlaceOfSafety
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def january_2025(force, health_trust):
    suite = PlaceOfSafety.objects.create(
        name="Ashdown suite", kind=PlaceKind.HEALTH_BASED, organisation=health_trust
    )
    detained = dt.datetime(2025, 1, 15, 21, 30, tzinfo=LONDON)
    for n in range(2):
        person = Person.objects.create(
            organisation=force,
            given_name="Sam",
            family_name=f"Reed{n}",
            date_of_birth=dt.date(1990, 1, 1),
            ethnicity="W1",
        )
        Incident.objects.create(
            organisation=force,
            reference=f"INC-{n}",
            occurred_at=detained - dt.timedelta(minutes=30),
            category="section_136",
            npu=force.npus.get(code="NPU-N"),
        )
        arrived = detained + dt.timedelta(minutes=40)
        d = Detention.objects.create(
            organisation=force,
            reference=f"DET-{n}",
            person=person,
            detained_at=detained,
            location_kind="public_place",
            conveyance_mode="ambulance",
            rule_set="pca2017",
            status="ended",
            clock_started_at=arrived,
            expires_at=arrived + dt.timedelta(hours=24),
            current_place_of_safety=suite,
            ended_at=arrived + dt.timedelta(hours=6),
            outcome="detained_s2",
        )
        DetentionArrival.objects.create(detention=d, place=suite, arrived_at=arrived)


def test_npu_lead_changes_the_range_and_downloads_the_s136_return(
    page, make_user, force, january_2025
):
    make_user("npulead", force, Role.NPU_LEAD)
    page.sign_in("npulead", PASSWORD)
    page.get_by_role("link", name="Reports").first.click()
    page.wait_for_url("**/reports/")
    page.check_a11y("dashboard")
    assert page.get_by_role("heading", name="Whole force").is_visible()

    page.get_by_label("From", exact=True).fill("2025-01-01")
    page.get_by_label("To", exact=True).fill("2025-01-31")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/reports/?date_from=2025-01-01*")
    page.check_a11y("january")
    assert page.get_by_text("From 1 January 2025 to 31 January 2025").is_visible()
    # The figures fold away under the chart (issue 19): open them to read the table.
    page.locator("#figure-first_place").get_by_text("Show the figures as a table").click()
    figure = page.locator("#table-first_place")
    assert "2" in figure.locator("tr", has_text="Health-based").inner_text()
    # The chart is drawn above the table (the table stays as the accessible version).
    page.locator("#figure-first_place canvas").wait_for()

    page.get_by_role("link", name="The annual s136 return").click()
    page.wait_for_url("**/reports/s136-return/")
    page.get_by_label("From", exact=True).fill("2025-01-01")
    page.get_by_label("To", exact=True).fill("2025-01-31")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/s136-return/?date_from=2025-01-01*")
    page.check_a11y("return")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the return (CSV)").click()
    download = info.value
    assert download.suggested_filename == "s136-return-2025-01-01-2025-01-31.csv"
    text = Path(download.path()).read_text()
    assert text.splitlines()[0] == "figure,category,value"
    assert "total,,2" in text
    assert "by_first_place_of_safety,health_based,2" in text
