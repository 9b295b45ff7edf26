"""Approvals in the approver's own account (PS3, E5): the one door for every change to an
`Approval`.

The sergeant asks (`request_approval`); the approver is told at once (the `approval_requested`
signal: the alerts app raises an alert in the approvers' inboxes) and approves or refuses from
their own account (`approve`, `refuse`). When the approver has no account or cannot be reached,
the sergeant records the approval on their word (`record_on_word`): it stays possible, and is
marked as such in the record and its history.

Who may approve what (s136-rules.md):
- `police_station` (PS3): an officer of inspector rank or above authorises the use of a police
  station when the decision-maker is below inspector (permission `AUTHORISE_POLICE_STATION`);
- `extension` (E5): a superintendent or above approves an extension at a police station before
  the doctor authorises it (permission `APPROVE_EXTENSION`). At a health-based place no
  approval is needed, so none is asked.
An approval is a second officer's check: whoever asked for it never gives it (`self_approval`).

The legal record: the police station decision of the next arrival at (or transfer to) a police
station, and the extension, take the approver's name, rank and time from the approval given
(`for_decision`, `for_extension`, called by `detentions.services` in the same transaction); a
name typed there with no approval given from an account is recorded as given on the approver's
word (an `Approval` with `on_word`), so the record and its history always say which it was.

Every function takes keyword-only `now` and runs in one transaction; history rows carry who
acted (core.actor) and, as the change reason, how the approval was given.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

import law
from accounts.permissions import Perm, permissions_for_roles
from core.actor import current_actor
from detentions.choices import Rank
from detentions.errors import RuleViolation
from detentions.models import Approval, Detention

Kind = Approval.Kind
State = Approval.State

# Sent in the changing transaction (kwargs `approval`, `now`). The alerts app listens
# (alerts/approvals.py, connected from its AppConfig.ready): the detentions core does not import
# the features built on it (import-linter's app layers), as with `unlawful_act_recorded`.
approval_requested = Signal()
approval_decided = Signal()


@dataclass(frozen=True)
class KindRule:
    rule: str  # the rule id (s136-rules.md)
    code: str  # the rule's code when the approver may not give it
    perm: Perm  # the role permission an approver holds
    minimum_rank: str


RULES = {
    Kind.POLICE_STATION: KindRule(
        "PS3",
        law.Code.INSPECTOR_AUTHORISATION_REQUIRED.value,
        Perm.AUTHORISE_POLICE_STATION,
        Rank.INSPECTOR,
    ),
    Kind.EXTENSION: KindRule(
        "E5",
        law.Code.SUPERINTENDENT_APPROVAL_REQUIRED.value,
        Perm.APPROVE_EXTENSION,
        Rank.SUPERINTENDENT,
    ),
}

#: The codes these services answer with (besides the rules' own and C7's `detention_ended`).
APPROVAL_WAITING = "approval_waiting"
APPROVAL_DECIDED = "approval_decided"
APPROVAL_NOT_NEEDED = "approval_not_needed"
SELF_APPROVAL = "self_approval"
NOT_AN_APPROVER = "not_an_approver"


def _now(now):
    return now or timezone.now()


def _minute(instant):
    return instant.replace(second=0, microsecond=0)


def _actor_label() -> str:
    actor = current_actor()
    return actor.label if actor else ""


def _violation(rule, code, attr, message) -> law.Violation:
    return law.Violation(rule, code, attr, str(message))


def _refuse(violations) -> None:
    violations = [v for v in violations if v.code]
    if violations:
        raise RuleViolation(violations)


def _lock(detention: Detention) -> Detention:
    return (
        Detention.objects.select_for_update(of=("self",))
        .select_related("current_place_of_safety")
        .get(pk=detention.pk)
    )


def _rank_words(rank: str) -> str:
    return str(Rank(rank).label) if rank in Rank.values else rank


def _check_kind(kind) -> KindRule:
    if kind not in RULES:
        raise RuleViolation(
            [
                _violation(
                    "PS3",
                    law.Code.INVALID_CHOICE.value,
                    "kind",
                    _("Choose what is asked: a police station's use, or an extension."),
                )
            ]
        )
    return RULES[kind]


def _check_time(detention: Detention, attr: str, instant, label, now) -> list[law.Violation]:
    """C4: within the detention's span, not in the future."""
    return law.check_times(detention.rule_set, detention.detained_at, {attr: (instant, label)}, now)


