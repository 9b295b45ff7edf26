"""Service functions for detentions: validate with the rule engine, write in one transaction,
recompute the deadline columns in that same transaction.

Every function takes keyword-only `now` (defaults to the current instant) so that tests control
time, and reads the acting identity from `core.actor` for `recorded_by` and history.

Every state change is published as a domain event (`core.events`: `detention.started`,
`arrived`, `transferred`, `extended`, `unlawful_act_recorded`, `ended`; `breached` comes from the
alerts sweep) through `_announce`, in the change's transaction, once the derived columns are
recomputed (`_refresh`). Partners turn them into webhooks (docs/webhooks.md).
"""

from __future__ import annotations

import dataclasses
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC
from decimal import ROUND_UP, Decimal, InvalidOperation

from django.db import connection, transaction
from django.dispatch import Signal
from django.utils import timezone

import law
from core import events
from core.actor import current_actor
from detentions import approvals, selectors
from detentions.models import (
    Assessment,
    Correction,
    Detention,
    DetentionArrival,
    Escape,
    Extension,
    Handover,
    PoliceStationDecision,
    Review,
    Transfer,
    TransferException,
    UnlawfulAct,
    WelfareCheck,
)
from people.models import Person

from .errors import RuleViolation  # noqa: F401 (re-exported)
from .facts import (
    DERIVED_FIELDS,
    apply_evaluation,
    assessment_fact,
    decision_fact,
    escape_fact,
    evaluate,
    extension_fact,
    facts_for,
    handover_fact,
    mha2025_commencement,
    place_fact,
    review_fact,
    targets,
    transfer_exception_fact,
    transfer_fact,
    welfare_check_fact,
)

DECISION_FIELDS = (
    "imminent_risk",
    "no_other_place",
    "hcp_available",
    "decision_maker_name",
    "decision_maker_rank",
    "consulted_professional",
    "consultation_not_practicable_reason",
    "inspector_name",
    "inspector_rank",
    "authorised_at",
)


# R2: while a late entry is being recorded, the reason it is late (None otherwise).
_LATE: ContextVar[str | None] = ContextVar("late_entry_reason", default=None)


def _event_facts(detention) -> law.DetentionFacts:
    """The facts an event is judged against: as recorded, or, for a late entry (R2), as if the
    detention were still running (check_late_entry has bounded the event by its span)."""
    facts = facts_for(detention)
    if _LATE.get() is not None:
        facts = dataclasses.replace(facts, ended_at=None, outcome=None)
    return facts


_LATE_WRITTEN: ContextVar[list | None] = ContextVar("late_entry_written", default=None)


def _stamp(obj):
    """R2: mark an event being written as entered late, in the record and its history row."""
    late = _LATE.get()
    if late is not None:
        obj.late_entry_reason = late
        obj._change_reason = _history_reason(f"late entry: {late}")
        written = _LATE_WRITTEN.get()
        if written is not None:
            written.append(obj)
    return obj


# R1 on the pages: the account given at the confirmation step, for the service called inside.
_CONFIRMED: ContextVar[str | None] = ContextVar("confirmed_as_happened", default=None)


@contextmanager
def confirmed_as_happened(account: str):
    """R1 for the pages: inside the block every service records a recordable refusal as it
    happened, with `account` (the page's confirmation step), as the API's flag does."""
    token = _CONFIRMED.set(account or "")
    try:
        yield
    finally:
        _CONFIRMED.reset(token)


def _create(model, **fields):
    obj = _stamp(model(**fields))
    obj.save()
    return obj


def _now(now):
    return now or timezone.now()


def _actor_label() -> str:
    actor = current_actor()
    return actor.label if actor else ""


