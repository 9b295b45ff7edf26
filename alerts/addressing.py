"""Who each kind of alert is for, at each escalation level.

An addressee is (where, roles): `where` names whose organisation it is, resolved per alert:
- `station`: the operator of the place the person is at (the custody suite's force),
- `place`: the operator of the place of safety (its staff),
- `force`: the force that made the detention,
- `amhp`: the AMHP service(s): local authorities whose AMHP service area covers the detention's
  place of safety or NPU (assessments.AmhpServiceArea: the one source of AMHP coverage, kept in
  the database with its history, also what lets a local authority see a detention),
- `referral_to`: the partner a referral was sent to, `referral_from`: the organisation that sent it.
For reminders `force` is the organisation the reminder record names (the protocol's force, the
officer's force).
Level 0 is who gets it when it is raised; each escalation adds the next level's addressees.
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.roles import Role
from assessments.models import AmhpServiceArea

from .models import AlertKind

SERGEANT_INSPECTOR = (Role.CUSTODY_SERGEANT, Role.INSPECTOR)
SENIOR = (Role.SUPERINTENDENT, Role.MH_TACTICAL_ADVISER)
PLACE_STAFF = (Role.PLACE_OF_SAFETY_STAFF,)

LEVELS: dict[str, list[list[tuple[str, tuple[str, ...]]]]] = {
    AlertKind.WELFARE_CHECK_OVERDUE: [
        [("station", SERGEANT_INSPECTOR)],
        [("station", SENIOR), ("force", SENIOR)],
    ],
    AlertKind.REVIEW_OVERDUE: [
        [("station", SERGEANT_INSPECTOR)],
        [("station", SENIOR), ("force", SENIOR)],
    ],
    AlertKind.TRANSFER_REQUIRED: [
        [("station", SERGEANT_INSPECTOR)],
        [("station", SENIOR), ("force", SENIOR)],
    ],
    AlertKind.EXPIRY_WARNING: [
        [("force", (Role.MH_TACTICAL_ADVISER,)), ("place", PLACE_STAFF)],
        [("force", (Role.SUPERINTENDENT, Role.INSPECTOR))],
    ],
    AlertKind.EXPIRED: [
        [("force", (Role.MH_TACTICAL_ADVISER, Role.INSPECTOR)), ("place", PLACE_STAFF)],
        [("force", (Role.SUPERINTENDENT,))],
    ],
    AlertKind.ASSESSMENT_TARGET_MISSED: [
        [("amhp", (Role.AMHP,)), ("place", PLACE_STAFF)],
        [("force", (Role.MH_TACTICAL_ADVISER,))],
    ],
    AlertKind.HANDOVER_TARGET_MISSED: [
        [("place", PLACE_STAFF)],
        [("force", (Role.MH_TACTICAL_ADVISER, Role.INSPECTOR))],
    ],
    AlertKind.REFERRAL_OVERDUE: [
        [("referral_to", (Role.PARTNER_USER,))],
        [("referral_to", (Role.ADMINISTRATOR,)), ("referral_from", (Role.MH_TACTICAL_ADVISER,))],
    ],
    # Reminders (protocols.reminders, training.reminders): one level, never escalated. A
    # training reminder also reaches the officer themself (an email to them, see sweep).
    AlertKind.PROTOCOL_REVIEW_DUE: [
        [("force", (Role.MH_TACTICAL_ADVISER, Role.ADMINISTRATOR))],
    ],
    AlertKind.TRAINING_REFRESHER_DUE: [
        [("force", (Role.MH_TACTICAL_ADVISER,))],
    ],
    # R1: raised when an unlawful act is recorded as it happened (alerts.services.raise_now):
    # the force mental health lead, and the inspector for the place (the operator of a police
    # station; the recording force's inspectors for any place). One level, never escalated.
    AlertKind.UNLAWFUL_ACT_RECORDED: [
        [("force", (Role.MH_TACTICAL_ADVISER, Role.INSPECTOR)), ("place", (Role.INSPECTOR,))],
    ],
    # Approvals asked of the approver's own account (alerts/approvals.py), raised at once:
    # PS3 to the force's inspectors and above, E5 to its superintendents. Never escalated
    # (the sergeant who asked sees it waiting, and may record it on the approver's word).
    AlertKind.AUTHORISATION_REQUESTED: [
        [("force", (Role.INSPECTOR, Role.SUPERINTENDENT))],
    ],
    AlertKind.EXTENSION_APPROVAL_REQUESTED: [
        [("force", (Role.SUPERINTENDENT,))],
    ],
    # A4 as a request and its answer (alerts/handover.py): the place's staff are asked, the
    # detaining force's officers are told the answer. One level each, never escalated.
    AlertKind.HANDOVER_REQUESTED: [[("place", PLACE_STAFF)]],
    AlertKind.HANDOVER_ACCEPTED: [[("force", (Role.RESPONSE_OFFICER, Role.CUSTODY_SERGEANT))]],
    AlertKind.HANDOVER_DECLINED: [[("force", (Role.RESPONSE_OFFICER, Role.CUSTODY_SERGEANT))]],
}


def max_level(kind: str) -> int:
    return len(LEVELS[kind]) - 1


@dataclass(frozen=True)
class Subject:
    """The organisations an alert's subject involves (from one query per sweep)."""

    force_id: int | None = None
    place_org_id: int | None = None
    referral_to_id: int | None = None
    referral_from_id: int | None = None
    amhp_ids: tuple[int, ...] = ()


