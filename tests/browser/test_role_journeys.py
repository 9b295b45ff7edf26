"""Issue 19: every role's journey from their home page to their main tasks, at desktop
(1366x900) and phone (390x844) size, with axe-core on every page visited and no violation of
any impact (the harness's strict mode: WCAG 2.0-2.2 A and AA and axe's best practices, the
`region` rule among them). Screenshots of every step go to test-artifacts/screenshots/
(named after the test). docs/accessibility.md lists the journeys."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import NPU
from accounts.roles import Role
from accounts.services import ensure_user
from alerts.models import Alert, AlertKind
from assessments.models import AmhpServiceArea
from tests.conftest import PASSWORD
from tests.pages.helpers import at_station, at_suite, make_person, make_places

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [
    pytest.param("desktop", id="desktop"),
    pytest.param("phone", id="phone", marks=pytest.mark.phone),
]


@pytest.fixture
def world(force, health_trust, acute_trust, local_authority, make_user):
    officer = make_user("officer", force, Role.RESPONSE_OFFICER, rank="constable")
    station, suite, _ed = make_places(force, health_trust, acute_trust)
    AmhpServiceArea.objects.create(organisation=local_authority, name="Midshire").places.add(suite)
    now = timezone.now()
    at_police = at_station(officer, make_person(force, "Stella", "Station"), station, now=now)
    in_suite = at_suite(officer, make_person(force, "Simon", "Suite"), suite, now=now)
    Alert.objects.create(
        kind=AlertKind.TRANSFER_REQUIRED,
        detention=at_police,
        due_at=now - timedelta(minutes=1),
        raised_at=now,
        organisations=[force.pk],
        roles=[Role.INSPECTOR],
    )
    users = {
        "officer": officer,
        "sergeant": make_user("sergeant", force, Role.CUSTODY_SERGEANT, rank="sergeant"),
        "inspector": make_user("inspector", force, Role.INSPECTOR, rank="inspector"),
        "superintendent": make_user("supt", force, Role.SUPERINTENDENT, rank="superintendent"),
        "nurse": make_user("nurse", health_trust, Role.PLACE_OF_SAFETY_STAFF),
        "amhp": make_user("amhp", local_authority, Role.AMHP),
        "doctor": make_user("doctor", health_trust, Role.DOCTOR),
        "auditor": make_user("auditor", force, Role.AUDITOR),
        "admin": make_user("admin", force, Role.ADMINISTRATOR),
        "npulead": ensure_user(
            "npulead",
            organisation=force,
            roles=[Role.NPU_LEAD],
            password=PASSWORD,
            display_name="Nia Lead",
            npu=NPU.objects.get(force=force, code="NPU-C"),
        ),
    }
    return {"at_police": at_police, "in_suite": in_suite, "users": users}


def _start(page, size, user):
    page.strict = True
    if size == "desktop":
        page.set_viewport_size({"width": 1366, "height": 900})
    page.sign_in(user.username, PASSWORD)
    _go(page, "/", "home")
    assert page.get_by_role("heading", name="Needs your attention now").is_visible()
    if size == "phone":
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _go(page, path, label):
    page.visit(path, check=False)
    page.check_a11y(label)


def _panel(page, key):
    return page.locator(f"#attention-{key}")


def _follow(page, locator, label):
    locator.click()
    page.wait_for_load_state("load")
    page.check_a11y(label)


@pytest.mark.parametrize("size", SIZES)
def test_custody_sergeant(page, world, size):
    _start(page, size, world["users"]["sergeant"])
    panel = _panel(page, "checks_due")
    assert "Welfare check due" in panel.inner_text()
    _follow(page, panel.get_by_role("link", name=re.compile("Stella Station")), "detention")
    _follow(page, page.get_by_role("link", name=re.compile("welfare check", re.I)).first, "welfare")
    _go(page, "/detentions/", "board")


@pytest.mark.parametrize("size", SIZES)
def test_response_officer(page, world, size):
    _start(page, size, world["users"]["officer"])
    panel = _panel(page, "my_detentions")
    assert "Simon Suite" in panel.inner_text()
    _follow(page, panel.get_by_role("link", name=re.compile("Simon Suite")), "detention")
    _go(page, "/detentions/start/", "start")
    _go(page, "/incidents/", "incidents")


@pytest.mark.parametrize("size", SIZES)
def test_inspector(page, world, size):
    _start(page, size, world["users"]["inspector"])
    panel = _panel(page, "waiting_for_you")
    assert "Transfer from police station required" in panel.inner_text()
    _follow(page, panel.get_by_role("link", name="Open your alerts inbox"), "inbox")
    _go(page, world["at_police"].get_absolute_url(), "detention")


@pytest.mark.parametrize("size", SIZES)
def test_superintendent(page, world, size):
    _start(page, size, world["users"]["superintendent"])
    assert _panel(page, "waiting_for_you").is_visible()
    _follow(
        page, _panel(page, "my_alerts").get_by_role("link", name="Open your alerts inbox"), "inbox"
    )
    _go(page, "/reports/", "reports")


@pytest.mark.parametrize("size", SIZES)
def test_amhp(page, world, size):
    _start(page, size, world["users"]["amhp"])
    panel = _panel(page, "amhp_cases")
    assert "waits for an AMHP" in panel.inner_text()
    _follow(page, panel.get_by_role("link", name=re.compile("AMHP worklist")), "worklist")
    _go(page, f"/assessments/detentions/{world['in_suite'].pk}/", "assessment")


@pytest.mark.parametrize("size", SIZES)
def test_doctor(page, world, size):
    _start(page, size, world["users"]["doctor"])
    panel = _panel(page, "doctor_waiting")
    _follow(page, panel.get_by_role("link", name=re.compile("Simon Suite")), "assessment")


@pytest.mark.parametrize("size", SIZES)
def test_place_of_safety_staff(page, world, size):
    _start(page, size, world["users"]["nurse"])
    panel = _panel(page, "people_here")
    assert "Simon Suite" in panel.inner_text()
    _follow(page, panel.get_by_role("link", name=re.compile("Simon Suite")), "detention")
    _go(page, "/places-of-safety/", "places")


@pytest.mark.parametrize("size", SIZES)
def test_npu_lead(page, world, size):
    _start(page, size, world["users"]["npulead"])
    panel = _panel(page, "npu_now")
    _follow(page, panel.get_by_role("link", name=re.compile("Reports for")), "reports")
    assert "Castleford Central" in page.locator("h1").inner_text()
    page.visit("/reports/")
    assert "Castleford Central" in page.locator("h1").inner_text()  # lands on their NPU
    page.get_by_text("Show the figures as a table").first.click()
    page.check_a11y("figures-open")
    _go(page, "/reports/s136-return/", "return")


@pytest.mark.parametrize("size", SIZES)
def test_administrator(page, world, size):
    _start(page, size, world["users"]["admin"])
    _follow(
        page, _panel(page, "organisation").get_by_role("link", name=re.compile("API key")), "keys"
    )


@pytest.mark.parametrize("size", SIZES)
def test_auditor(page, world, size):
    _start(page, size, world["users"]["auditor"])
    _follow(
        page, _panel(page, "outside_access").get_by_role("link", name="The access log"), "access"
    )
    _go(page, "/audit/", "search")


@pytest.mark.parametrize("size", SIZES)
def test_the_accessibility_statement_from_the_footer(page, size):
    page.strict = True
    if size == "desktop":
        page.set_viewport_size({"width": 1366, "height": 900})
    page.visit("/sign-in/")
    _follow(page, page.get_by_role("link", name="Accessibility statement"), "statement")
    assert page.locator("h1").inner_text() == "Accessibility statement for Harbour"
    assert page.get_by_role("heading", name="How we tested this service").is_visible()


def test_strict_pages_fail_on_content_outside_the_landmarks(page):
    """The strict check can fail: a paragraph put outside every landmark breaks axe's `region`
    rule (a best practice of minor impact, which the default check ignores)."""
    from tests.browser.harness import A11yViolation

    page.strict = True
    page.visit("/accessibility/")
    page.evaluate(
        "() => { const p = document.createElement('p'); p.textContent = 'Stray';"
        " document.body.insertBefore(p, document.body.firstChild); }"
    )
    with pytest.raises(A11yViolation, match="region"):
        page.check_a11y("stray")
    page.strict = False
    page.check_a11y("stray-lenient")  # the default check lets it pass
