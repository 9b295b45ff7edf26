"""Turn stored records into the rule engine's facts (and back into deadline columns)."""

from django.conf import settings

import law
from detentions.models import Detention


def place_fact(place) -> law.Place | None:
    if place is None:
        return None
    return law.Place(id=place.pk, kind=place.kind, accepts_under_18=place.accepts_under_18)


def decision_fact(d) -> law.PoliceStationDecision | None:
    if d is None:
        return None
    return law.PoliceStationDecision(
        imminent_risk=d.imminent_risk,
        no_other_place=d.no_other_place,
        hcp_available=d.hcp_available,
        decision_maker_rank=d.decision_maker_rank or None,
        inspector_name=d.inspector_name or None,
        inspector_rank=d.inspector_rank or None,
        authorised_at=d.authorised_at,
        consulted_professional=d.consulted_professional or None,
        consultation_not_practicable_reason=d.consultation_not_practicable_reason or None,
    )


def transfer_fact(t) -> law.Transfer:
    return law.Transfer(
        id=t.pk,
        to_place=place_fact(t.to_place),
        departed_at=t.departed_at,
        arrived_at=t.arrived_at,
        reason=t.reason,
        police_station_decision=decision_fact(t.police_station_decision),
    )


def extension_fact(e) -> law.Extension | None:
    if e is None:
        return None
    return law.Extension(
        authorised_at=e.authorised_at,
        hours=e.hours,
        minutes=e.minutes,
        doctor_name=e.doctor_name,
        doctor_gmc_number=e.doctor_gmc_number,
        ground=e.ground,
        ground_detail=e.ground_detail,
        superintendent_name=e.superintendent_name or None,
        superintendent_rank=e.superintendent_rank or None,
        superintendent_approved_at=e.superintendent_approved_at,
    )


def assessment_fact(a) -> law.Assessment | None:
    if a is None:
        return None
    return law.Assessment(
        amhp_requested_at=a.amhp_requested_at,
        amhp_arrived_at=a.amhp_arrived_at,
        doctor_requested_at=a.doctor_requested_at,
        doctor_arrived_at=a.doctor_arrived_at,
        started_at=a.started_at,
        completed_at=a.completed_at,
    )


def welfare_check_fact(c) -> law.WelfareCheck:
    return law.WelfareCheck(
        checked_at=c.checked_at,
        professional_name=c.professional_name,
        profession=c.profession,
        risk_requires_waking=c.risk_requires_waking,
    )


def review_fact(r) -> law.Review:
    return law.Review(
        reviewed_at=r.reviewed_at,
        conditions_met=r.conditions_met,
        asleep=r.asleep,
        reviewer_name=r.reviewer_name,
        hcp_available=r.hcp_available,
    )


def escape_fact(e) -> law.Escape:
    return law.Escape(escaped_at=e.escaped_at, returned_at=e.returned_at)


def transfer_exception_fact(x) -> law.TransferException:
    return law.TransferException(recorded_at=x.recorded_for, reason=x.reason)


def handover_fact(h) -> law.Handover | None:
    if h is None:
        return None
    return law.Handover(handed_over_at=h.handed_over_at, received_by=h.received_by)


def _one(detention, name):
    try:
        return getattr(detention, name)
    except Exception:  # RelatedObjectDoesNotExist
        return None


def mha2025_commencement():
    """RS4: the deployment's Mental Health Act 2025 commencement instant (None: unset)."""
    value = getattr(settings, "HARBOUR", {}).get("MHA2025_COMMENCEMENT")
    if isinstance(value, str):
        from django.utils.dateparse import parse_datetime

        value = parse_datetime(value)
        if value is None or value.tzinfo is None:
            raise ValueError("HARBOUR['MHA2025_COMMENCEMENT'] must be an instant with an offset")
    return value


