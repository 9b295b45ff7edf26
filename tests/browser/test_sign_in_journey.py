import pytest

from accounts.roles import Role
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_each_demo_role_signs_in_and_sees_an_accessible_home_page(
    page, make_user, force, health_trust
):
    user = make_user("sergeant", force, Role.CUSTODY_SERGEANT)
    page.visit("/sign-in/")
    page.sign_in(user.username, PASSWORD)
    page.check_a11y("home")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Your work")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in/")


@pytest.mark.phone
def test_sign_in_page_on_a_phone_is_accessible(page):
    page.visit("/sign-in/")
