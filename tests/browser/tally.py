"""Counting a journey's clicks, fields and pages in the browser (issue 19's targets), with a
screenshot and axe-core on every page.

A *click* is a link, button, radio or checkbox the user activates; a *field* an input they
type into or a list they choose from (a date of birth is three); a *page* a question or check
page of the journey (the page it starts from is not counted). Each journey prints its figures
and appends them to `test-artifacts/clicks.json`, and docs/accessibility.md ("Clicks and
fields") records them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


class Tally:
    def __init__(self, page, journey: str, size: str):
        self.page = page
        self.journey = journey
        self.size = size
        self.clicks = 0
        self.fields = 0
        self.pages = 0
        self.other_a11y: list[str] = []

    # --- what the user does
    def click(self, locator):
        locator.click()
        self.clicks += 1

    def check(self, locator):
        locator.check()
        self.clicks += 1

    def fill(self, locator, text):
        locator.fill(text)
        self.fields += 1

    def select(self, locator, value):
        locator.select_option(value)
        self.fields += 1

    def go(self, locator, label):
        """Clicks a link or button that opens the journey's next page, then checks that page."""
        with self.page.expect_navigation():
            locator.click()
        self.clicks += 1
        self.arrive(label)

    def arrive(self, label):
        self.pages += 1
        self.a11y(label)

    def a11y(self, label):
        """axe on the page (serious or critical fails in the harness; any other violation is
        kept and fails the journey at `report`), and a screenshot."""
        result = self.page.check_a11y(f"{self.size}-{label}")
        for v in result["violations"]:
            self.other_a11y.append(f"{label}: {v['id']} ({v['impact']}) {v['help']}")

    def report(self) -> dict:
        figures = {
            "journey": self.journey,
            "size": self.size,
            "pages": self.pages,
            "clicks": self.clicks,
            "fields": self.fields,
        }
        print(
            f"\n{self.journey} ({self.size}): {self.pages} pages, {self.clicks} clicks, "
            f"{self.fields} fields"
        )
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        with (ARTIFACTS / "clicks.json").open("a") as out:
            out.write(json.dumps(figures) + "\n")
        assert not self.other_a11y, "axe violations:\n" + "\n".join(self.other_a11y)
        return figures


def _continue(tally, label):
    tally.go(tally.page.get_by_role("button", name="Continue"), label)


def start_a_detention(page, size):
    """The common start from the board: a new person, s136 in a public place, a nurse
    consulted, an ambulance, removed to a place of safety."""
    tally = Tally(page, "start a detention", size)
    page.visit("/detentions/")
    tally.go(page.get_by_role("link", name="Start a detention").first, "person")
    assert page.locator("input[type=radio]:checked").count() == 0
    tally.check(page.get_by_label("A new person"))
    _continue(tally, "details")
    tally.fill(page.get_by_label("Given name"), "Robin")
    tally.fill(page.get_by_label("Family name"), "Hale")
    tally.fill(page.locator("#id_date_of_birth"), "12")
    tally.fill(page.locator("#id_date_of_birth-month"), "6")
    tally.fill(page.locator("#id_date_of_birth-year"), "1984")
    tally.select(page.locator("#id_gender"), "male")
    tally.select(page.locator("#id_ethnicity"), "NS")
    _continue(tally, "power")
    tally.check(page.get_by_label("Section 136 (removal from a public place)"))
    tally.check(page.get_by_label("Public place", exact=True))
    tally.fill(page.locator("#id_location_description"), "Castleford railway station")
    _continue(tally, "consultation")
    tally.check(page.get_by_label("Yes", exact=True))
    tally.select(page.locator("#id_consultation_profession"), "nurse")
    tally.fill(page.locator("#id_consultation_name"), "Street triage RMN Kate Jones")
    _continue(tally, "conveyance")
    tally.check(page.get_by_label("Ambulance", exact=True))
    tally.check(page.get_by_label("Removed to a place of safety"))
    _continue(tally, "check-answers")
    assert "Check your answers" in page.inner_text("h1")
    from detentions.models import Detention

    assert not Detention.objects.exists()  # nothing saved before the confirmation
    with page.expect_navigation():
        tally.click(page.get_by_role("button", name="Start the detention"))
    page.wait_for_url(re.compile(r".*/detentions/\d+/$"))
    tally.a11y("started")
    return tally