def _check_rank(kind_rule: KindRule, rank, attr) -> list[law.Violation]:
    if law.rank_at_least(rank or None, kind_rule.minimum_rank):
        return []
    if kind_rule.minimum_rank == Rank.INSPECTOR:
        message = _(
            "The officer who authorises a police station must be of inspector rank or above. "
            "Choose their rank."
        )
    else:
        message = _(
            "The officer who approves an extension at a police station must be a "
            "superintendent or above. Choose their rank."
        )
    return [_violation(kind_rule.rule, kind_rule.code, attr, message)]


def _save(approval: Approval, reason: str) -> Approval:
    approval.recorded_by = _actor_label()
    approval._change_reason = reason[:100]
    approval.save()
    return approval


# --- Asking ---------------------------------------------------------------------------------------


@transaction.atomic
def request_approval(
    detention: Detention, *, kind: str, note: str = "", place=None, user=None, now=None
) -> Approval:
    """The sergeant asks an inspector (`police_station`, PS3) or a superintendent
    (`extension`, E5) for their approval; the approvers are told at once."""
    now = _now(now)
    kind_rule = _check_kind(kind)
    detention = _lock(detention)
    _refuse(law.check_not_ended(detention.ended_at))  # C7 (409)
    v = []
    if kind == Kind.POLICE_STATION and place is not None and not place.is_police_station:
        v.append(
            _violation(
                "PS3",
                law.Code.INVALID.value,
                "place",
                _("Choose a police station: only a police station's use needs this."),
            )
        )
    if kind == Kind.EXTENSION:
        if hasattr(detention, "extension"):
            v.append(
                _violation(
                    "E3",
                    law.Code.EXTENSION_EXISTS.value,
                    "kind",
                    _("This detention has already been extended: there is one extension."),
                )
            )
        elif not detention.at_police_station:
            v.append(
                _violation(
                    "E5",
                    APPROVAL_NOT_NEEDED,
                    "kind",
                    _(
                        "The person is not at a police station, so an extension needs no "
                        "superintendent's approval: the doctor authorises it."
                    ),
                )
            )
    if Approval.objects.filter(detention=detention, kind=kind, state=State.REQUESTED).exists():
        v.append(
            _violation(
                kind_rule.rule,
                APPROVAL_WAITING,
                "kind",
                _("This has already been asked and is waiting for a decision."),
            )
        )
    _refuse(v)
    actor = current_actor()
    if user is None and actor is not None and actor.user_id is not None:
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(pk=actor.user_id).first()
    approval = Approval(
        detention=detention,
        kind=kind,
        place=place if kind == Kind.POLICE_STATION else None,
        note=(note or "").strip(),
        requested_by=user,
        requested_by_name=str(user) if user is not None else _actor_label(),
        requested_at=now,
    )
    _save(approval, "asked")
    approval_requested.send(sender=Approval, approval=approval, now=now)
    return approval


# --- Deciding from the approver's own account -------------------------------------------------


def _decider_checks(approval: Approval, user, kind_rule: KindRule) -> list[law.Violation]:
    v = []
    if approval.state != State.REQUESTED:
        v.append(
            _violation(
                kind_rule.rule,
                APPROVAL_DECIDED,
                None,
                _("This has already been decided (%(state)s).")
                % {"state": approval.get_state_display()},
            )
        )
    roles = getattr(user, "roles", frozenset())
    if kind_rule.perm not in permissions_for_roles(roles):
        v.append(
            _violation(
                kind_rule.rule,
                NOT_AN_APPROVER,
                None,
                _("Only an inspector or above may authorise a police station's use.")
                if kind_rule.minimum_rank == Rank.INSPECTOR
                else _("Only a superintendent or above may approve an extension at a station."),
            )
        )
    if approval.requested_by_id is not None and approval.requested_by_id == user.pk:
        v.append(
            _violation(
                kind_rule.rule,
                SELF_APPROVAL,
                None,
                _(
                    "You asked for this approval: another officer of the required rank must "
                    "give it."
                ),
            )
        )
    return v


def _locked_approval(approval: Approval) -> tuple[Approval, Detention]:
    detention = _lock(approval.detention)
    return Approval.objects.select_for_update().get(pk=approval.pk), detention