def _instant(value) -> str | None:
    """An instant as the API writes it (UTC, `Z`), for an event's data."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _announce(detention: Detention, event: str, **data) -> None:
    """A state change to publish (`core.events`) once the derived columns are recomputed:
    `_refresh`, the last step of every service, publishes it in the same transaction, so a
    listener reads the detention as it now is, and a rolled-back change tells nobody."""
    detention.__dict__.setdefault("_announced", []).append((event, data))


def _publish_announced(detention: Detention, now) -> None:
    for event, data in detention.__dict__.pop("_announced", []):
        events.publish(event, detention, now=now, **data)


def _refuse(violations) -> None:
    refusals = [v for v in violations if v.code]
    if refusals:
        raise RuleViolation(refusals)


# --- R1: record what happened ---------------------------------------------------------------


def as_happened(record_as_happened: bool, account: str | None) -> str | None:
    """R1: the account when the caller confirms the act has already happened (None when they
    do not). The flag without an account is refused: the account is part of the record."""
    if not record_as_happened and _CONFIRMED.get() is not None:
        record_as_happened, account = True, _CONFIRMED.get()
    if not record_as_happened:
        return None
    if not (account or "").strip():
        from django.utils.translation import gettext as _

        raise RuleViolation(
            [
                law.Violation(
                    "R1",
                    "required",
                    "account",
                    _(
                        "You confirmed this has already happened: give an account of what "
                        "happened and why."
                    ),
                )
            ]
        )
    return account.strip()


def _judge(violations, account: str | None, *, accepted=frozenset()) -> tuple:
    """R1: refuse as ever, unless every refusal is recordable and the caller confirmed the act
    happened (`account`): then return the (rule, code) pairs it breaks, to be recorded with it.
    `accepted`: pairs already recorded for this act (judged again at a later step)."""
    refusals = [v for v in violations if v.code and (v.rule, v.code) not in accepted]
    if not refusals:
        return ()
    if account is not None and law.recordable(refusals):
        return law.unlawful(refusals)
    raise RuleViolation(refusals)


# R1: sent in the recording transaction once an unlawful act is recorded as it happened (not for
# a late entry); kwargs detention, happened_at, place, now.
unlawful_act_recorded = Signal()


def _record_unlawful(detention, target, pairs, account, *, happened_at, place=None, now) -> None:
    """R1: store what the act breaks (on the event and, gathered, on the detention) and alert
    the force's mental health lead and the inspector for the place, once."""
    if not pairs:
        return
    label = target if isinstance(target, str) else f"{target._meta.model_name}:{target.pk}"
    late = _LATE.get() is not None
    for rule, code in pairs:
        UnlawfulAct.objects.create(
            detention=detention,
            target=label,
            rule=rule,
            code=code,
            account=account,
            recorded_by=_actor_label(),
            recorded_at=now,
            happened_at=happened_at,
        )
    if late:  # R2: a late entry raises no new alert
        return
    _announce(
        detention,
        "detention.unlawful_act_recorded",
        happened_at=_instant(happened_at),
        target=label,
        rules=[{"rule": rule, "code": code} for rule, code in pairs],
    )
    # The alerts app raises `unlawful_act_recorded` (alerts.apps connects it): the detention
    # core does not import the features built on it (import-linter's app layers).
    unlawful_act_recorded.send(
        sender=UnlawfulAct,
        detention=detention,
        happened_at=happened_at,
        place=place or detention.current_place_of_safety,
        now=now,
    )


def _accepted(detention, target=None) -> frozenset:
    """(rule, code) pairs already recorded as happened on the detention (or one event)."""
    acts = UnlawfulAct.objects.filter(detention=detention)
    if target is not None:
        acts = acts.filter(target=f"{target._meta.model_name}:{target.pk}")
    return frozenset(acts.values_list("rule", "code"))


def _lock(detention: Detention) -> Detention:
    return (
        Detention.objects.select_for_update(of=("self",))
        .select_related("person")
        .get(pk=detention.pk)
    )


def _derived(detention: Detention) -> tuple:
    return tuple(getattr(detention, Detention._meta.get_field(f).attname) for f in DERIVED_FIELDS)


def _refresh(detention: Detention, now, *, force: bool = False) -> law.Evaluation:
    """Recompute the derived columns from the engine and save them (same transaction).

    Saves (and so writes a history row) only when something changed, or when `force`
    because the caller changed the detention's own fields."""
    before = _derived(detention)
    late = _LATE.get()
    if late is not None:  # R2: the detention's history row says why it changed after its end
        detention._change_reason = _history_reason(f"late entry: {late}")
        force = True
    ev = evaluate(detention, now)
    apply_evaluation(detention, ev)
    if force or _derived(detention) != before:
        detention.save()
    _publish_announced(detention, now)
    return ev


def _decision(data: dict | None) -> PoliceStationDecision | None:
    if not data:
        return None
    fields = {k: data.get(k) for k in DECISION_FIELDS if k in data}
    for k in (
        "decision_maker_name",
        "decision_maker_rank",
        "consulted_professional",
        "consultation_not_practicable_reason",
        "inspector_name",
        "inspector_rank",
    ):
        fields[k] = fields.get(k) or ""
    return PoliceStationDecision(recorded_by=_actor_label(), **fields)


def _decision_fact_from(data: dict | None):
    return decision_fact(_decision(data)) if data else None


def _next_id(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [model._meta.db_table])
        return cursor.fetchone()[0]


def active_detention_for(person: Person) -> Detention | None:
    return Detention.objects.filter(person=person, ended_at__isnull=True).first()


