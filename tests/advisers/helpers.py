"""Signing in for page tests, with the second factor when the user's role requires one.

Uses tests.security.otp (core.security's enforcement) when present; without it, force_login.
"""


def sign_in(client, user):
    try:
        from tests.security.otp import sign_in as otp_sign_in
    except ImportError:  # two-factor enforcement not installed in this tree
        client.force_login(user)
        return client
    return otp_sign_in(client, user)
