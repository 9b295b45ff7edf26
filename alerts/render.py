"""Plain-English text of an alert (inbox, email)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AlertKind


def _local(dt) -> str:
    return timezone.localtime(dt).strftime("%d %b %Y %H:%M %Z") if dt else ""


def describe(alert) -> str:
    due = _local(alert.due_at)
    kind = alert.kind
    if kind == AlertKind.EXPIRY_WARNING:
        hours, minutes = divmod(alert.threshold_minutes or 0, 60)
        left = (
            f"{hours} h {minutes} min"
            if hours and minutes
            else (f"{hours} h" if hours else f"{minutes} min")
        )
        return _("The permitted period ends in %(left)s (warning due %(due)s).") % {
            "left": left,
            "due": due,
        }
    messages = {
        AlertKind.EXPIRED: _("The permitted period expired at %(due)s: this is a breach (C6)."),
        AlertKind.WELFARE_CHECK_OVERDUE: _("A welfare check was due at %(due)s (PS4)."),
        AlertKind.REVIEW_OVERDUE: _("The custody review was due at %(due)s (PS5)."),
        AlertKind.TRANSFER_REQUIRED: _(
            "Since %(due)s the police station conditions are no longer met: transfer the "
            "person or record why they stay (PS6)."
        ),
        AlertKind.ASSESSMENT_TARGET_MISSED: _(
            "The assessment was due to begin by %(due)s (A2 target missed)."
        ),
        AlertKind.HANDOVER_TARGET_MISSED: _(
            "Handover to health staff was due by %(due)s (A4 target missed)."
        ),
        AlertKind.REFERRAL_OVERDUE: _("The referral was due to be acknowledged by %(due)s."),
    }
    return messages.get(kind, "%(due)s") % {"due": due}


def subject_reference(alert) -> str:
    if alert.detention_id and alert.detention is not None:
        return alert.detention.reference
    if alert.referral_id and alert.referral is not None:
        referral = alert.referral
        return referral.reference
    return ""


def email_for(alert) -> tuple[str, str]:
    ref = subject_reference(alert)
    escalated = _("ESCALATED: ") if alert.escalation_level else ""
    subject = f"{escalated}{alert.get_kind_display()} – {ref}"
    body = "\n\n".join(
        [
            describe(alert),
            _("Reference: %(ref)s") % {"ref": ref},
            _("Raised at %(raised)s.") % {"raised": _local(alert.raised_at)},
            _("Acknowledge it in Harbour under Alerts."),
        ]
    )
    return subject, body