@transaction.atomic
def start_detention(
    *,
    organisation,
    person: Person,
    power: str,
    detained_at,
    mode: str,
    location_kind: str,
    location_description: str = "",
    consultation: dict | None = None,
    consultation_not_practicable_reason: str = "",
    conveyance_mode: str = "",
    conveyance_reason: str = "",
    warrant_issued_at=None,
    premises_entered_at=None,
    incident=None,
    npu=None,
    place_of_safety=None,
    police_station_decision: dict | None = None,
    created_by=None,
    record_as_happened: bool = False,
    account: str = "",
    now=None,
) -> Detention:
    """Starts a s136 or s135(1) detention. `place_of_safety` is required for mode `kept`."""
    now = _now(now)
    account = as_happened(record_as_happened, account)
    person = Person.objects.select_for_update().get(pk=person.pk)  # serialise C3 per person
    consultation = consultation or {}
    detention = Detention(
        organisation=organisation,
        person=person,
        incident=incident,
        npu=npu,
        power=power,
        detained_at=detained_at,
        mode=mode,
        location_kind=location_kind,
        location_description=location_description,
        consulted_at=consultation.get("consulted_at"),
        consultation_profession=consultation.get("profession") or "",
        consultation_name=consultation.get("name") or "",
        consultation_advice=consultation.get("advice") or "",
        consultation_not_practicable_reason=consultation_not_practicable_reason or "",
        conveyance_mode=conveyance_mode or "",
        conveyance_reason=conveyance_reason or "",
        warrant_issued_at=warrant_issued_at,
        premises_entered_at=premises_entered_at,
        created_by=created_by,
        recorded_by=_actor_label(),
    )
    kept_arrival_at = None
    if mode == "kept":
        if place_of_safety is None:
            from django.utils.translation import gettext as _

            raise RuleViolation(
                [
                    law.Violation(
                        "C1",
                        "required",
                        "place_of_safety",
                        _("Say which place of safety the person is being kept at."),
                    )
                ]
            )
        kept_arrival_at = (
            premises_entered_at if power == "s135_1" and premises_entered_at else detained_at
        )
    facts = law.DetentionFacts(
        power=power,
        detained_at=detained_at,
        mode=mode,
        location_kind=location_kind,
        date_of_birth=person.date_of_birth,
        age_assessment=person.age_assessment or None,
        consultation=law.Consultation(
            consulted_at=consultation.get("consulted_at") or detained_at,
            profession=consultation.get("profession") or "",
            name=consultation.get("name") or "",
            advice=consultation.get("advice") or "",
        )
        if consultation
        else None,
        consultation_not_practicable_reason=consultation_not_practicable_reason or None,
        conveyance_mode=conveyance_mode or None,
        conveyance_reason=conveyance_reason or None,
        warrant_issued_at=warrant_issued_at,
        premises_entered_at=premises_entered_at,
        kept_place=place_fact(place_of_safety) if mode == "kept" else None,
        arrival=law.Arrival(
            place=place_fact(place_of_safety),
            arrived_at=kept_arrival_at,
            police_station_decision=_decision_fact_from(police_station_decision),
        )
        if mode == "kept"
        else None,
        mha2025_commenced_at=mha2025_commencement(),
    )
    has_other = Detention.objects.filter(person=person, ended_at__isnull=True).exists()
    unlawful = _judge(
        law.check_new_detention(facts, now, has_other_active_detention=has_other), account
    )

    detention.pk = _next_id(Detention)
    year = timezone.localtime(detained_at).year
    prefix = "S135" if power == "s135_1" else "S136"
    detention.reference = f"{prefix}-{year}-{detention.pk:06d}"
    # The derived columns come from the same facts, so the detention is written once.
    apply_evaluation(detention, law.evaluate(facts, now, **targets()))
    detention.save(force_insert=True)
    if mode == "kept":
        decision = _decision(police_station_decision) if place_of_safety.is_police_station else None
        if decision:
            decision.save()
        DetentionArrival.objects.create(
            detention=detention,
            place=place_of_safety,
            arrived_at=kept_arrival_at,
            police_station_decision=decision,
            recorded_by=_actor_label(),
            place_status_at_arrival=selectors.effective_status(place_of_safety),
        )
    _announce(detention, "detention.started")
    if mode == "kept":  # kept at a place of safety: there from the start (C1)
        _announce(
            detention,
            "detention.arrived",
            place_of_safety=place_of_safety.pk,
            arrived_at=_instant(kept_arrival_at),
            transfer=None,
        )
    _record_unlawful(
        detention,
        "detention",
        unlawful,
        account,
        happened_at=detained_at,
        place=place_of_safety if mode == "kept" else None,
        now=now,
    )
    _refresh(detention, now)
    return detention