def facts_for(detention: Detention, person=None) -> law.DetentionFacts:
    """Everything recorded about `detention`, as the engine's immutable facts."""
    person = person or detention.person
    arrival = _one(detention, "arrival")
    consultation = None
    if detention.consulted_at or detention.consultation_name:
        consultation = law.Consultation(
            consulted_at=detention.consulted_at or detention.detained_at,
            profession=detention.consultation_profession,
            name=detention.consultation_name,
            advice=detention.consultation_advice,
        )
    arrival_fact = None
    kept_place = None
    if arrival is not None:
        arrival_fact = law.Arrival(
            place=place_fact(arrival.place),
            arrived_at=arrival.arrived_at,
            police_station_decision=decision_fact(arrival.police_station_decision),
        )
        if detention.mode == "kept":
            kept_place = arrival_fact.place
    handover = _one(detention, "handover")
    return law.DetentionFacts(
        power=detention.power,
        detained_at=detention.detained_at,
        mode=detention.mode,
        location_kind=detention.location_kind,
        date_of_birth=person.date_of_birth,
        age_assessment=person.age_assessment or None,
        consultation=consultation,
        consultation_not_practicable_reason=detention.consultation_not_practicable_reason or None,
        conveyance_mode=detention.conveyance_mode or None,
        conveyance_reason=detention.conveyance_reason or None,
        warrant_issued_at=detention.warrant_issued_at,
        premises_entered_at=detention.premises_entered_at,
        kept_place=kept_place,
        arrival=arrival_fact,
        transfers=tuple(transfer_fact(t) for t in detention.transfers.all()),
        welfare_checks=tuple(welfare_check_fact(c) for c in detention.welfare_checks.all()),
        reviews=tuple(review_fact(r) for r in detention.reviews.all()),
        extension=extension_fact(_one(detention, "extension")),
        escapes=tuple(escape_fact(e) for e in detention.escapes.all()),
        assessment=assessment_fact(_one(detention, "assessment")),
        handover=handover_fact(handover),
        transfer_exceptions=tuple(
            transfer_exception_fact(x) for x in detention.transfer_exceptions.all()
        ),
        ended_at=detention.ended_at,
        outcome=detention.outcome or None,
        mha2025_commenced_at=mha2025_commencement(),
    )


def targets() -> dict:
    cfg = getattr(settings, "HARBOUR", {})
    return {
        "assessment_target": cfg.get("ASSESSMENT_TARGET", law.DEFAULT_ASSESSMENT_TARGET),
        "handover_target": cfg.get("HANDOVER_TARGET", law.DEFAULT_HANDOVER_TARGET),
    }


def evaluate(detention: Detention, now, facts=None) -> law.Evaluation:
    return law.evaluate(facts or facts_for(detention), now, **targets())


DERIVED_FIELDS = [
    "rule_set",
    "status",
    "clock_started_at",
    "expires_at",
    "extended_until",
    "current_place_of_safety",
    "in_transfer_to",
    "at_police_station",
    "next_welfare_check_due_at",
    "next_review_due_at",
    "transfer_required",
    "transfer_required_since",
    "retake_by",
    "assessment_due_at",
    "handover_due_at",
]


def apply_evaluation(detention: Detention, ev: law.Evaluation) -> None:
    detention.rule_set = ev.rule_set
    detention.status = ev.status
    detention.clock_started_at = ev.clock_started_at
    detention.expires_at = ev.expires_at
    detention.extended_until = ev.extended_until
    detention.current_place_of_safety_id = ev.current_place.id if ev.current_place else None
    detention.in_transfer_to_id = ev.in_transfer_to.id if ev.in_transfer_to else None
    detention.at_police_station = ev.at_police_station
    detention.next_welfare_check_due_at = ev.next_welfare_check_due_at
    detention.next_review_due_at = ev.next_review_due_at
    detention.transfer_required = ev.transfer_required
    detention.transfer_required_since = ev.transfer_required_since
    detention.retake_by = ev.retake_by
    detention.assessment_due_at = ev.assessment_due_at
    detention.handover_due_at = ev.handover_due_at
