"""The browser harness: headless Debian Chromium driven by Playwright, against pytest-django's
live server, with axe-core run on every page a test visits."""

import os
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")


# One Chromium for the whole run. Apps' test modules re-export these fixtures
# (`browser = harness.browser`), which makes pytest create another session-scoped copy; a second
# sync_playwright() in the same thread fails ("Sync API inside the asyncio loop"), so every copy
# shares the first one's browser and only that copy closes it.
_SHARED: dict = {}


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; the ORM calls that browser tests
    # make are ordinary synchronous calls. Set only once a browser test starts.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if "browser" in _SHARED:
        yield _SHARED["browser"]
        return
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"chromium is missing at {CHROMIUM}: apt-get install chromium (make test does this as root)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        _SHARED["browser"] = browser
        try:
            yield browser
        finally:
            _SHARED.pop("browser", None)
            browser.close()


class A11yViolation(AssertionError):
    pass


class Page:
    """A Playwright page with the harness's habits: every `visit` checks accessibility."""

    #: Strict pages (the role journeys, issue 19): axe's best practices too (the `region` rule:
    #: all content in landmarks) and a violation of any impact fails.
    strict = False

    def __init__(self, page, base_url, name):
        self.page = page
        self.base_url = base_url
        self.name = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)
        self.shots = 0

    def __getattr__(self, item):
        return getattr(self.page, item)

    def visit(self, path, check=True):
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status < 400, (
            f"{path}: HTTP {response and response.status}"
        )
        if check:
            self.check_a11y()
        return response

    def sign_in(self, username, password):
        self.page.goto(self.base_url + "/sign-in/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_url(re.compile(r".*/$|.*/(?!sign-in).*"))
        assert "/sign-in/" not in self.page.url, "sign in failed"
        if "/account/two-factor/" in self.page.url:
            self.pass_second_factor(username)

    def pass_second_factor(self, username):
        """Administrators, auditors and the force MH lead are asked for a code after their
        password (core/security.py): type the current code of their device in the test
        database (one is confirmed for them here if they have none)."""
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from accounts.otp import current_code

        device = (
            TOTPDevice.objects.filter(user__username=username, confirmed=True)
            .order_by("pk")
            .first()
        )
        if device is None:
            TOTPDevice.objects.filter(user__username=username, confirmed=False).delete()
            from accounts.models import User

            device = TOTPDevice.objects.create(
                user=User.objects.get(username=username), name="Test", confirmed=True
            )
            self.page.goto(self.base_url + "/account/two-factor/verify/")
        # A code is accepted once: let a second sign-in in the same 30 s use the current one.
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
        self.page.get_by_label("Code from your authenticator app").fill(current_code(device))
        self.page.get_by_role("button", name="Continue").click()
        self.page.wait_for_url(re.compile(r"^(?!.*/account/two-factor/).*$"))

    def check_a11y(self, label=None):
        """Runs axe-core on the current page; fails on any serious or critical violation (on
        any violation at all, best practices included, when the page is `strict`)."""
        self.page.wait_for_load_state("load")
        # Loaded from the app's own static files: the content security policy allows no
        # inline scripts (Playwright's `path=` would inline it).
        self.page.add_script_tag(url=self.base_url + "/static/vendor/axe/axe.min.js")
        tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
        if self.strict:
            tags.append("best-practice")
        result = self.page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
            tags,
        )
        self.screenshot(label)
        impacts = (
            ("minor", "moderate", "serious", "critical") if self.strict else ("serious", "critical")
        )
        bad = [
            v
            for v in result["violations"]
            if v["impact"] in impacts or (self.strict and not v["impact"])
        ]
        if bad:
            lines = [
                f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
                for v in bad
            ]
            raise A11yViolation(
                f"accessibility violations on {self.page.url}:\n" + "\n".join(lines)
            )
        return result

    def screenshot(self, label=None):
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.shots += 1
        name = f"{self.name}-{self.shots:02d}{'-' + label if label else ''}.png"
        self.page.screenshot(path=str(SHOTS / name), full_page=True)


@pytest.fixture
def page(browser, live_server, request):
    """A fresh browser context (phone-sized when the test is marked `phone`)."""
    phone = request.node.get_closest_marker("phone") is not None
    context = browser.new_context(
        viewport={"width": 390, "height": 844} if phone else {"width": 1280, "height": 900},
        locale="en-GB",
        timezone_id="Europe/London",
    )
    context.set_default_timeout(15000)
    p = Page(context.new_page(), live_server.url, request.node.name)
    yield p
    context.close()
