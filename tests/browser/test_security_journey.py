"""In a real browser: the content security policy blocks nothing the pages need (no CSP
violation on any page visited), the two-factor pages and the lockout page pass axe, and an
enforced role signs in with its second factor."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.otp import current_code
from accounts.roles import Role
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch_csp(p):
    violations = []
    p.page.on(
        "console",
        lambda msg: (
            violations.append(msg.text)
            if "Content Security Policy" in msg.text or "Refused to" in msg.text
            else None
        ),
    )
    return violations


def test_an_officer_sets_up_two_factor_and_no_page_breaks_the_policy(page, officer):
    violations = watch_csp(page)
    page.sign_in(officer.username, PASSWORD)
    for path in ("/", "/detentions/", "/places-of-safety/", "/incidents/", "/alerts/"):
        page.visit(path)
    assert page.evaluate("document.body.classList.contains('js-enabled')")

    page.visit("/account/two-factor/")
    page.get_by_role("img", name=re.compile("QR code")).wait_for()
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    page.get_by_label("Code from your authenticator app").fill("12")
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    page.get_by_role("link", name="Enter the code as 6 digits, like 123456").wait_for()
    page.check_a11y("otp-setup-error")
    page.get_by_label("Code from your authenticator app").fill(current_code(device))
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    page.get_by_text("Two-factor authentication is set up.").wait_for()
    page.check_a11y("otp-set-up")
    assert violations == []


def test_an_auditor_must_pass_the_second_factor(page, make_user, force):
    violations = watch_csp(page)
    make_user("pat", force, Role.AUDITOR)
    page.page.goto(page.base_url + "/sign-in/")
    page.get_by_label("Username").fill("pat")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # No device yet: straight to setting one up, before any other page.
    page.page.wait_for_url(re.compile(r".*/account/two-factor/\?next=.*"))
    page.check_a11y("otp-required-setup")
    page.page.goto(page.base_url + "/audit/")
    assert "/account/two-factor/" in page.page.url
    device = TOTPDevice.objects.get(user__username="pat", confirmed=False)
    page.get_by_label("Code from your authenticator app").fill(current_code(device))
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    page.page.wait_for_url(re.compile(r"^(?!.*/account/two-factor/).*$"))
    page.visit("/audit/")

    # Next time: the code step, through the harness.
    page.get_by_role("button", name="Sign out").click()
    page.sign_in("pat", PASSWORD)
    page.visit("/audit/")
    assert violations == []


def test_the_verify_and_lockout_pages_are_accessible(page, make_user, force, officer):
    TOTPDevice.objects.create(user=make_user("admin1", force, Role.ADMINISTRATOR), name="x")
    page.page.goto(page.base_url + "/sign-in/")
    page.get_by_label("Username").fill("admin1")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.page.wait_for_url(re.compile(r".*/account/two-factor/verify/.*"))
    page.get_by_label("Code from your authenticator app").fill("000001")
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("The code is not right").first.wait_for()
    page.check_a11y("otp-verify-error")

    context = page.page.context
    context.clear_cookies()
    for _ in range(5):
        page.page.goto(page.base_url + "/sign-in/")
        page.get_by_label("Username").fill("officer")
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Sign-in is locked for now").wait_for()
    page.check_a11y("lockout")
