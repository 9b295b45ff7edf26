"""Who may see and do what with people (the force that recorded them) and with their response
plans and warning markers (below)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.permissions import Perm
from core.policy import ALLOW, Decision, Principal, deny, hide, register

from .models import Person

PEOPLE_ACTIONS = {
    "view": ((Perm.VIEW_PEOPLE,), "incidents:read"),
    "record": ((Perm.RECORD_PEOPLE,), "incidents:write"),
}


def people_of_organisation(organisation_id):
    if organisation_id is None:
        return Person.objects.none()
    return Person.objects.visible_to_organisation(organisation_id)


def visible_people(actor: Principal):
    return people_of_organisation(actor.organisation_id if actor.is_authenticated else None)


register("incidents.person", visible_people)


def may_person(actor: Principal, action: str, person: Person | None = None) -> Decision:
    perms, scope = PEOPLE_ACTIONS[action]
    if not actor.allowed(perms, scope):
        return deny()
    if person is not None and person.organisation_id != actor.organisation_id:
        return hide()
    return ALLOW


# --- Response plans and warning markers ------------------------------------------------------
#
# Who sees a plan (`visible_plans`), in every door (pages, API, history, exports):
# - the organisation that wrote it, whatever its state (drafts and pending plans included);
# - the organisations it is addressed to (the person's force always), once approved: approved
#   plans, and withdrawn ones that had been approved (their history);
# - the person's force's approvers (APPROVE_PLANS), while it waits for approval.
# Nobody else: a partner not addressed sees nothing (404).
#
# Who does what (`may_plan`): the role or scope (403), the plan visible (404), then the
# organisation's relation (403): only the writing organisation changes or submits a draft;
# approving or rejecting needs a person (not a key) with APPROVE_PLANS in the writing
# organisation or the person's force who neither wrote nor submitted it; withdrawing is for
# whoever wrote or submitted it, the approvers of the writing organisation or the person's
# force, and the writing organisation's keys.

PLAN_ACTIONS = {
    "view": ((Perm.VIEW_PLANS,), "plans:read"),
    "write": ((Perm.WRITE_PLANS,), "plans:write"),
    "approve": ((Perm.APPROVE_PLANS,), None),  # a person, never a key
    "withdraw": ((Perm.WRITE_PLANS, Perm.APPROVE_PLANS), "plans:write"),
}


def _plans():
    from .models import ResponsePlan

    return ResponsePlan.objects


def _may_approve_for_force(actor: Principal) -> bool:
    return actor.is_user and actor.has_perm(Perm.APPROVE_PLANS)


def visible_plans(actor: Principal):
    from .choices import PlanStatus

    plans = _plans()
    if not actor.is_authenticated or actor.organisation_id is None:
        return plans.none()
    if not actor.allowed(PLAN_ACTIONS["view"][0], PLAN_ACTIONS["view"][1]) and not actor.allowed(
        PLAN_ACTIONS["write"][0], PLAN_ACTIONS["write"][1]
    ):
        return plans.none()
    org = actor.organisation_id
    addressed = plans.addressed_to(org).filter(approved_at__isnull=False).values("pk")
    shown = Q(author_organisation_id=org) | Q(pk__in=addressed)
    if _may_approve_for_force(actor):
        shown |= Q(status=PlanStatus.PENDING, person__organisation_id=org)
    return plans.filter(shown)


def visible_contacts(actor: Principal):
    from .models import PlanContact

    return PlanContact.objects.filter(plan__in=visible_plans(actor).values("pk"))


def visible_markers(actor: Principal):
    from .models import WarningMarker

    return WarningMarker.objects.filter(plan__in=visible_plans(actor).values("pk"))


register("people.responseplan", visible_plans)
register("people.plancontact", visible_contacts)
register("people.warningmarker", visible_markers)


def in_force_plans(actor: Principal):
    """What officers are shown: approved plans visible to the actor (markers past their review
    date are left out by `people.plans.current_markers`)."""
    from .choices import PlanStatus

    return visible_plans(actor).filter(status=PlanStatus.APPROVED)


def people_for_plans(actor: Principal):
    """The people an actor may write a plan about: the force's own people, and the people of
    whatever an installed app lets the organisation know about (partners: referrals sent to or
    by it; `people.related.add_plan_subjects`)."""
    from . import related

    if not actor.is_authenticated or actor.organisation_id is None:
        return Person.objects.none()
    known = Q(organisation_id=actor.organisation_id)
    for subjects in related.PLAN_SUBJECTS:
        known |= Q(pk__in=subjects(actor.organisation_id))
    return Person.objects.filter(known, merged_into__isnull=True)


def may_write_plan_for(actor: Principal, person: Person | None = None) -> Decision:
    perms, scope = PLAN_ACTIONS["write"]
    if not actor.allowed(perms, scope):
        return deny()
    if person is not None and not people_for_plans(actor).filter(pk=person.pk).exists():
        return hide()
    return ALLOW


def may_plan(actor: Principal, action: str, plan=None) -> Decision:
    perms, scope = PLAN_ACTIONS[action]
    if action == "approve" and not actor.is_user:
        return deny(_("A plan is approved by a person signed in, not by a key."))
    if not actor.allowed(perms, scope):
        return deny()
    if plan is None:
        return ALLOW
    if not visible_plans(actor).filter(pk=plan.pk).exists():
        return hide()
    org = actor.organisation_id
    writer_org = plan.author_organisation_id == org
    force = plan.person.organisation_id == org
    if action == "view":
        return ALLOW
    if action == "write":
        return ALLOW if writer_org else deny(_("Only the organisation that wrote it changes it."))
    if action == "approve":
        if not (writer_org or force):
            return deny(_("Only the writing organisation or the person's force approves it."))
        user_id = getattr(actor.user, "pk", None)
        if user_id is not None and user_id in (plan.written_by_id, plan.submitted_by_id):
            return deny(_("You wrote or submitted this plan: a second person must approve it."))
        return ALLOW
    # withdraw: whoever wrote or submitted it, an approver of the writing organisation or of the
    # person's force, or a key of the writing organisation.
    user_id = getattr(actor.user, "pk", None)
    own = user_id is not None and user_id in (plan.written_by_id, plan.submitted_by_id)
    approver = _may_approve_for_force(actor)
    if (writer_org and (own or approver or actor.is_key)) or (force and approver):
        return ALLOW
    return deny(
        _("Only its writer, an approver, or the writing organisation's systems withdraw it.")
    )
