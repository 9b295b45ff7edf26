"""Validation of proposed inputs, called by the service layer before it writes.

Each ``check_*`` function takes the facts as recorded, the proposed input and ``now``,
and returns the list of refusal ``Violation``s (an empty list: allowed). C7 comes first
and alone: nothing may be added to an ended detention (HTTP 409).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime

from .constants import Code, Mode
from .facts import (
    Arrival,
    Assessment,
    DetentionFacts,
    Escape,
    Extension,
    Handover,
    Review,
    Transfer,
    TransferException,
    WelfareCheck,
    to_utc,
)
from .rulesets import RULE_SETS
from .text import Text, gettext_noop
from .timeline import build_timeline, rules_for
from .validators import (
    dedupe,
    detention_ended,
    not_in_future,
    time_order,
    validate_assessment,
    validate_detention,
    validate_end,
    validate_escape,
    validate_extension,
    validate_first_place,
    validate_place_event,
    validate_record,
    validate_return,
    validate_transfer,
    validate_transfer_exception_reason,
)
from .violations import Violation


def _ended(facts: DetentionFacts) -> list[Violation]:
    return check_not_ended(facts.ended_at)


def _place_event(
    facts: DetentionFacts, at: datetime, attr: str, what: str, now: datetime
) -> list[Violation]:
    """C4 for an event at the place of safety of a running detention."""
    now = to_utc(now, "now")
    if facts.ended_at is not None:
        return _ended(facts)
    return validate_place_event(build_timeline(facts), at, attr, what, now)


def check_new_detention(
    facts: DetentionFacts, now: datetime, *, has_other_active_detention: bool
) -> list[Violation]:
    """C3, P1-P3, C4 for a new detention; for ``mode="kept"`` also PS1-PS3 at the kept
    place (its police station decision is ``facts.arrival.police_station_decision``)."""
    now = to_utc(now, "now")
    v: list[Violation] = []
    if has_other_active_detention:
        v.append(
            Violation(
                "C3",
                Code.DETENTION_ACTIVE.value,
                None,
                gettext_noop(
                    "This person already has a detention that has not ended, and "
                    "consecutive detentions are unlawful. If they escaped, record their "
                    "return on that detention (retaking); otherwise end it first."
                ),
            )
        )
    rules = rules_for(facts)
    v += validate_detention(facts, rules, now)
    v += validate_first_place(facts, build_timeline(facts), now)
    return dedupe(v)


def check_arrival(facts: DetentionFacts, arrival: Arrival, now: datetime) -> list[Violation]:
    """C1/C4 and PS1-PS3 for the arrival at the first place of safety."""
    now = to_utc(now, "now")
    if facts.ended_at is not None:
        return _ended(facts)
    if facts.mode == Mode.KEPT or facts.arrival is not None:
        if facts.mode == Mode.KEPT:
            message = gettext_noop(
                "The person was kept at the place of safety where they already were, so "
                "their arrival is already recorded. To move them, record a transfer."
            )
        else:
            message = gettext_noop(
                "The arrival at the first place of safety is already recorded. To move "
                "the person to another place of safety, record a transfer."
            )
        return [Violation("C1", Code.ARRIVAL_EXISTS.value, "arrived_at", message)]
    after = replace(facts, arrival=arrival)
    return dedupe(validate_first_place(after, build_timeline(after), now))


def check_transfer(facts: DetentionFacts, transfer: Transfer, now: datetime) -> list[Violation]:
    """C3/C4 for a new transfer, and PS1-PS3 at its destination (age and conditions
    taken at its arrival when known, else at its departure)."""
    now = to_utc(now, "now")
    if facts.ended_at is not None:
        return _ended(facts)
    tl = build_timeline(facts)
    if tl.first_stay is None:
        return [
            time_order(
                "departed_at",
                gettext_noop(
                    "The person has not yet arrived at a place of safety. Record the arrival "
                    "at the first place of safety, then the transfer."
                ),
            )
        ]
    if tl.transfer_under_way is not None:
        return [
            time_order(
                "departed_at",
                Text(
                    gettext_noop(
                        "Another transfer is under way (departed %(departed)s). Record its "
                        "arrival first."
                    ),
                    departed=tl.transfer_under_way.departed_at,
                ),
            )
        ]
    return dedupe(validate_transfer(facts, tl, transfer, tl.latest_movement(), now))


def check_transfer_arrival(
    facts: DetentionFacts, transfer_id: int | str, arrived_at: datetime, now: datetime
) -> list[Violation]:
    """C4 and PS1-PS3 (at ``arrived_at``) when a transfer under way arrives."""
    now = to_utc(now, "now")
    arrived_at = to_utc(arrived_at, "arrived_at")
    if facts.ended_at is not None:
        return _ended(facts)
    transfer = next((t for t in facts.transfers if t.id == transfer_id), None)
    if transfer is None:
        return [
            Violation(
                "C3",
                Code.NOT_FOUND.value,
                None,
                gettext_noop(
                    "There is no such transfer on this detention. Record the transfer first."
                ),
            )
        ]
    if transfer.arrived_at is not None:
        return [
            Violation(
                "C3",
                Code.ARRIVAL_EXISTS.value,
                "arrived_at",
                Text(
                    gettext_noop(
                        "This transfer's arrival is already recorded (%(arrived)s). To move "
                        "the person again, record a new transfer."
                    ),
                    arrived=transfer.arrived_at,
                ),
            )
        ]
    tl = build_timeline(facts)
    arrived = replace(transfer, arrived_at=arrived_at)
    return dedupe(validate_transfer(facts, tl, arrived, transfer.departed_at, now))


def check_welfare_check(
    facts: DetentionFacts, check: WelfareCheck, now: datetime
) -> list[Violation]:
    """C4 for a welfare check (PS4)."""
    return _place_event(facts, check.checked_at, "checked_at", "A welfare check", now)


def check_review(facts: DetentionFacts, review: Review, now: datetime) -> list[Violation]:
    """C4 for a review (PS5)."""
    return _place_event(facts, review.reviewed_at, "reviewed_at", "A review", now)


def check_extension(facts: DetentionFacts, extension: Extension, now: datetime) -> list[Violation]:
    """E1-E6 (E6 and ``extension_exists`` come alone)."""
    now = to_utc(now, "now")
    if facts.ended_at is not None:
        return _ended(facts)
    tl = build_timeline(facts)
    if not tl.rules.extension_allowed:
        return validate_extension(facts, tl, extension, now)  # E6, alone
    if facts.extension is not None:
        return [
            Violation(
                "E3",
                Code.EXTENSION_EXISTS.value,
                None,
                gettext_noop(
                    "This detention has already been extended; only one extension is "
                    "allowed. Complete the assessment within the extended period."
                ),
            )
        ]
    return dedupe(validate_extension(facts, tl, extension, now))


def check_assessment(
    facts: DetentionFacts, assessment: Assessment, now: datetime
) -> list[Violation]:
    """C4 for the assessment record (created or updated as a whole). A1: a partial
    assessment is fine."""
    now = to_utc(now, "now")
    if facts.ended_at is not None:
        return _ended(facts)
    return validate_assessment(build_timeline(facts), assessment, now)


def check_handover(facts: DetentionFacts, handover: Handover, now: datetime) -> list[Violation]:
    """C4 for the handover to health staff (A4)."""
    return _place_event(facts, handover.handed_over_at, "handed_over_at", "The handover", now)


def check_escape(facts: DetentionFacts, escape: Escape, now: datetime) -> list[Violation]:
    """X1: an escape from a running detention whose person is not already absent."""
    now = to_utc(now, "now")
    if facts.ended_at is not None:
        return _ended(facts)
    tl = build_timeline(facts)
    if tl.open_escape is not None:
        return [
            Violation(
                "X1",
                Code.ALREADY_ABSENT.value,
                "escaped_at",
                Text(
                    gettext_noop(
                        "The person is already recorded as absent (escaped at %(escaped)s). "
                        "Record their return first."
                    ),
                    escaped=tl.open_escape.escaped_at,
                ),
            )
        ]
    bound = None
    if tl.escapes:
        bound = max(e.returned_at or e.escaped_at for e in tl.escapes)
    after = replace(facts, escapes=(*facts.escapes, escape))
    return dedupe(validate_escape(build_timeline(after), escape, bound, now))


def check_return(facts: DetentionFacts, returned_at: datetime, now: datetime) -> list[Violation]:
    """X1: the return of an absent person, refused after the retaking deadline."""
    now = to_utc(now, "now")
    returned_at = to_utc(returned_at, "returned_at")
    if facts.ended_at is not None:
        return _ended(facts)
    tl = build_timeline(facts)
    if tl.open_escape is None:
        return [
            Violation(
                "X1",
                Code.NOT_ABSENT.value,
                "returned_at",
                gettext_noop("The person is not recorded as absent. Record the escape first."),
            )
        ]
    return dedupe(validate_return(tl, tl.open_escape, returned_at, now))


def check_end(
    facts: DetentionFacts, ended_at: datetime, outcome: str | None, now: datetime
) -> list[Violation]:
    """C7/C4: end time after everything recorded, a valid outcome. Ending after the
    period expired is allowed (C6: recorded and flagged as a breach)."""
    now = to_utc(now, "now")
    ended_at = to_utc(ended_at, "ended_at")
    if facts.ended_at is not None:
        return _ended(facts)
    return dedupe(validate_end(facts, build_timeline(facts), ended_at, outcome, now))


def check_transfer_exception(
    facts: DetentionFacts, exception: TransferException, now: datetime
) -> list[Violation]:
    """PS6: the recorded reason a required transfer is not made."""
    now = to_utc(now, "now")
    if facts.ended_at is not None:
        return _ended(facts)
    tl = build_timeline(facts)
    v = validate_place_event(
        tl, exception.recorded_at, "recorded_at", "The transfer exception", now
    )
    v += validate_transfer_exception_reason(exception.reason)
    return v


def check_correction(facts_after: DetentionFacts, now: datetime) -> list[Violation]:
    """Re-validate a whole corrected record (the audited correction path, which may
    touch ended detentions): every refusal-kind rule, no flags, no C7."""
    now = to_utc(now, "now")
    return validate_record(facts_after, build_timeline(facts_after), now)


def check_late_entry(
    facts: DetentionFacts, instants: dict[str, datetime | None]
) -> list[Violation]:
    """R2: after a detention has ended, an event whose own time lies within the detention's
    span may still be added as a late entry (the event's own rules are then checked as if the
    detention were running, with ``replace(facts, ended_at=None)``). Before the end there is
    nothing late about it: record it in the ordinary way."""
    if facts.ended_at is None:
        return [
            Violation(
                "R2",
                Code.DETENTION_NOT_ENDED.value,
                None,
                gettext_noop("This detention has not ended: record the event in the ordinary way."),
            )
        ]
    v: list[Violation] = []
    for attr, instant in instants.items():
        if instant is None:
            continue
        instant = to_utc(instant, attr)
        if instant > facts.ended_at or instant < facts.detained_at:
            v.append(
                time_order(
                    attr,
                    Text(
                        gettext_noop(
                            "A late entry must lie within the detention (%(detained)s to "
                            "%(ended)s); this one is at %(at)s. Correct the time."
                        ),
                        detained=facts.detained_at,
                        ended=facts.ended_at,
                        at=instant,
                    ),
                )
            )
    return v


# ------------------------------------------ records kept beside the facts (the assessment's)
def check_not_ended(ended_at: datetime | None) -> list[Violation]:
    """C7: nothing may be added to a detention that has ended (HTTP 409), including the
    records kept beside the facts (the assessment's details, delays and outcome)."""
    return [detention_ended(ended_at)] if ended_at is not None else []


def check_times(
    rule_set: str,
    detained_at: datetime,
    times: Mapping[str, tuple[datetime | None, str]],
    now: datetime,
) -> list[Violation]:
    """C4 for times kept beside the facts: ``times`` maps each field to ``(instant, what)``;
    every instant given is no earlier than the detention and not in the future beyond the
    allowed clock skew of ``rule_set`` (the detention's rule set id)."""
    rules = RULE_SETS[rule_set]
    now = to_utc(now, "now")
    detained_at = to_utc(detained_at, "detained_at")
    v: list[Violation] = []
    for attr, (instant, what) in times.items():
        if instant is None:
            continue
        instant = to_utc(instant, attr)
        if instant < detained_at:
            v.append(
                time_order(
                    attr,
                    Text(
                        gettext_noop(
                            "%(what)s (%(at)s) is before the detention (%(detained)s). "
                            "Correct the time."
                        ),
                        what=what,
                        at=instant,
                        detained=detained_at,
                    ),
                )
            )
        else:
            v += not_in_future(instant, attr, str(what), now, rules)
    return v


def check_bed_times(requested_at: datetime | None, found_at: datetime | None) -> list[Violation]:
    """C4: a bed is found no earlier than it was requested."""
    if requested_at is None or found_at is None or found_at >= requested_at:
        return []
    return [
        time_order(
            "bed_found_at",
            Text(
                gettext_noop(
                    "The bed was found (%(found)s) before it was requested (%(requested)s). "
                    "Correct the times."
                ),
                found=found_at,
                requested=requested_at,
            ),
        )
    ]


def check_delay_end(
    started_at: datetime, ended_at: datetime, detention_ended_at: datetime | None
) -> list[Violation]:
    """C4: a delay to the assessment ends no earlier than it started and, once the detention
    has ended, no later than its end."""
    v: list[Violation] = []
    if ended_at < started_at:
        v.append(
            time_order(
                "ended_at",
                Text(
                    gettext_noop(
                        "The delay cannot end (%(ended)s) before it started (%(started)s)."
                    ),
                    ended=ended_at,
                    started=started_at,
                ),
            )
        )
    if detention_ended_at is not None and ended_at > detention_ended_at:
        v.append(
            time_order(
                "ended_at",
                Text(
                    gettext_noop("The detention ended at %(ended)s: a delay to it ends by then."),
                    ended=detention_ended_at,
                ),
            )
        )
    return v
