"""Who may see and do what with detentions and their events.

One table (`DETENTION_ACTIONS`) answers for every door: the detention pages, the assessment
pages, the partner API (with a session or a key), history and the access log.

- **See**: the force that recorded the detention, the operator of any place of safety it has
  been at or is being moved to, and a local authority whose AMHP service covers one of those
  places (or the detention's NPU) or took the case (`DetentionQuerySet.visible_to_organisation`).
  Anything else is 404.
- **Record an event** (relation WRITE): the recording force, or the operator of the place where
  the person is now or is being moved to. A place the person has left, or any other organisation
  that can see the detention, gets 403.
- **Record the assessment** (relation ASSESS): as WRITE, and also the local authority whose
  AMHP service can see the detention (A1).
- **Start a detention**: police forces only.
- **Permissions**: a user needs one of the action's role permissions, a key the action's scope.
  Checked first (403), then visibility (404), then the relation (403): the order both doors
  always had.

People: `people.policy`; incidents: `incidents.policy`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from accounts.permissions import Perm
from core.policy import ALLOW, Decision, Principal, deny, hide, register

from .models import Approval, Detention

READ = "read"  # visible is enough
WRITE = "write"  # the recording force or the current / destination place's operator
ASSESS = "assess"  # WRITE, or the covering local authority (A1)
RECORDER = "recorder"  # the recording force only
PLACE = "place"  # the operator of the place where the person is now (its health staff)


@dataclass(frozen=True)
class Rule:
    perms: tuple
    scope: str
    relation: str


_RECORD = (Perm.RECORD_DETENTIONS,)
_CUSTODY = (Perm.RECORD_CUSTODY_CARE,)
_ASSESSMENT = (Perm.RECORD_ASSESSMENT,)  # health and social care staff, not the police

DETENTION_ACTIONS: dict[str, Rule] = {
    "view": Rule((Perm.VIEW_DETENTIONS,), "detentions:read", READ),
    "arrival": Rule(_RECORD, "detentions:write", WRITE),
    "transfer": Rule(_RECORD, "detentions:write", WRITE),
    "transfer_arrival": Rule(_RECORD, "detentions:write", WRITE),
    "handover": Rule(_RECORD, "detentions:write", WRITE),
    # A4 as a request and its answer (detentions/handover.py): the detaining force asks, the
    # health staff of the place where the person is now accept or decline (or release police).
    "request_handover": Rule(_RECORD, "detentions:write", RECORDER),
    "answer_handover": Rule(_ASSESSMENT, "detentions:write", PLACE),
    "escape": Rule(_RECORD, "detentions:write", WRITE),
    "return": Rule(_RECORD, "detentions:write", WRITE),
    "end": Rule(_RECORD, "detentions:write", WRITE),
    "welfare_check": Rule(_CUSTODY, "detentions:write", WRITE),
    "review": Rule(_CUSTODY, "detentions:write", WRITE),
    "transfer_exception": Rule(_CUSTODY, "detentions:write", WRITE),
    # The doctor authorises, the superintendent approves (E1, E5): their own accounts record it.
    "extension": Rule(
        (Perm.AUTHORISE_EXTENSION, Perm.APPROVE_EXTENSION), "detentions:write", WRITE
    ),
    "correct": Rule((Perm.CORRECT_RECORDS,), "detentions:write", WRITE),
    # R1: the force mental health lead reviews unlawful acts recorded as they happened.
    "review_unlawful": Rule((Perm.REVIEW_UNLAWFUL_ACTS,), "detentions:write", READ),
    # R2: an event never recorded before the end, entered late through the audited path.
    "late_entry": Rule((Perm.CORRECT_RECORDS,), "detentions:write", WRITE),
    # The assessment (API `assessment/`; pages under /assessments/detentions/<id>/).
    "assessment": Rule(_ASSESSMENT, "detentions:write", ASSESS),
    # Only an AMHP takes a case for their local authority (pages only).
    "take_case": Rule((Perm.RECORD_ASSESSMENT,), "detentions:write", ASSESS),
    # Force, search and restraint (use_of_force/): recorded like any event; reviewed by the
    # force mental health lead.
    "use_of_force": Rule(_RECORD, "detentions:write", WRITE),
    "review_force": Rule((Perm.REVIEW_FORCE,), "detentions:write", WRITE),
    # Approvals (PS3, E5; detentions/approvals.py): the sergeant asks, or records an approval
    # given on the approver's word; the inspector (a police station's use) or the
    # superintendent (an extension at a station) decides from their own account.
    "request_approval": Rule(_CUSTODY, "detentions:write", RECORDER),
    "approve_police_station": Rule((Perm.AUTHORISE_POLICE_STATION,), "detentions:write", WRITE),
    "approve_extension": Rule((Perm.APPROVE_EXTENSION,), "detentions:write", WRITE),
    # References to the force's other systems (custody record, CAD): the recording force.
    "references": Rule(_RECORD, "detentions:write", RECORDER),
    # History: auditors for any detention they can see; others for their own force's.
    "history": Rule((Perm.VIEW_AUDIT, Perm.VIEW_DETENTIONS), "audit:read", READ),
}

# The API viewset's action names -> the table's.
API_ACTIONS = {
    "list": "view",
    "retrieve": "view",
    "metadata": "view",
    "create": "start",
    "transfers": "transfer",
    "return_": "return",
    "welfare_checks": "welfare_check",
    "reviews": "review",
    "corrections": "correct",
    "late_entries": "late_entry",
    "handover_request": "request_handover",
    "handover_accept": "answer_handover",
    "handover_decline": "answer_handover",
}

WRITE_REFUSED = _(
    "Only the force that recorded this detention, or the operator of the place of safety where "
    "the person is (or is being moved to), may record on it."
)


# --- See ----------------------------------------------------------------------------------------


def detentions_of_organisation(organisation_id):
    """What an organisation sees (serializers that take the caller's organisation use it)."""
    if organisation_id is None:
        return Detention.objects.none()
    return Detention.objects.visible_to_organisation(organisation_id)


def _org(actor: Principal):
    return actor.organisation_id if actor.is_authenticated else None


def visible_detentions(actor: Principal):
    return detentions_of_organisation(_org(actor))


register("incidents.detention", visible_detentions)


# --- Do -----------------------------------------------------------------------------------------


def may_start(actor: Principal) -> Decision:
    """Start (create) a detention: police forces only, with the role or the scope."""
    if not actor.allowed(_RECORD, "detentions:write"):
        return deny(_("You may not record detentions."))
    if not actor.is_police_force:
        return deny(_("Only a police force may record a detention."))
    return ALLOW


def permitted(actor: Principal, action: str) -> Decision:
    """The role or scope part alone (before the detention is looked up)."""
    if action == "start":
        return may_start(actor)
    rule = DETENTION_ACTIONS[action]
    if not actor.allowed(rule.perms, rule.scope):
        return deny(_("Your role does not allow this."))
    return ALLOW


def _operates_current_place(detention: Detention, organisation_id) -> bool:
    places = (detention.current_place_of_safety, detention.in_transfer_to)
    return any(p is not None and p.organisation_id == organisation_id for p in places)


def _may_write(detention: Detention, organisation_id) -> bool:
    if organisation_id is None:
        return False
    return detention.organisation_id == organisation_id or _operates_current_place(
        detention, organisation_id
    )


def _is_visible(actor: Principal, detention: Detention) -> bool:
    return visible_detentions(actor).filter(pk=detention.pk).exists()


def relation_allows(actor: Principal, action: str, detention: Detention) -> Decision:
    """The organisation's relation to a detention the actor can already see."""
    rule = DETENTION_ACTIONS[action]
    org_id = actor.organisation_id
    if rule.relation == READ:
        if (
            action == "history"
            and actor.is_user
            and not actor.has_perm(Perm.VIEW_AUDIT)
            and detention.organisation_id != org_id
        ):
            return deny(_("Only auditors, or the force that recorded it, may read its history."))
        return ALLOW
    if rule.relation == RECORDER:
        if org_id is not None and detention.organisation_id == org_id:
            return ALLOW
        return deny(_("Only the force that recorded this detention may do this."))
    if rule.relation == PLACE:
        place = detention.current_place_of_safety
        if org_id is not None and place is not None and place.organisation_id == org_id:
            return ALLOW
        return deny(
            _("Only health staff of the place where the person is now may answer a handover.")
        )
    if _may_write(detention, org_id):
        return ALLOW
    if rule.relation == ASSESS and actor.organisation_kind == "local_authority":
        return ALLOW  # visible (checked before) and the covering AMHP service: A1
    return deny(WRITE_REFUSED)


def may(actor: Principal, action: str, detention: Detention, *, visible: bool | None = None):
    """Whether `actor` may do `action` to `detention`: role or scope (403), visibility (404),
    then the organisation's relation (403). `visible=True` when the caller already fetched the
    detention through `visible_detentions(actor)`."""
    decision = permitted(actor, action)
    if not decision:
        return decision
    if not (visible if visible is not None else _is_visible(actor, detention)):
        return hide()
    return relation_allows(actor, action, detention)


def actions_for(actor: Principal, detention: Detention) -> set[str]:
    """Every action of the table this actor may take on a detention they can see (no query)."""
    return {
        name
        for name in DETENTION_ACTIONS
        if permitted(actor, name) and relation_allows(actor, name, detention)
    }


# --- Approvals ------------------------------------------------------------------------------------

#: The action that decides each kind of approval.
APPROVAL_ACTIONS = {
    Approval.Kind.POLICE_STATION: "approve_police_station",
    Approval.Kind.EXTENSION: "approve_extension",
}


def visible_approvals(actor: Principal):
    """Approvals follow their detention: visible where it is (another force's: 404)."""
    return Approval.objects.filter(detention__in=visible_detentions(actor).values("pk"))


register("detentions.approval", visible_approvals)


def decidable_kinds(actor: Principal) -> list[str]:
    """The kinds of approval this actor's role or scope may decide (none: empty)."""
    return [k for k, action in APPROVAL_ACTIONS.items() if permitted(actor, action)]


def may_decide(actor: Principal, approval: Approval, *, visible: bool | None = None) -> Decision:
    """Approve or refuse: the role or scope for its kind (403), the detention visible (404),
    the organisation's relation to it (403)."""
    return may(actor, APPROVAL_ACTIONS[approval.kind], approval.detention, visible=visible)
