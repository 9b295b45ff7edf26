"""Approvals asked of the approver's own account (PS3, E5; detentions/approvals.py): the
approvers are told at once, an alert in their inbox (and their deliveries), raised in the
transaction that asked; it closes when the approval is given or refused.

Connected from AlertsConfig.ready to the detentions core's signals (the core does not import
alerts: import-linter's app layers).
"""

from __future__ import annotations

from django.utils import timezone

from detentions.approvals import approval_decided, approval_requested
from detentions.models import Approval

from .models import Alert, AlertKind, CloseReason

KIND_FOR = {
    Approval.Kind.POLICE_STATION: AlertKind.AUTHORISATION_REQUESTED,
    Approval.Kind.EXTENSION: AlertKind.EXTENSION_APPROVAL_REQUESTED,
}
APPROVAL_KINDS = frozenset(KIND_FOR.values())


def on_requested(sender, *, approval, now=None, **kwargs) -> list[int]:
    """Raise the alert for the approvers (once per request: its `due_at` is when it was asked,
    so the unique constraint makes a second one impossible)."""
    from .services import raise_now

    return raise_now(
        KIND_FOR[approval.kind],
        detention=approval.detention,
        due_at=approval.requested_at,
        place=None,
        now=now,
        reason="approval asked of the approver's own account",
    )


def on_decided(sender, *, approval, now=None, **kwargs) -> list[int]:
    """Close the approval's alert: it has been decided (from an account or on the word)."""
    from . import sweep

    now = now or timezone.now()
    ids = list(
        Alert.objects.filter(
            detention_id=approval.detention_id,
            kind=KIND_FOR[approval.kind],
            due_at=approval.requested_at,
            closed_at__isnull=True,
        ).values_list("pk", flat=True)
    )
    if ids:
        Alert.objects.filter(pk__in=ids).update(
            closed_at=now, closed_reason=CloseReason.APPROVAL_DECIDED
        )
        sweep._write_history(ids, now, update=True, reason="approval decided")
    return ids


def connect() -> None:
    approval_requested.connect(on_requested, dispatch_uid="alerts-approval-requested")
    approval_decided.connect(on_decided, dispatch_uid="alerts-approval-decided")


__all__ = ["APPROVAL_KINDS", "connect", "on_decided", "on_requested"]
