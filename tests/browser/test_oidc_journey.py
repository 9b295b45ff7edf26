"""In a real browser: "Sign in with <organisation>", the provider's own sign-in form (the test
OpenID provider, a separate process), and back to Harbour's home page signed in."""

import re

import pytest

from accounts.models import RoleMapping, User
from accounts.roles import Role
from tests.oidc_provider.fixtures import PASSWORD, harbour_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_signs_in_with_the_forces_identity_provider(page, oidc_provider, force):
    RoleMapping.objects.create(
        organisation=force, claim="groups", value="harbour-officers", role=Role.RESPONSE_OFFICER
    )
    harbour_provider(oidc_provider, force, slug="midshire", client_id="harbour-force")

    page.visit("/sign-in/")
    page.get_by_role("button", name="Sign in with Midshire Police").click()
    # The provider's page (another origin, another process).
    page.wait_for_url(re.compile(re.escape(oidc_provider.issuer.rsplit("/o", 1)[0]) + ".*"))
    page.get_by_label("Email or username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in at the provider").click()

    page.wait_for_url(page.base_url + "/")
    page.check_a11y("home")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Your work")
    user = User.objects.get(username="alice.officer")
    assert user.membership.organisation == force
    assert page.get_by_text("Alice Officer").first.is_visible()


def test_a_user_with_no_mapped_role_sees_why(page, oidc_provider, force):
    harbour_provider(oidc_provider, force, slug="midshire", client_id="harbour-force")
    page.visit("/sign-in/")
    page.get_by_role("button", name="Sign in with Midshire Police").click()
    page.get_by_label("Email or username").fill("carol")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in at the provider").click()
    page.wait_for_url(page.base_url + "/sign-in/callback/**")
    page.check_a11y("refused")
    assert "gives you no role in Harbour" in page.locator("#refusal").inner_text()
