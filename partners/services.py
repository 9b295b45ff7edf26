"""The one door for referrals: `send_referral` and `change_status` (rules in partners/models.py).

Both run in one transaction, write a `ReferralStatusChange` row (who, note, when) and publish
`referral.created` / `referral.updated` (`core.events`) in it: `partners.events` turns each into
webhooks for the sending and the receiving organisation, each seeing the referral as it may.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import OrganisationKind
from core import events
from core.actor import current_actor
from detentions import policy as detention_policy
from incidents import policy as incidents_policy

from .models import Consent, Referral, ReferralStatus, ReferralStatusChange, Urgency

S = ReferralStatus

# What the receiving organisation may do from each status.
RECEIVER_TRANSITIONS = {
    S.SENT: {S.ACKNOWLEDGED, S.ACCEPTED, S.DECLINED},
    S.ACKNOWLEDGED: {S.ACCEPTED, S.DECLINED},
    S.ACCEPTED: {S.CLOSED},
    S.DECLINED: {S.CLOSED},
    S.CLOSED: set(),
}
# The sender may only withdraw (close) a referral that is not closed yet, saying why.
SENDER_TRANSITIONS = {s: {S.CLOSED} for s in (S.SENT, S.ACKNOWLEDGED, S.ACCEPTED, S.DECLINED)}
NOTE_REQUIRED_FOR_RECEIVER = {S.DECLINED}


@dataclass(frozen=True)
class Problem:
    attr: str | None
    code: str
    message: str


class ReferralRefused(Exception):
    """The input is refused; nothing was written. `conflict` (HTTP 409) for a state conflict."""

    def __init__(self, problems: list[Problem], conflict: bool = False):
        self.problems = problems
        self.conflict = conflict
        super().__init__("; ".join(f"{p.code}: {p.message}" for p in problems))

    @property
    def codes(self):
        return [p.code for p in self.problems]


class ReferralNotAllowed(Exception):
    """The acting organisation may not make this change (HTTP 403)."""


def due_by_for(urgency: str, sent_at):
    return sent_at + settings.HARBOUR["REFERRAL_DUE"][urgency]


def _actor_label(user=None) -> str:
    actor = current_actor()
    if actor is not None:
        return actor.label
    return user.get_username() if user is not None else ""


def _next_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [Referral._meta.db_table]
        )
        return cursor.fetchone()[0]


def referral_problems(
    *,
    from_organisation,
    to_organisation,
    person,
    incident,
    detention,
    urgency,
    consent,
    lawful_basis,
) -> list[Problem]:
    problems = []
    if incident is None and detention is None:
        problems.append(
            Problem(
                "incident",
                "incident_or_detention_required",
                _("Refer from an incident or a detention."),
            )
        )
    if incident is not None and not (
        incidents_policy.incidents_of_organisation(from_organisation.pk)
        .filter(pk=incident.pk)
        .exists()
    ):
        problems.append(Problem("incident", "does_not_exist", _("No such incident.")))
    if detention is not None and not (
        detention_policy.detentions_of_organisation(from_organisation.pk)
        .filter(pk=detention.pk)
        .exists()
    ):
        problems.append(Problem("detention", "does_not_exist", _("No such detention.")))
    if (
        incident is not None
        and detention is not None
        and detention.incident_id
        and detention.incident_id != incident.pk
    ):
        problems.append(
            Problem(
                "detention",
                "detention_incident_mismatch",
                _("The detention belongs to a different incident."),
            )
        )
    if person is not None:
        in_record = (detention is not None and detention.person_id == person.pk) or (
            incident is not None and incident.people.filter(pk=person.pk).exists()
        )
        if (incident is not None or detention is not None) and not in_record:
            problems.append(
                Problem(
                    "person",
                    "person_not_in_record",
                    _("The person must be the detained person or one of the incident's people."),
                )
            )
    if (
        to_organisation.pk == from_organisation.pk
        or not to_organisation.active
        or to_organisation.kind == OrganisationKind.POLICE_FORCE
    ):
        problems.append(
            Problem(
                "to_organisation",
                "invalid_recipient",
                _("Refer to an active partner organisation other than your own."),
            )
        )
    if urgency not in Urgency.values:
        problems.append(Problem("urgency", "invalid_choice", _("Choose an urgency.")))
    if consent not in Consent.values:
        problems.append(Problem("consent", "invalid_choice", _("Say whether consent was given.")))
    elif consent != Consent.GIVEN and not (lawful_basis or "").strip():
        problems.append(
            Problem(
                "lawful_basis",
                "lawful_basis_required",
                _("Without consent, give the lawful basis for sharing."),
            )
        )
    return problems


@transaction.atomic
def send_referral(
    *,
    from_organisation,
    to_organisation,
    service: str,
    person,
    reason: str,
    urgency: str,
    consent: str,
    incident=None,
    detention=None,
    lawful_basis: str = "",
    contact_details: str = "",
    created_by=None,
    now=None,
) -> Referral:
    now = now or timezone.now()
    if person is None and detention is not None:
        person = detention.person
    problems = referral_problems(
        from_organisation=from_organisation,
        to_organisation=to_organisation,
        person=person,
        incident=incident,
        detention=detention,
        urgency=urgency,
        consent=consent,
        lawful_basis=lawful_basis,
    )
    if person is None:
        problems.append(Problem("person", "required", _("Choose the person referred.")))
    if not (reason or "").strip():
        problems.append(Problem("reason", "required", _("Give the reason for the referral.")))
    if problems:
        raise ReferralRefused(problems)
    if incident is None and detention is not None and detention.incident_id:
        incident = detention.incident
    pk = _next_id()
    who = _actor_label(created_by)
    referral = Referral(
        pk=pk,
        reference=f"REF-{timezone.localtime(now).year}-{pk:06d}",
        from_organisation=from_organisation,
        to_organisation=to_organisation,
        service=service,
        person=person,
        incident=incident,
        detention=detention,
        reason=reason.strip(),
        contact_details=(contact_details or "").strip(),
        urgency=urgency,
        consent=consent,
        lawful_basis=(lawful_basis or "").strip(),
        status=S.SENT,
        due_by=due_by_for(urgency, now),
        created_by=created_by,
        created_by_label=who,
        created_at=now,
    )
    referral.save(force_insert=True)
    ReferralStatusChange.objects.create(
        referral=referral,
        from_status="",
        to_status=S.SENT,
        note="",
        who=who,
        organisation=from_organisation,
        at=now,
    )
    events.publish("referral.created", referral, now=now, from_status=None, to_status=S.SENT.value)
    return referral


@transaction.atomic
def change_status(
    referral: Referral, *, to_status: str, organisation, note: str = "", user=None, now=None
) -> Referral:
    """Moves a referral on; `organisation` is the acting user's or API key's organisation."""
    now = now or timezone.now()
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    note = (note or "").strip()
    is_receiver = organisation.pk == referral.to_organisation_id
    is_sender = organisation.pk == referral.from_organisation_id
    if not (is_receiver or is_sender):
        raise ReferralNotAllowed(_("Only the organisations in a referral may change it."))
    if to_status not in S.values or to_status == S.SENT:
        raise ReferralRefused(
            [Problem("status", "invalid_choice", _("Choose a status to move the referral to."))]
        )
    current = S(referral.status)
    allowed = (
        RECEIVER_TRANSITIONS[current] if is_receiver else SENDER_TRANSITIONS.get(current, set())
    )
    if is_sender and not is_receiver and to_status != S.CLOSED:
        raise ReferralNotAllowed(
            _("Only the receiving organisation may acknowledge, accept or decline a referral.")
        )
    if to_status not in allowed:
        raise ReferralRefused(
            [
                Problem(
                    "status",
                    "invalid_transition",
                    _("A referral that is %(current)s cannot become %(new)s.")
                    % {"current": current.label.lower(), "new": S(to_status).label.lower()},
                )
            ],
            conflict=True,
        )
    if not note and (
        (is_receiver and to_status in NOTE_REQUIRED_FOR_RECEIVER) or (is_sender and not is_receiver)
    ):
        raise ReferralRefused(
            [Problem("note", "note_required", _("Add a note saying why."))],
        )
    who = _actor_label(user)
    previous = referral.status
    referral.status = to_status
    if previous == S.SENT and referral.acknowledged_at is None and is_receiver:
        referral.acknowledged_at = now
    referral.save(update_fields=["status", "acknowledged_at", "updated_at"])
    ReferralStatusChange.objects.create(
        referral=referral,
        from_status=previous,
        to_status=to_status,
        note=note,
        who=who,
        organisation=organisation,
        at=now,
    )
    events.publish(
        "referral.updated",
        referral,
        now=now,
        from_status=previous,
        to_status=str(to_status),
    )
    return referral


def allowed_transitions(referral: Referral, organisation_id) -> list[str]:
    """The statuses this organisation may move the referral to now (for pages)."""
    current = S(referral.status)
    if organisation_id == referral.to_organisation_id:
        allowed = RECEIVER_TRANSITIONS[current]
    elif organisation_id == referral.from_organisation_id:
        allowed = SENDER_TRANSITIONS.get(current, set())
    else:
        allowed = set()
    return [s for s in S.values if s in allowed]
