"""Who may see reports and exports.

Dashboards, the s136 return and repeat-demand figures count the records of the actor's own
organisation (`report_organisation`), for users with VIEW_REPORTS or keys with `reports:read`.
An export is visible to reporting users of the organisation that requested it; the worker that
builds it checks again that its requester may still read reports (`may_build`).
"""

from accounts.permissions import Perm
from core.policy import ALLOW, Decision, Principal, deny, register

from .models import Export


def may_read_reports(actor: Principal) -> Decision:
    if not actor.allowed((Perm.VIEW_REPORTS,), "reports:read") or actor.organisation_id is None:
        return deny()
    return ALLOW


def report_organisation(actor: Principal) -> int | None:
    """The organisation whose records a report counts (None: nothing)."""
    return actor.organisation_id if may_read_reports(actor) else None


def visible_exports(actor: Principal):
    if not actor.is_authenticated or actor.organisation_id is None:
        return Export.objects.none()
    return Export.objects.filter(organisation_id=actor.organisation_id)


def may_build(actor: Principal, export: Export) -> Decision:
    """The worker builds an export only for a requester who may still read its organisation's
    reports."""
    if actor.organisation_id != export.organisation_id:
        return deny()
    return may_read_reports(actor)


register("reporting.export", visible_exports)


def home_npu(user):
    """The NPU an NPU lead's reports open on: their membership's home NPU (None for anyone
    else, or when none is set). The dashboard defaults to it; "Whole force" stays one link away."""
    from accounts.roles import Role

    membership = getattr(user, "membership", None)
    if membership is None or Role.NPU_LEAD not in (membership.roles or ()):
        return None
    if membership.npu_id is None:
        return None
    npu = membership.npu
    return npu if npu.force_id == membership.organisation_id else None
