"""The plain-words text of an alert (inbox, email), in the active language (an email: the
recipient's preferred language, alerts.tasks.deliver)."""

from datetime import timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .models import AlertKind

HANDOVER_KINDS = (
    AlertKind.HANDOVER_REQUESTED,
    AlertKind.HANDOVER_ACCEPTED,
    AlertKind.HANDOVER_DECLINED,
)


def _local(dt) -> str:
    """'7 Dec 2026 06:30 GMT' (month names in the active language)."""
    return formats.date_format(timezone.localtime(dt), "j M Y H:i T") if dt else ""


def _duration(hours: int, minutes: int) -> str:
    if hours and minutes:
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
    if hours:
        return _("%(hours)s h") % {"hours": hours}
    return _("%(minutes)s min") % {"minutes": minutes}


_DONE_LATE = {
    AlertKind.WELFARE_CHECK_OVERDUE: gettext_lazy("Welfare check"),
    AlertKind.REVIEW_OVERDUE: gettext_lazy("Custody review"),
}


def lateness(alert) -> str:
    """'12 min', '1 h 5 min': how late a check or review met its deadline (`satisfied_late`)."""
    minutes = max(0, int((alert.satisfied_at - alert.due_at).total_seconds() // 60))
    hours, minutes = divmod(minutes, 60)
    return _duration(hours, minutes)


def describe(alert) -> str:
    due = _local(alert.due_at)
    kind = alert.kind
    if alert.satisfied_at is not None and kind in _DONE_LATE:
        return _(
            "%(what)s %(late)s late: due %(due)s, made %(done)s. Raised after the fact (no "
            "sweep ran in time) and closed at once."
        ) % {
            "what": _DONE_LATE[kind],
            "late": lateness(alert),
            "due": due,
            "done": _local(alert.satisfied_at),
        }
    if kind == AlertKind.EXPIRY_WARNING:
        hours, minutes = divmod(alert.threshold_minutes or 0, 60)
        left = _duration(hours, minutes)
        return _("The permitted period ends in %(left)s (warning due %(due)s).") % {
            "left": left,
            "due": due,
        }
    if kind in (AlertKind.PROTOCOL_REVIEW_DUE, AlertKind.TRAINING_REFRESHER_DUE):
        return _describe_reminder(alert)
    if kind in HANDOVER_KINDS:
        from .handover import describe as describe_handover

        return describe_handover(alert)
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
        AlertKind.AUTHORISATION_REQUESTED: _(
            "A sergeant asked at %(due)s for an inspector's authorisation to use a police "
            "station as the place of safety. Approve or refuse it under Approvals waiting."
        ),
        AlertKind.EXTENSION_APPROVAL_REQUESTED: _(
            "A sergeant asked at %(due)s for a superintendent's approval of an extension at a "
            "police station. Approve or refuse it under Approvals waiting."
        ),
        AlertKind.UNLAWFUL_ACT_RECORDED: _(
            "An act that broke the rules at %(due)s was recorded as it happened, with an "
            "account (R1). Review it in the list of unlawful acts."
        ),
    }
    return messages.get(kind, "%(due)s") % {"due": due}


def _reminder_date(alert) -> str:
    """The date the reminder is about: the review or refresher date (UK day)."""
    days = (alert.threshold_minutes or 0) // 1440
    day = timezone.localtime(alert.due_at).date() + timedelta(days=days)
    return formats.date_format(day, "j F Y")


def _describe_reminder(alert) -> str:
    days = (alert.threshold_minutes or 0) // 1440
    values = {"date": _reminder_date(alert), "days": days}
    if alert.kind == AlertKind.PROTOCOL_REVIEW_DUE:
        if days == 0:
            return _("The protocol is due for review today (%(date)s).") % values
        return (
            ngettext(
                "The protocol is due for review in %(days)d day, on %(date)s.",
                "The protocol is due for review in %(days)d days, on %(date)s.",
                days,
            )
            % values
        )
    if days == 0:
        return _("The officer's training refresher is due today (%(date)s).") % values
    return (
        ngettext(
            "The officer's training refresher is due in %(days)d day, on %(date)s.",
            "The officer's training refresher is due in %(days)d days, on %(date)s.",
            days,
        )
        % values
    )


def subject_reference(alert) -> str:
    if alert.detention_id and alert.detention is not None:
        return alert.detention.reference
    if alert.referral_id and alert.referral is not None:
        referral = alert.referral
        return referral.reference
    if alert.protocol_id and alert.protocol is not None:
        protocol = alert.protocol
        return f"{protocol.title} v{protocol.version}"
    if alert.training_record_id and alert.training_record is not None:
        record = alert.training_record
        user = record.user
        name = user.get_full_name() or user.get_username()
        return f"{name} – {record.get_course_display()}"
    return ""


def _prefix(alert, repeat: int) -> str:
    out = _("ESCALATED: ") if alert.escalation_level else ""
    if repeat:
        out += _("REPEAT %(n)d, NOT YET ACKNOWLEDGED: ") % {"n": repeat}
    return out


def email_for(alert, repeat: int = 0) -> tuple[str, str]:
    ref = subject_reference(alert)
    subject = f"{_prefix(alert, repeat)}{alert.get_kind_display()} – {ref}"
    body = "\n\n".join(
        [
            describe(alert),
            *_handover_lines(alert),
            _("Reference: %(ref)s") % {"ref": ref},
            _("Raised at %(raised)s.") % {"raised": _local(alert.raised_at)},
            _("Acknowledge it in Harbour under Alerts."),
        ]
    )
    return subject, body


def _handover_lines(alert) -> list[str]:
    if alert.kind not in HANDOVER_KINDS:
        return []
    from .handover import email_lines

    return email_lines(alert)


def sms_for(alert, repeat: int = 0) -> str:
    """A text message: short, the same facts as the email."""
    ref = subject_reference(alert)
    return " ".join(
        [
            _("Harbour: %(what)s – %(ref)s.")
            % {"what": f"{_prefix(alert, repeat)}{alert.get_kind_display()}", "ref": ref},
            describe(alert),
            _("Acknowledge it in Harbour under Alerts."),
        ]
    )


def personalisation(alert, channel: str, repeat: int = 0) -> dict:
    """What the GOV.UK Notify templates are filled with: email ((subject)) and ((body)), text
    message ((message))."""
    from .models import Channel

    if channel == Channel.NOTIFY_SMS:
        return {"message": sms_for(alert, repeat)}
    subject, body = email_for(alert, repeat)
    return {"subject": subject, "body": body}
