"""Test helper for enforced two-factor authentication (core.security.OTPEnforcementMiddleware).

Administrators, auditors and the force mental health lead must pass a second factor after
their password. Tests that sign such a user in with the test client's `force_login` call
`pass_second_factor(client, user)` explicitly: it gives the user a confirmed TOTP device (if
they have none) and marks the client's session as verified with it, exactly as
`django_otp.login` does after a correct code. Enforcement itself is never switched off.
"""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.security import otp_required


def device_for(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
    return device


def pass_second_factor(client, user):
    """Marks the (already signed-in) client's session as verified with the user's device."""
    device = device_for(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def sign_in(client, user):
    """force_login, plus the second factor when the user's role requires it."""
    client.force_login(user)
    if otp_required(user):
        pass_second_factor(client, user)
    return client


def sign_in_with_second_factor(client, user):
    """For a client already signed in as `user`: passes the second factor if the role needs it."""
    if otp_required(user):
        pass_second_factor(client, user)
    return client
