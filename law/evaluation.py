"""``evaluate``: the deadlines, status and violations derived from a detention's facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .constants import HEALTH_BASED_KINDS, PlaceKind, Status
from .facts import DetentionFacts, Place, Review, WelfareCheck, to_utc
from .text import Text, gettext_noop
from .timeline import Stay, Timeline, build_timeline
from .validators import expires_at as compute_expires_at
from .validators import extended_until as compute_extended_until
from .validators import retake_by, validate_record
from .violations import Violation

DEFAULT_ASSESSMENT_TARGET = timedelta(hours=3)
DEFAULT_HANDOVER_TARGET = timedelta(hours=1)


@dataclass(frozen=True)
class Evaluation:
    #: RS1: the id of the rule set the detention is judged by.
    rule_set: str
    status: str
    #: C1: None until the person arrives at the first place of safety.
    clock_started_at: datetime | None
    #: C2: includes a lawful extension; None before the clock starts.
    expires_at: datetime | None
    #: E3: the end of a lawful extension (None without one).
    extended_until: datetime | None
    #: C8: the end (or now, while running) is strictly after ``expires_at``.
    breach: bool
    #: C5: the time since detention while the clock has not started (else None).
    time_since_detention: timedelta | None
    #: Where the person is (the last place arrived at); None before the first arrival
    #: and while a transfer is under way. Kept while absent and after the end.
    current_place: Place | None
    #: The destination of a transfer under way.
    in_transfer_to: Place | None
    #: Currently (running, not absent, not in transit) at a police station.
    at_police_station: bool
    #: PS4: while at a police station and running.
    next_welfare_check_due_at: datetime | None
    #: PS5: while at a police station and running.
    next_review_due_at: datetime | None
    welfare_check_overdue: bool
    review_overdue: bool
    #: PS6: a transfer from the police station is required and not yet made.
    transfer_required: bool
    #: PS6: since when (the review that found the conditions no longer met); None unless
    #: ``transfer_required``.
    transfer_required_since: datetime | None
    #: X1: while absent.
    retake_by: datetime | None
    #: A2: clock start + the assessment target (None before the clock starts).
    assessment_due_at: datetime | None
    assessment_target_missed: bool
    #: A4: first arrival at a health-based place + the handover target.
    handover_due_at: datetime | None
    handover_target_missed: bool
    #: Every rule the record breaks: refusal-kind violations (code set) and flags
    #: (code None: C6 breach, PS4/PS5 overdue, PS6 transfer required, A2, A4).
    violations: tuple[Violation, ...]


def is_breach(expires_at: datetime | None, ended_at: datetime | None, now: datetime) -> bool:
    """C8: the detention's end (or, while it runs, ``now``) is strictly after ``expires_at``.

    The one definition of a breach: ``Detention.is_breach`` and the queryset's
    ``with_breach`` / ``breach_q`` are built from the same columns and tested against it.
    Ending exactly at expiry is not a breach; with no ``expires_at`` (the clock has not
    started) there is none."""
    if expires_at is None:
        return False
    end = ended_at if ended_at is not None else now
    return end > expires_at


def _status(facts: DetentionFacts, tl: Timeline) -> str:
    if facts.ended_at is not None:
        return Status.ENDED.value
    if tl.open_escape is not None:
        return Status.ABSENT.value
    if tl.first_stay is None or tl.transfer_under_way is not None:
        return Status.IN_TRANSIT.value
    return Status.AT_PLACE_OF_SAFETY.value


def _latest_check(facts: DetentionFacts, stay: Stay) -> WelfareCheck | None:
    here = [c for c in facts.welfare_checks if c.checked_at >= stay.arrived_at]
    return max(here, key=lambda c: c.checked_at) if here else None


def _latest_review(facts: DetentionFacts, stay: Stay) -> Review | None:
    here = [r for r in facts.reviews if r.reviewed_at >= stay.arrived_at]
    return max(here, key=lambda r: r.reviewed_at) if here else None


def evaluate(
    facts: DetentionFacts,
    now: datetime,
    *,
    assessment_target: timedelta = DEFAULT_ASSESSMENT_TARGET,
    handover_target: timedelta = DEFAULT_HANDOVER_TARGET,
) -> Evaluation:
    """Derive the clocks, status, alerts and violations of ``facts`` at ``now``.

    Pure and deterministic: the same facts and ``now`` always give the same result.
    """
    now = to_utc(now, "now")
    tl = build_timeline(facts)
    rules = tl.rules
    status = _status(facts, tl)
    running = facts.ended_at is None
    end_or_now = facts.ended_at if facts.ended_at is not None else now

    clock = tl.clock_started_at
    extended = compute_extended_until(tl)
    expires = compute_expires_at(tl)
    breach = is_breach(expires, facts.ended_at, now)

    time_since = end_or_now - facts.detained_at if tl.first_stay is None else None

    last = tl.last_stay
    current_place = last.place if last is not None and tl.transfer_under_way is None else None
    in_transfer_to = tl.transfer_under_way.to_place if tl.transfer_under_way else None
    at_station = (
        status == Status.AT_PLACE_OF_SAFETY
        and current_place is not None
        and current_place.kind == PlaceKind.POLICE_STATION
    )

    # PS4-PS6
    welfare_due = review_due = None
    welfare_overdue = review_overdue = transfer_required = False
    transfer_required_since = None
    stay = tl.current_stay
    if at_station and rules.police_station_rules and stay is not None:
        latest_check = _latest_check(facts, stay)
        basis = latest_check.checked_at if latest_check else stay.arrived_at
        welfare_due = basis + rules.welfare_check_interval
        latest_review = _latest_review(facts, stay)
        if latest_review is None:
            review_due = stay.arrived_at + rules.first_review_after
        else:
            interval = rules.review_interval
            if (
                latest_review.asleep
                and latest_check is not None
                and latest_check.risk_requires_waking is False
            ):
                interval = rules.asleep_review_interval
            review_due = latest_review.reviewed_at + interval
            if not latest_review.conditions_met or not latest_review.hcp_available:
                transfer_required = not any(
                    x.recorded_at >= latest_review.reviewed_at for x in facts.transfer_exceptions
                )
                if transfer_required:
                    transfer_required_since = latest_review.reviewed_at
        welfare_overdue = now > welfare_due
        review_overdue = now > review_due

    # X1
    retake = retake_by(tl, tl.open_escape) if status == Status.ABSENT else None

    # A2
    assessment_due = clock + assessment_target if clock is not None else None
    assessment_missed = False
    if assessment_due is not None:
        started = facts.assessment.started_at if facts.assessment else None
        assessment_missed = (started if started is not None else end_or_now) > (assessment_due)

    # A4
    handover_due = None
    handover_missed = False
    health_stay = next(
        (s for s in tl.stays if s.place is not None and s.place.kind in HEALTH_BASED_KINDS),
        None,
    )
    if health_stay is not None:
        handover_due = health_stay.arrived_at + handover_target
        handed = facts.handover.handed_over_at if facts.handover else None
        handover_missed = (handed if handed is not None else end_or_now) > handover_due

    violations = list(validate_record(facts, tl, now))
    if breach and expires is not None:
        if running:
            message = Text(
                gettext_noop(
                    "The permitted period expired at %(expires)s and the detention is still "
                    "running: this is a breach. End the detention now and report it."
                ),
                expires=expires,
            )
        else:
            message = Text(
                gettext_noop(
                    "The detention ended at %(ended)s, after the permitted period expired at "
                    "%(expires)s: this is a breach. Report it."
                ),
                ended=end_or_now,
                expires=expires,
            )
        violations.append(Violation("C6", None, "expires_at", message))
    if welfare_overdue and welfare_due is not None:
        violations.append(
            Violation(
                "PS4",
                None,
                "next_welfare_check_due_at",
                Text(
                    gettext_noop(
                        "A healthcare professional's welfare check was due at %(due)s. Check "
                        "the person's welfare now and record it."
                    ),
                    due=welfare_due,
                ),
            )
        )
    if review_overdue and review_due is not None:
        violations.append(
            Violation(
                "PS5",
                None,
                "next_review_due_at",
                Text(
                    gettext_noop(
                        "The custody officer's review was due at %(due)s. Review now whether "
                        "the police station conditions still apply and record it."
                    ),
                    due=review_due,
                ),
            )
        )
    if transfer_required:
        violations.append(
            Violation(
                "PS6",
                None,
                "current_place_of_safety",
                gettext_noop(
                    "The latest review found the police station conditions no longer met "
                    "(or no healthcare professional available). Transfer the person to a "
                    "place of safety that is not a police station, or record why they stay "
                    "(an assessment can begin sooner there and moving them would likely "
                    "cause distress)."
                ),
            )
        )
    if assessment_missed and assessment_due is not None:
        violations.append(
            Violation(
                "A2",
                None,
                "assessment",
                Text(
                    gettext_noop(
                        "The assessment was due to begin by %(due)s (target missed). Chase the "
                        "AMHP and doctor and record the assessment times."
                    ),
                    due=assessment_due,
                )
                if running
                else Text(
                    gettext_noop("The assessment was due to begin by %(due)s (target missed)."),
                    due=assessment_due,
                ),
            )
        )
    if handover_missed and handover_due is not None:
        violations.append(
            Violation(
                "A4",
                None,
                "handover",
                Text(
                    gettext_noop(
                        "Handover to health staff was due by %(due)s (target missed). Hand over "
                        "now and record it, or escalate the delay."
                    ),
                    due=handover_due,
                )
                if running
                else Text(
                    gettext_noop("Handover to health staff was due by %(due)s (target missed)."),
                    due=handover_due,
                ),
            )
        )

    return Evaluation(
        rule_set=rules.id,
        status=status,
        clock_started_at=clock,
        expires_at=expires,
        extended_until=extended,
        breach=breach,
        time_since_detention=time_since,
        current_place=current_place,
        in_transfer_to=in_transfer_to,
        at_police_station=at_station,
        next_welfare_check_due_at=welfare_due,
        next_review_due_at=review_due,
        welfare_check_overdue=welfare_overdue,
        review_overdue=review_overdue,
        transfer_required=transfer_required,
        transfer_required_since=transfer_required_since,
        retake_by=retake,
        assessment_due_at=assessment_due,
        assessment_target_missed=assessment_missed,
        handover_due_at=handover_due,
        handover_target_missed=handover_missed,
        violations=tuple(violations),
    )