@transaction.atomic
def record_arrival(
    detention: Detention,
    *,
    place_of_safety,
    arrived_at,
    police_station_decision=None,
    record_as_happened=False,
    account="",
    now=None,
) -> Detention:
    now = _now(now)
    account = as_happened(record_as_happened, account)
    detention = _lock(detention)
    # PS3: the inspector's approval given from their account, or a name typed on their word.
    police_station_decision, approval = approvals.for_decision(
        detention, police_station_decision, place_of_safety, now
    )
    facts = facts_for(detention)
    arrival = law.Arrival(
        place=place_fact(place_of_safety),
        arrived_at=arrived_at,
        police_station_decision=_decision_fact_from(police_station_decision),
    )
    unlawful = _judge(law.check_arrival(facts, arrival, now), account)
    decision = _decision(police_station_decision) if place_of_safety.is_police_station else None
    if decision:
        decision.save()
    event = DetentionArrival.objects.create(
        detention=detention,
        place=place_of_safety,
        arrived_at=arrived_at,
        police_station_decision=decision,
        recorded_by=_actor_label(),
        place_status_at_arrival=selectors.effective_status(place_of_safety),
    )
    _announce(
        detention,
        "detention.arrived",
        place_of_safety=place_of_safety.pk,
        arrived_at=_instant(arrived_at),
        transfer=None,
    )
    approvals.mark_used(approval, decision)
    _record_unlawful(
        detention, event, unlawful, account, happened_at=arrived_at, place=place_of_safety, now=now
    )
    _refresh(detention, now)
    return detention


@transaction.atomic
def record_transfer(
    detention: Detention,
    *,
    to_place_of_safety,
    departed_at,
    arrived_at=None,
    reason="",
    authorised_by="",
    police_station_decision=None,
    record_as_happened=False,
    account="",
    now=None,
) -> Transfer:
    now = _now(now)
    account = as_happened(record_as_happened, account)
    detention = _lock(detention)
    police_station_decision, approval = approvals.for_decision(  # PS3, as at an arrival
        detention, police_station_decision, to_place_of_safety, now
    )
    facts = _event_facts(detention)
    proposed = law.Transfer(
        id="new",
        to_place=place_fact(to_place_of_safety),
        departed_at=departed_at,
        arrived_at=arrived_at,
        reason=reason,
        police_station_decision=_decision_fact_from(police_station_decision),
    )
    unlawful = _judge(law.check_transfer(facts, proposed, now), account)
    decision = _decision(police_station_decision) if to_place_of_safety.is_police_station else None
    if decision:
        decision.save()
    transfer = Transfer.objects.create(
        detention=detention,
        from_place_id=detention.current_place_of_safety_id,
        to_place=to_place_of_safety,
        departed_at=departed_at,
        arrived_at=arrived_at,
        reason=reason,
        authorised_by=authorised_by,
        police_station_decision=decision,
        recorded_by=_actor_label(),
        place_status_at_arrival=selectors.effective_status(to_place_of_safety)
        if arrived_at
        else "",
    )
    _announce(
        detention,
        "detention.transferred",
        transfer=transfer.pk,
        from_place_of_safety=transfer.from_place_id,
        to_place_of_safety=to_place_of_safety.pk,
        departed_at=_instant(departed_at),
        arrived_at=_instant(arrived_at),
    )
    if arrived_at is not None:  # moved and arrived, recorded at once
        _announce(
            detention,
            "detention.arrived",
            place_of_safety=to_place_of_safety.pk,
            arrived_at=_instant(arrived_at),
            transfer=transfer.pk,
        )
    approvals.mark_used(approval, decision)
    _record_unlawful(
        detention,
        transfer,
        unlawful,
        account,
        happened_at=arrived_at or departed_at,
        place=to_place_of_safety,
        now=now,
    )
    _refresh(detention, now)
    return transfer


@transaction.atomic
def record_transfer_arrival(
    transfer: Transfer, *, arrived_at, record_as_happened=False, account="", now=None
) -> Transfer:
    now = _now(now)
    account = as_happened(record_as_happened, account)
    detention = _lock(transfer.detention)
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    # What was recorded as happened at the departure is not asked again at the arrival.
    unlawful = _judge(
        law.check_transfer_arrival(_event_facts(detention), transfer.pk, arrived_at, now),
        account,
        accepted=_accepted(detention, transfer),
    )
    transfer.arrived_at = arrived_at
    transfer.place_status_at_arrival = selectors.effective_status(transfer.to_place)
    transfer.save()
    _announce(
        detention,
        "detention.arrived",
        place_of_safety=transfer.to_place_id,
        arrived_at=_instant(arrived_at),
        transfer=transfer.pk,
    )
    _record_unlawful(
        detention,
        transfer,
        unlawful,
        account,
        happened_at=arrived_at,
        place=transfer.to_place,
        now=now,
    )
    _refresh(detention, now)
    return transfer


def _simple_event(
    check,
    build_fact,
    model,
    detention,
    now,
    *,
    happened_at,
    account=None,
    announce: str | None = None,
    **fields,
):
    now = _now(now)
    detention = _lock(detention)
    unlawful = _judge(check(_event_facts(detention), build_fact(), now), account)
    event = _create(model, detention=detention, recorded_by=_actor_label(), **fields)
    if announce:
        _announce(detention, announce)
    _record_unlawful(detention, event, unlawful, account, happened_at=happened_at, now=now)
    _refresh(detention, now)
    return event


