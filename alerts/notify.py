"""GOV.UK Notify: whether it is set up, and one message sent through notifications-python-client.

Settings (`NOTIFY` in harbour/settings/base.py, from the environment; docs/operations.md):
`API_KEY` (Notify's whole key, `name-<service id>-<secret>`), `BASE_URL`, `EMAIL_TEMPLATE_ID`
(subject `((subject))`, body `((body))`), `SMS_TEMPLATE_ID` (`((message))`),
`CALLBACK_BEARER_TOKEN` (what Notify's callbacks carry), `TIMEOUT_SECONDS`.

Outcomes of a send: Notify's answer (its notification id); `Refused` when Notify says no with a
4xx (a bad number or address, a template or key it does not know: sending it again cannot help,
so the delivery is a permanent failure), except 429 (rate or daily limit): like a 5xx or a
connection that failed, that raises `notifications_python_client.errors.HTTPError` and is
retried with back-off. `NotConfigured` when the key or the channel's template is missing.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Channel

# Notify's final statuses, as its delivery-receipt callbacks say them.
CALLBACK_STATUSES = ("delivered", "permanent-failure", "temporary-failure", "technical-failure")

NOT_CONFIGURED = _(
    "GOV.UK Notify is not set up on this Harbour (no NOTIFY_API_KEY): email and text messages "
    "through Notify are unavailable. Ask your administrator."
)


class NotConfigured(Exception):
    pass


class Refused(Exception):
    """Notify refused the message (4xx other than 429): sending it again cannot help."""

    def __init__(self, status_code: int, message):
        self.status_code = status_code
        super().__init__(f"GOV.UK Notify refused it ({status_code}): {message}")


def config() -> dict:
    return getattr(settings, "NOTIFY", {}) or {}


def _template(channel: str) -> str:
    key = "SMS_TEMPLATE_ID" if channel == Channel.NOTIFY_SMS else "EMAIL_TEMPLATE_ID"
    return config().get(key, "")


def available(channel: str) -> bool:
    """Email always is; a Notify channel when the API key and its template are set."""
    if channel == Channel.EMAIL:
        return True
    return bool(config().get("API_KEY")) and bool(_template(channel))


def available_channels() -> list[str]:
    return [c for c in Channel.values if available(c)]


def unavailable_reason(channel: str) -> str:
    """Why a Notify channel cannot be chosen now ("" when it can)."""
    if available(channel):
        return ""
    if not config().get("API_KEY"):
        return str(NOT_CONFIGURED)
    if channel == Channel.NOTIFY_SMS:
        return str(_("No GOV.UK Notify text message template is set (NOTIFY_SMS_TEMPLATE_ID)."))
    return str(_("No GOV.UK Notify email template is set (NOTIFY_EMAIL_TEMPLATE_ID)."))


def client():
    from notifications_python_client.notifications import NotificationsAPIClient

    cfg = config()
    return NotificationsAPIClient(
        cfg["API_KEY"],
        base_url=cfg.get("BASE_URL") or "https://api.notifications.service.gov.uk",
        timeout=cfg.get("TIMEOUT_SECONDS", 10),
    )


def send(channel: str, address: str, *, personalisation: dict, reference: str) -> str:
    """Sends one message through Notify; returns Notify's notification id."""
    from notifications_python_client.errors import HTTPError

    if not available(channel):
        raise NotConfigured(unavailable_reason(channel))
    api = client()
    try:
        if channel == Channel.NOTIFY_SMS:
            answer = api.send_sms_notification(
                phone_number=address,
                template_id=_template(channel),
                personalisation=personalisation,
                reference=reference,
            )
        else:
            answer = api.send_email_notification(
                email_address=address,
                template_id=_template(channel),
                personalisation=personalisation,
                reference=reference,
            )
    except HTTPError as exc:
        if 400 <= exc.status_code < 500 and exc.status_code != 429:
            raise Refused(exc.status_code, exc.message) from exc
        raise
    return str(answer["id"])