@transaction.atomic
def approve(approval: Approval, *, user, rank: str = "", decided_at=None, now=None) -> Approval:
    """The approver approves from their own account: their name, rank (default: their
    membership's) and the time (default now, editable) go on the record."""
    now = _now(now)
    approval, detention = _locked_approval(approval)
    kind_rule = RULES[approval.kind]
    _refuse(law.check_not_ended(detention.ended_at))
    decided_at = decided_at or _minute(now)
    membership = getattr(user, "membership", None)
    rank = rank or (membership.rank if membership else "")
    v = _decider_checks(approval, user, kind_rule)
    v += _check_rank(kind_rule, rank, "rank")
    v += _check_time(detention, "decided_at", decided_at, _("The approval"), now)
    _refuse(v)
    approval.state = State.APPROVED
    approval.approver = user
    approval.approver_name = str(user)
    approval.approver_rank = rank
    approval.decided_at = decided_at
    _save(approval, "approved: given from the approver's own account")
    approval_decided.send(sender=Approval, approval=approval, now=now)
    return approval


@transaction.atomic
def refuse(approval: Approval, *, user, reason: str, now=None) -> Approval:
    """The approver refuses, with the reason (told to the sergeant who asked)."""
    now = _now(now)
    approval, detention = _locked_approval(approval)
    kind_rule = RULES[approval.kind]
    _refuse(law.check_not_ended(detention.ended_at))
    v = _decider_checks(approval, user, kind_rule)
    if not (reason or "").strip():
        v.append(
            _violation(
                kind_rule.rule,
                law.Code.REQUIRED.value,
                "reason",
                _("Say why you refuse, so the sergeant can act on it."),
            )
        )
    _refuse(v)
    membership = getattr(user, "membership", None)
    approval.state = State.REFUSED
    approval.approver = user
    approval.approver_name = str(user)
    approval.approver_rank = membership.rank if membership and membership.rank else ""
    approval.decided_at = _minute(now)
    approval.refusal_reason = reason.strip()
    _save(approval, "refused from the approver's own account")
    approval_decided.send(sender=Approval, approval=approval, now=now)
    return approval


# --- On the approver's word --------------------------------------------------------------------


def _validate_on_word(detention, kind_rule, approver_name, approver_rank, decided_at, now, attrs):
    name_attr, rank_attr, time_attr = attrs
    v = []
    if not (approver_name or "").strip():
        v.append(
            _violation(
                kind_rule.rule,
                kind_rule.code,
                name_attr,
                _("Enter the name of the officer who gave the approval."),
            )
        )
    v += _check_rank(kind_rule, approver_rank, rank_attr)
    if decided_at is None:
        v.append(
            _violation(
                kind_rule.rule,
                kind_rule.code,
                time_attr,
                _("Enter when the officer gave the approval."),
            )
        )
    else:
        v += _check_time(detention, time_attr, decided_at, _("The approval"), now)
    _refuse(v)


def _on_word(
    detention, *, kind, approver_name, approver_rank, decided_at, now, attrs=None
) -> Approval:
    """Inside the caller's transaction, the detention locked. `attrs` (name, rank, time): the
    fields the checks' refusals name; None when the caller's rules judge them (the record's
    own services: the engine checks the names, ranks and times of PS3 and E5)."""
    kind_rule = _check_kind(kind)
    if attrs is not None:
        _validate_on_word(
            detention, kind_rule, approver_name, approver_rank, decided_at, now, attrs
        )
    user = None
    actor = current_actor()
    if actor is not None and actor.user_id is not None:
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(pk=actor.user_id).first()
    approval = (
        Approval.objects.select_for_update()
        .filter(detention=detention, kind=kind, state=State.REQUESTED)
        .first()
    )
    if approval is None:
        approval = Approval(
            detention=detention,
            kind=kind,
            requested_by=user,
            requested_by_name=str(user) if user is not None else _actor_label(),
            requested_at=decided_at,
        )
    # The approver typing their own name, from their own account, gives it themself.
    own = (
        user is not None
        and str(user).strip().lower() == approver_name.strip().lower()
        and kind_rule.perm in permissions_for_roles(getattr(user, "roles", frozenset()))
    )
    approval.state = State.APPROVED
    approval.on_word = not own
    approval.approver = user if own else None
    approval.approver_name = approver_name.strip()
    approval.approver_rank = approver_rank
    approval.decided_at = decided_at
    _save(
        approval,
        "approved: given from the approver's own account"
        if own
        else "approved: recorded by the sergeant on the approver's word",
    )
    approval_decided.send(sender=Approval, approval=approval, now=now)
    return approval