def amhp_services_covering(rows) -> dict[int, list[int]]:
    """{detention id: [local authority ids]} whose active AMHP service area
    (assessments.AmhpServiceArea) covers the detention's current place of safety or its NPU.
    `rows` are (detention id, place id, npu id). Two queries, whatever the number of rows. (The
    sweep works this out in its raising statement, `alerts.sweep._COVER`, tested against this.)"""
    rows = list(rows)
    if not rows:
        return {}

    place_ids = {p for _, p, _ in rows if p is not None}
    npu_ids = {n for _, _, n in rows if n is not None}
    by_place: dict[int, set[int]] = {}
    by_npu: dict[int, set[int]] = {}
    if place_ids:
        for place, la in AmhpServiceArea.places.through.objects.filter(
            placeofsafety_id__in=place_ids, amhpservicearea__active=True
        ).values_list("placeofsafety_id", "amhpservicearea__organisation_id"):
            by_place.setdefault(place, set()).add(la)
    if npu_ids:
        for npu, la in AmhpServiceArea.npus.through.objects.filter(
            npu_id__in=npu_ids, amhpservicearea__active=True
        ).values_list("npu_id", "amhpservicearea__organisation_id"):
            by_npu.setdefault(npu, set()).add(la)
    return {
        det: sorted(by_place.get(place, set()) | by_npu.get(npu, set())) for det, place, npu in rows
    }


def addressees(kind: str, level: int, subject: Subject) -> tuple[list[int], list[str]]:
    """(organisation ids, roles) the alert gains at `level`."""
    orgs: list[int] = []
    roles: list[str] = []
    for where, level_roles in LEVELS[kind][level]:
        if where == "station" or where == "place":
            found = [subject.place_org_id]
        elif where == "force":
            found = [subject.force_id]
        elif where == "amhp":
            found = list(subject.amhp_ids)
        elif where == "referral_to":
            found = [subject.referral_to_id]
        elif where == "referral_from":
            found = [subject.referral_from_id]
        else:  # pragma: no cover - a typo in LEVELS
            raise ValueError(where)
        found = [o for o in found if o is not None]
        if not found:
            continue
        for org in found:
            if org not in orgs:
                orgs.append(org)
        for role in level_roles:
            if str(role) not in roles:
                roles.append(str(role))
    return orgs, roles


def merge(existing: list, extra: list) -> list:
    return list(existing) + [x for x in extra if x not in existing]
