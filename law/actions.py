"""``next_actions``: which events the law lets come next for a detention.

The engine answers what may lawfully be recorded next; who may record it is the policy's
question (the caller filters these codes by what the actor may do).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from .constants import Status
from .evaluation import Evaluation, evaluate
from .facts import DetentionFacts


class Action(StrEnum):
    """An event that may be recorded next (values match the policy's action names; the
    ``late_`` actions are R2 late entries, which need the policy's ``late_entry`` too)."""

    ARRIVAL = "arrival"
    WELFARE_CHECK = "welfare_check"
    REVIEW = "review"
    TRANSFER_EXCEPTION = "transfer_exception"
    TRANSFER_ARRIVAL = "transfer_arrival"
    TRANSFER = "transfer"
    HANDOVER = "handover"
    EXTENSION = "extension"
    RETURN = "return"
    ESCAPE = "escape"
    END = "end"
    CORRECT = "correct"
    LATE_WELFARE_CHECK = "late_welfare_check"
    LATE_REVIEW = "late_review"
    LATE_TRANSFER_EXCEPTION = "late_transfer_exception"
    LATE_HANDOVER = "late_handover"
    LATE_ASSESSMENT = "late_assessment"


def next_actions(
    facts: DetentionFacts, now: datetime, *, evaluation: Evaluation | None = None
) -> tuple[Action, ...]:
    """The events that may be recorded next, in the order of a case.

    - C7: once ended, only an audited correction, and R2 late entries (welfare checks,
      reviews, transfer exceptions, the handover if none is recorded, assessment steps).
    - C1: an arrival until the first arrival is recorded (not while absent).
    - PS4/PS5: welfare checks and reviews while at a police station; PS6: the exception
      while a transfer from it is required.
    - T: the arrival of a transfer under way, otherwise a transfer from the place of safety;
      A4: one handover, at a place of safety.
    - E3: one extension, once the person has arrived.
    - X1: a return while absent, otherwise an escape; the end (C7) and a correction.

    ``evaluation`` (of ``facts`` at ``now``) saves evaluating again when the caller has it.
    """
    if facts.ended_at is not None:
        out = [
            Action.CORRECT,
            Action.LATE_WELFARE_CHECK,
            Action.LATE_REVIEW,
            Action.LATE_TRANSFER_EXCEPTION,
        ]
        if facts.handover is None:
            out.append(Action.LATE_HANDOVER)
        out.append(Action.LATE_ASSESSMENT)
        return tuple(out)
    ev = evaluation if evaluation is not None else evaluate(facts, now)
    absent = ev.status == Status.ABSENT
    at_place = ev.status == Status.AT_PLACE_OF_SAFETY
    arrived = facts.arrival is not None
    out = []
    if not arrived and not absent:
        out.append(Action.ARRIVAL)
    if ev.at_police_station:
        out += [Action.WELFARE_CHECK, Action.REVIEW]
        if ev.transfer_required:
            out.append(Action.TRANSFER_EXCEPTION)
    if arrived:
        if ev.in_transfer_to is not None:
            out.append(Action.TRANSFER_ARRIVAL)
        elif at_place:
            out.append(Action.TRANSFER)
        if facts.handover is None and at_place:
            out.append(Action.HANDOVER)
        if facts.extension is None:
            out.append(Action.EXTENSION)
    out.append(Action.RETURN if absent else Action.ESCAPE)
    out += [Action.END, Action.CORRECT]
    return tuple(out)
