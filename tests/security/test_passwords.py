"""Passwords are validated: at least 12 characters, not common, not like the username."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "password, message",
    [
        ("short-1A", "too short"),
        ("password1234", "too common"),
        ("officer12345", "too similar"),
    ],
)
def test_weak_passwords_are_refused(officer, password, message):
    with pytest.raises(ValidationError) as exc:
        validate_password(password, user=officer)
    assert message in " ".join(exc.value.messages)


def test_a_long_unusual_passphrase_is_accepted(officer):
    validate_password("moorland-kettle-lantern-29", user=officer)


def test_the_admin_password_form_applies_them(client, make_user, force):
    from accounts.roles import Role
    from tests.security.otp import sign_in

    admin = make_user("root", force, Role.ADMINISTRATOR)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    sign_in(client, admin)
    r = client.post(
        f"/admin/accounts/user/{admin.pk}/password/",
        {"password1": "short", "password2": "short"},
    )
    assert r.status_code == 200
    assert "too short" in r.content.decode()