@transaction.atomic
def record_welfare_check(
    detention,
    *,
    checked_at,
    professional_name,
    profession="",
    risk_requires_waking=True,
    notes="",
    now=None,
) -> WelfareCheck:
    return _simple_event(
        law.check_welfare_check,
        lambda: law.WelfareCheck(
            checked_at=checked_at,
            professional_name=professional_name,
            profession=profession,
            risk_requires_waking=risk_requires_waking,
        ),
        WelfareCheck,
        detention,
        now,
        happened_at=checked_at,
        checked_at=checked_at,
        professional_name=professional_name,
        profession=profession or "",
        risk_requires_waking=risk_requires_waking,
        notes=notes,
    )


@transaction.atomic
def record_review(
    detention,
    *,
    reviewed_at,
    conditions_met,
    asleep=False,
    hcp_available=True,
    reviewer_name="",
    notes="",
    now=None,
) -> Review:
    return _simple_event(
        law.check_review,
        lambda: law.Review(
            reviewed_at=reviewed_at,
            conditions_met=conditions_met,
            asleep=asleep,
            reviewer_name=reviewer_name,
            hcp_available=hcp_available,
        ),
        Review,
        detention,
        now,
        happened_at=reviewed_at,
        reviewed_at=reviewed_at,
        conditions_met=conditions_met,
        asleep=asleep,
        hcp_available=hcp_available,
        reviewer_name=reviewer_name,
        notes=notes,
    )


@transaction.atomic
def record_transfer_exception(detention, *, recorded_for, reason, now=None) -> TransferException:
    return _simple_event(
        law.check_transfer_exception,
        lambda: law.TransferException(recorded_at=recorded_for, reason=reason),
        TransferException,
        detention,
        now,
        happened_at=recorded_for,
        recorded_for=recorded_for,
        reason=reason,
    )


@transaction.atomic
def record_extension(
    detention,
    *,
    authorised_at,
    hours,
    doctor_name,
    doctor_gmc_number,
    ground,
    ground_detail="",
    superintendent_name="",
    superintendent_rank="",
    superintendent_approved_at=None,
    minutes=0,
    record_as_happened=False,
    account="",
    now=None,
) -> Extension:
    """E1-E6. Recorded as it happened (R1) while breaking them, it adds no time. E5: the
    superintendent's approval given from their account fills the record (`approvals`)."""
    now = _now(now)
    account = as_happened(record_as_happened, account)
    if superintendent_name and not superintendent_rank:
        superintendent_rank = "superintendent"  # E5: the rank defaults to superintendent
    approval = None
    if _LATE.get() is None:  # (a late entry records what was typed, as it was)
        filled, approval = approvals.for_extension(
            _lock(detention),
            {
                "superintendent_name": superintendent_name,
                "superintendent_rank": superintendent_rank,
                "superintendent_approved_at": superintendent_approved_at,
            },
            now,
        )
        superintendent_name = filled["superintendent_name"]
        superintendent_rank = filled["superintendent_rank"]
        superintendent_approved_at = filled["superintendent_approved_at"]
    hours = _stored_hours(hours)
    minutes = minutes or 0
    if _beyond_storage(hours, minutes):  # E3, and too long to be the record of anything (R1)
        raise RuleViolation(
            [
                law.Violation(
                    "E3",
                    law.Code.EXTENSION_TOO_LONG.value,
                    "hours",
                    "An extension adds at most 12 hours in total. Authorise 12 hours or fewer.",
                )
            ]
        )
    extension = _simple_event(
        law.check_extension,
        lambda: law.Extension(
            authorised_at=authorised_at,
            hours=hours,
            doctor_name=doctor_name,
            doctor_gmc_number=doctor_gmc_number,
            ground=ground,
            ground_detail=ground_detail,
            superintendent_name=superintendent_name or None,
            superintendent_rank=superintendent_rank or None,
            superintendent_approved_at=superintendent_approved_at,
            minutes=minutes,
        ),
        Extension,
        detention,
        now,
        happened_at=authorised_at,
        account=account,
        announce="detention.extended",
        authorised_at=authorised_at,
        hours=hours,
        doctor_name=doctor_name,
        doctor_gmc_number=doctor_gmc_number,
        ground=ground,
        ground_detail=ground_detail,
        superintendent_name=superintendent_name or "",
        superintendent_rank=superintendent_rank or "",
        superintendent_approved_at=superintendent_approved_at,
        minutes=minutes,
    )
    approvals.mark_used(approval, extension)
    return extension


def _beyond_storage(hours, minutes) -> bool:
    """More hours or minutes than the record can hold (a million hours is no extension)."""
    numbers = [
        n
        for n in (hours, minutes)
        if isinstance(n, int | float | Decimal) and not isinstance(n, bool)
    ]
    return any(not Decimal(str(n)).is_finite() or abs(n) >= 1_000_000 for n in numbers)


