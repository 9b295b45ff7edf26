"""Two-factor authentication (django-otp TOTP): devices, QR codes and the demo's fixed secret.

Pages are in accounts/otp_views.py; enforcement (which roles must pass it) is
core.security.OTPEnforcementMiddleware.
"""

from __future__ import annotations

import base64

import segno
from django.conf import settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.security import has_confirmed_device  # noqa: F401  (the OTP pages use it from here)

DEVICE_NAME = "Authenticator app"

# The demo's fixed TOTP secret (seed_demo gives it to the demo users whose role enforces a
# second factor). Demo only: printed on purpose.
DEMO_TOTP_KEY_HEX = "486172626f75722d64656d6f2d7365636f6e6421"  # 20 bytes


def pending_device(user) -> TOTPDevice:
    """The user's unconfirmed device (the same one on every visit to the set-up page, so the
    key shown does not change until it is confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def base32_key(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def grouped(key: str) -> str:
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """An SVG QR code of the otpauth:// URL, as a data: URI (allowed by the CSP's img-src)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def current_code(device: TOTPDevice, offset_steps: int = 0) -> str:
    """The device's current code (tests and the demo's `manage.py demo_otp`)."""
    code = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0,
        digits=device.digits,
        drift=device.drift + offset_steps,
    )
    return f"{code:0{device.digits}d}"


def ensure_demo_device(user) -> TOTPDevice:
    """A confirmed TOTP device with the demo's fixed secret (seed_demo only)."""
    device, _ = TOTPDevice.objects.update_or_create(
        user=user,
        name="Demo authenticator",
        defaults={"key": DEMO_TOTP_KEY_HEX, "confirmed": True},
    )
    return device


def demo_base32_key() -> str:
    return base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY_HEX)).decode("ascii").rstrip("=")


def issuer() -> str:
    return getattr(settings, "OTP_TOTP_ISSUER", "Harbour")