@transaction.atomic
def record_on_word(
    detention: Detention,
    *,
    kind: str,
    approver_name: str,
    approver_rank: str,
    decided_at,
    now=None,
) -> Approval:
    """The approver has no account, or cannot be reached in it: the sergeant records the
    approval they gave by phone or in person. It is marked "recorded by the sergeant on the
    approver's word" in the record and its history (a request waiting is answered by it)."""
    now = _now(now)
    detention = _lock(detention)
    _refuse(law.check_not_ended(detention.ended_at))
    return _on_word(
        detention,
        kind=kind,
        approver_name=approver_name,
        approver_rank=approver_rank,
        decided_at=decided_at,
        now=now,
        attrs=("approver_name", "approver_rank", "decided_at"),
    )


# --- Into the legal record (called by detentions.services, in their transaction) ---------------


def given(detention: Detention, kind: str) -> Approval | None:
    """The latest approval of `kind` given and not yet used in the record."""
    return (
        Approval.objects.filter(detention=detention, kind=kind, state=State.APPROVED, used_for="")
        .order_by("-decided_at", "-id")
        .first()
    )


def for_decision(detention: Detention, decision: dict | None, place, now):
    """PS3 for a police station decision about to be recorded (an arrival at, or a transfer
    to, `place`): an inspector's name typed in is recorded on their word unless it is the
    approval given from their account; no name typed, the approval given is used. Returns
    (the decision, the approval or None)."""
    if decision is None or place is None or not place.is_police_station:
        return decision, None
    decision = dict(decision)
    approval = given(detention, Kind.POLICE_STATION)
    typed = (decision.get("inspector_name") or "").strip()
    if typed and (approval is None or approval.approver_name.strip().lower() != typed.lower()):
        rank = decision.get("inspector_rank") or ""
        at = decision.get("authorised_at")
        if not (law.rank_at_least(rank or None, Rank.INSPECTOR) and at is not None):
            return decision, None  # incomplete: the engine refuses it as it always did (PS3)
        approval = _on_word(
            detention,
            kind=Kind.POLICE_STATION,
            approver_name=typed,
            approver_rank=rank,
            decided_at=at,
            now=now,
        )
    if approval is None:
        return decision, None
    decision["inspector_name"] = approval.approver_name
    decision["inspector_rank"] = approval.approver_rank
    decision["authorised_at"] = approval.decided_at
    return decision, approval


def for_extension(detention: Detention, fields: dict, now):
    """E5 for an extension about to be recorded: the superintendent's approval given from
    their account fills the record; a name typed in with no such approval is recorded on
    their word. Returns (the fields, the approval or None)."""
    fields = dict(fields)
    approval = given(detention, Kind.EXTENSION)
    typed = (fields.get("superintendent_name") or "").strip()
    if typed and (approval is None or approval.approver_name.strip().lower() != typed.lower()):
        rank = fields.get("superintendent_rank") or Rank.SUPERINTENDENT
        at = fields.get("superintendent_approved_at")
        complete = law.rank_at_least(rank, Rank.SUPERINTENDENT) and at is not None
        if not (detention.at_police_station and complete):
            return fields, None  # E5 judges it in the engine (or does not apply): as typed
        approval = _on_word(
            detention,
            kind=Kind.EXTENSION,
            approver_name=typed,
            approver_rank=rank,
            decided_at=at,
            now=now,
        )
    if approval is None:
        return fields, None
    fields["superintendent_name"] = approval.approver_name
    fields["superintendent_rank"] = approval.approver_rank
    fields["superintendent_approved_at"] = approval.decided_at
    return fields, approval


def mark_used(approval: Approval | None, record) -> None:
    """The approval went into `record` (the police station decision or the extension)."""
    if approval is None or record is None:
        return
    approval.used_for = f"{record._meta.model_name}:{record.pk}"
    _save(approval, f"recorded in {approval.used_for}")


# --- Reading -------------------------------------------------------------------------------------


def record_words(approval: Approval) -> str:
    """'Approved by Supt Jane Grey (Superintendent) at 14:05, from their own account.'"""
    if approval.state == State.REQUESTED:
        return _("Asked by %(who)s, waiting for a decision.") % {"who": approval.requested_by_name}
    when = timezone.localtime(approval.decided_at).strftime("%d %b %Y %H:%M %Z")
    who = approval.approver_name
    rank = _rank_words(approval.approver_rank)
    if approval.state == State.REFUSED:
        return _("Refused by %(who)s (%(rank)s) at %(when)s: %(reason)s") % {
            "who": who,
            "rank": rank,
            "when": when,
            "reason": approval.refusal_reason,
        }
    return _("Approved by %(who)s (%(rank)s) at %(when)s, %(how)s.") % {
        "who": who,
        "rank": rank,
        "when": when,
        "how": approval.how_given,
    }