def _stored_hours(hours):
    """E3: hours as stored (four decimal places, rounded up so that a period just over 12
    hours is judged as the record will hold it: still too long)."""
    if isinstance(hours, bool) or not isinstance(hours, int | float | Decimal):
        return hours
    try:
        return Decimal(str(hours)).quantize(Decimal("0.0001"), rounding=ROUND_UP)
    except InvalidOperation:
        return hours


ASSESSMENT_TIMES = (
    "amhp_requested_at",
    "amhp_arrived_at",
    "doctor_requested_at",
    "doctor_arrived_at",
    "started_at",
    "completed_at",
)
ASSESSMENT_OTHER = ("amhp_name", "doctor_name", "doctor_s12_approved")


@transaction.atomic
def record_assessment(detention, *, now=None, **fields) -> Assessment:
    """Creates or updates the assessment; only the fields given change (A1: partial is fine)."""
    now = _now(now)
    detention = _lock(detention)
    assessment = Assessment.objects.select_for_update().filter(
        detention=detention
    ).first() or Assessment(detention=detention)
    for name in ASSESSMENT_TIMES + ASSESSMENT_OTHER:
        if name in fields:
            value = fields[name]
            setattr(
                assessment,
                name,
                "" if value is None and name in ("amhp_name", "doctor_name") else value,
            )
    proposed = law.Assessment(**{n: getattr(assessment, n) for n in ASSESSMENT_TIMES})
    _refuse(law.check_assessment(_event_facts(detention), proposed, now))
    assessment.recorded_by = _actor_label()
    _stamp(assessment).save()
    _refresh(detention, now)
    return assessment


@transaction.atomic
def record_handover(detention, *, handed_over_at, received_by, now=None) -> Handover:
    now = _now(now)
    detention = _lock(detention)
    facts = _event_facts(detention)
    proposed = law.Handover(handed_over_at=handed_over_at, received_by=received_by)
    if facts.ended_at is not None:  # C7 comes before every other rule
        _refuse(law.check_handover(facts, proposed, now))
    if facts.handover is not None:
        raise RuleViolation(
            [
                law.Violation(
                    "A4",
                    "handover_exists",
                    "handed_over_at",
                    "The handover is already recorded. Correct it if it is wrong.",
                )
            ]
        )
    _refuse(law.check_handover(facts, proposed, now))
    handover = _create(
        Handover,
        detention=detention,
        handed_over_at=handed_over_at,
        received_by=received_by,
        recorded_by=_actor_label(),
    )
    _refresh(detention, now)
    return handover


@transaction.atomic
def record_escape(detention, *, escaped_at, now=None) -> Escape:
    return _simple_event(
        law.check_escape,
        lambda: law.Escape(escaped_at=escaped_at),
        Escape,
        detention,
        now,
        happened_at=escaped_at,
        escaped_at=escaped_at,
    )


@transaction.atomic
def record_return(
    detention, *, returned_at, record_as_happened=False, account="", now=None
) -> Escape:
    now = _now(now)
    account = as_happened(record_as_happened, account)
    detention = _lock(detention)
    unlawful = _judge(law.check_return(_event_facts(detention), returned_at, now), account)
    escape = (
        Escape.objects.select_for_update()
        .filter(detention=detention, returned_at__isnull=True)
        .latest("escaped_at")
    )
    escape.returned_at = returned_at
    escape.save()
    _record_unlawful(detention, escape, unlawful, account, happened_at=returned_at, now=now)
    _refresh(detention, now)
    return escape


@transaction.atomic
def end_detention(detention, *, ended_at, outcome, now=None) -> Detention:
    now = _now(now)
    detention = _lock(detention)
    _refuse(law.check_end(facts_for(detention), ended_at, outcome, now))
    detention.ended_at = ended_at
    detention.outcome = outcome
    _announce(detention, "detention.ended", ended_at=_instant(ended_at), outcome=outcome)
    _refresh(detention, now, force=True)
    return detention


# --- Corrections: the audited path, the only one that may touch an ended detention ---------------

DETENTION_CORRECTABLE = (
    "detained_at",
    "location_kind",
    "location_description",
    "consulted_at",
    "consultation_profession",
    "consultation_name",
    "consultation_advice",
    "consultation_not_practicable_reason",
    "conveyance_mode",
    "conveyance_reason",
    "warrant_issued_at",
    "premises_entered_at",
    "ended_at",
    "outcome",
    "npu",
)


def _history_reason(text: str) -> str:
    """simple-history keeps at most 100 characters of a change reason; the Correction row keeps it all."""
    return text if len(text) <= 100 else text[:99] + "…"


def _jsonable(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


@transaction.atomic
def correct(
    target,
    *,
    kind: str,
    reason: str,
    changes: dict | None = None,
    delete: bool = False,
    record_as_happened: bool = False,
    account: str = "",
    now=None,
) -> Correction:
    """Corrects `target` (the detention or one of its events): change fields, or delete an event
    entered in error. Requires a reason; re-runs every rule on the corrected record; keeps the
    original in history (the history row carries the reason)."""
    from django.utils.translation import gettext as _

    now = _now(now)
    account = as_happened(record_as_happened, account)
    if not (reason or "").strip():
        raise RuleViolation(
            [
                law.Violation(
                    "C7", "reason_required", "reason", _("Give the reason for the correction.")
                )
            ]
        )
    if kind not in Correction.Kind.values or kind == Correction.Kind.LATE_ENTRY:
        raise RuleViolation(
            [law.Violation("C7", "invalid_choice", "kind", _("Choose the kind of correction."))]
        )
    detention = _lock(target if isinstance(target, Detention) else target.detention)
    if isinstance(target, Detention):
        target = detention
    changes = dict(changes or {})
    if isinstance(target, Detention):
        if delete:
            raise RuleViolation(
                [law.Violation("C7", "invalid", None, _("A detention cannot be deleted."))]
            )
        unknown = set(changes) - set(DETENTION_CORRECTABLE)
        if unknown:
            raise RuleViolation(
                [
                    law.Violation(
                        "C7",
                        "invalid",
                        sorted(unknown)[0],
                        _("This field cannot be corrected here."),
                    )
                ]
            )
    diff = {}
    for name, value in changes.items():
        old = getattr(target, name)
        if old != value:
            diff[name] = [_jsonable(old), _jsonable(value)]
            setattr(target, name, value)
    if not diff and not delete:
        raise RuleViolation(
            [law.Violation("C7", "no_change", None, _("The correction changes nothing."))]
        )

    # C3 holds for every door: reopening an ended detention while the person has another
    # running one is refused (before the database constraint would fire).
    if isinstance(target, Detention) and "ended_at" in diff and target.ended_at is None:
        Person.objects.select_for_update().filter(pk=detention.person_id).first()
        others = Detention.objects.filter(person_id=detention.person_id, ended_at__isnull=True)
        if others.exclude(pk=detention.pk).exists():
            raise RuleViolation(
                [
                    law.Violation(
                        "C3",
                        law.Code.DETENTION_ACTIVE.value,
                        "ended_at",
                        _(
                            "This person has another detention that has not ended, and "
                            "consecutive detentions are unlawful: this one cannot be reopened "
                            "while that one runs. End or correct the other detention first."
                        ),
                    )
                ]
            )

    # Re-run the rules on the corrected record before writing anything.
    if not isinstance(target, Detention):
        # Build facts with the event changed (or removed) in memory.
        facts = facts_for(detention)
        facts = _facts_with_event(facts, detention, target, delete)
    else:
        facts = facts_for(detention)
    # What was recorded as happened (R1) stands; anything newly unlawful needs the confirmation.
    unlawful = _judge(law.check_correction(facts, now), account, accepted=_accepted(detention))

    label = f"{target._meta.model_name}:{target.pk}"
    change_reason = _history_reason(f"correction ({kind}): {reason}")
    target._change_reason = change_reason
    if delete:
        diff = {"deleted": [label, None]}
        target.delete()
    elif not isinstance(target, Detention):
        target.save()
    correction = Correction.objects.create(
        detention=detention,
        kind=kind,
        reason=reason,
        target=label,
        changes=diff,
        recorded_by=_actor_label(),
    )
    detention._change_reason = change_reason
    if not delete:
        _record_unlawful(detention, label, unlawful, account, happened_at=now, now=now)
    _refresh(detention, now, force=isinstance(target, Detention))
    return correction


#: R2: the events that may be entered late (API action name -> service, its instants).
LATE_ENTRY_EVENTS = {
    "welfare-checks": ("record_welfare_check", ("checked_at",)),
    "reviews": ("record_review", ("reviewed_at",)),
    "assessment": ("record_assessment", ASSESSMENT_TIMES),
    "handover": ("record_handover", ("handed_over_at",)),
    "extension": ("record_extension", ("authorised_at", "superintendent_approved_at")),
    "transfer-exception": ("record_transfer_exception", ("recorded_for",)),
}


@contextmanager
def entering_late(detention, *, event: str, reason: str, instants: dict):
    """R2: everything written inside the block is a late entry of `event` on the ended
    `detention` (call inside a transaction): the reason is required, the event's instants lie
    within the detention's span, the event and the detention's history rows are marked "late
    entry: <reason>", no new alert is raised, and a `late_entry` Correction keeps the reason."""
    from django.utils.translation import gettext as _

    if not (reason or "").strip():
        raise RuleViolation(
            [law.Violation("R2", "reason_required", "reason", _("Give the reason it is late."))]
        )
    if event not in LATE_ENTRY_EVENTS:
        raise RuleViolation(
            [
                law.Violation(
                    "R2",
                    "invalid_choice",
                    "event",
                    _("Choose one of: %(events)s.") % {"events": ", ".join(LATE_ENTRY_EVENTS)},
                )
            ]
        )
    detention = _lock(detention)
    _refuse(law.check_late_entry(facts_for(detention), instants))
    written: list = []
    token = _LATE.set(reason.strip())
    token_written = _LATE_WRITTEN.set(written)
    try:
        yield
    finally:
        _LATE.reset(token)
        _LATE_WRITTEN.reset(token_written)
    for obj in {id(o): o for o in written}.values():
        label = f"{obj._meta.model_name}:{obj.pk}"
        Correction.objects.create(
            detention=detention,
            kind=Correction.Kind.LATE_ENTRY,
            reason=reason.strip(),
            target=label,
            changes={"entered_late": [None, label]},
            recorded_by=_actor_label(),
        )


@transaction.atomic
def record_late_entry(detention, *, event: str, reason: str, fields: dict, now=None):
    """R2 through the API: the named action's service, called with `fields`, inside
    `entering_late` (`reason`: why it is late; the event's own fields may include a `reason` of
    their own, as a transfer exception's does)."""
    service_name, times = LATE_ENTRY_EVENTS.get(event, (None, ()))
    with entering_late(
        detention, event=event, reason=reason, instants={t: fields.get(t) for t in times}
    ):
        return globals()[service_name](detention, now=now, **fields)


# (model, facts field, related name on Detention, converter, ordering attribute)
MANY_VALUED_EVENTS = (
    (WelfareCheck, "welfare_checks", "welfare_checks", welfare_check_fact, "checked_at"),
    (Review, "reviews", "reviews", review_fact, "reviewed_at"),
    (Escape, "escapes", "escapes", escape_fact, "escaped_at"),
    (
        TransferException,
        "transfer_exceptions",
        "transfer_exceptions",
        transfer_exception_fact,
        "recorded_for",
    ),
)


def _facts_with_event(
    facts: law.DetentionFacts, detention, event, delete: bool
) -> law.DetentionFacts:
    """The facts as they would be with `event` changed in memory (or deleted)."""

    if isinstance(event, DetentionArrival):
        if delete:
            return dataclasses.replace(facts, arrival=None, kept_place=None)
        arrival = law.Arrival(
            place=place_fact(event.place),
            arrived_at=event.arrived_at,
            police_station_decision=decision_fact(event.police_station_decision),
        )
        return dataclasses.replace(
            facts, arrival=arrival, kept_place=arrival.place if detention.mode == "kept" else None
        )
    if isinstance(event, Transfer):
        others = tuple(t for t in facts.transfers if t.id != event.pk)
        items = (
            others
            if delete
            else tuple(sorted((*others, transfer_fact(event)), key=lambda t: t.departed_at))
        )
        return dataclasses.replace(facts, transfers=items)
    if isinstance(event, Extension):
        return dataclasses.replace(facts, extension=None if delete else extension_fact(event))
    if isinstance(event, Assessment):
        return dataclasses.replace(facts, assessment=None if delete else assessment_fact(event))
    if isinstance(event, Handover):
        return dataclasses.replace(
            facts,
            handover=None if delete else handover_fact(event),
        )
    # Many-valued events: rebuild the list from the database with this one replaced.
    for model, field, related, convert, key in MANY_VALUED_EVENTS:
        if isinstance(event, model):
            rows = [r for r in getattr(detention, related).all() if r.pk != event.pk]
            rows += [] if delete else [event]
            rows.sort(key=lambda r: getattr(r, key))
            return dataclasses.replace(facts, **{field: tuple(convert(r) for r in rows)})
    raise TypeError(f"cannot correct {type(event).__name__}")


# --- References to other systems -------------------------------------------------------------

REFERENCE_FIELDS = ("custody_record_number", "cad_number")


@transaction.atomic
def set_references(detention: Detention, **references) -> Detention:
    """Sets the detention's references to the force's other systems (any of REFERENCE_FIELDS;
    "" clears one). Not unique (core.references); allowed after the end too."""
    from django.core.exceptions import ValidationError

    from core.references import clean_reference

    unknown = set(references) - set(REFERENCE_FIELDS)
    if unknown:
        raise TypeError(f"unknown reference fields: {sorted(unknown)}")
    locked = Detention.objects.select_for_update(of=("self",)).get(pk=detention.pk)
    changed = []
    for name, value in references.items():
        value = clean_reference(value)
        if getattr(locked, name) != value:
            setattr(locked, name, value)
            changed.append(name)
    errors = {}
    for name in changed:
        try:
            locked._meta.get_field(name).clean(getattr(locked, name), locked)
        except ValidationError as exc:
            errors[name] = exc.error_list
    if errors:
        raise ValidationError(errors)
    if changed:
        locked.save(update_fields=[*changed, "updated_at"])
    return locked
