"""The deadlines still counting on a detention: the one answer every countdown asks.

The derived columns (`expires_at`, `assessment_due_at`, `handover_due_at`, ...) keep what was
due, also once the detention has ended: the reports count a target met or missed from them, and
C8 judges a breach against `expires_at`. But nothing counts down once the detention has ended,
and a target stops counting once it is met. Every countdown (the detention page, the board, the
AMHP and doctor worklists, the assessment page, the API's `deadlines`) asks `counting()`, so an
ended record never counts down anywhere. The alerts sweep asks the same in SQL
(`ended_at IS NULL`, the assessment not started, no handover: `alerts/sweep.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

EXPIRY = "expiry"
RETAKE = "retake"
WELFARE_CHECK = "welfare_check"
REVIEW = "review"
ASSESSMENT = "assessment"
HANDOVER = "handover"

KINDS = (EXPIRY, RETAKE, WELFARE_CHECK, REVIEW, ASSESSMENT, HANDOVER)


@dataclass(frozen=True)
class Deadline:
    kind: str
    due_at: datetime


def _one(detention, name):
    """A one-to-one event (None when there is none), from the cache when it was selected."""
    try:
        return getattr(detention, name)
    except Exception:  # RelatedObjectDoesNotExist
        return None


def counting(detention) -> dict[str, datetime]:
    """{kind: due instant} of the deadlines still counting, soonest first; empty once ended.

    - expiry while the person is held (retake while absent: X1);
    - welfare check and review while at a police station (the columns are set only then);
    - the assessment target (A2) until the assessment starts;
    - the handover target (A4) until the handover is recorded.
    Select `assessment` and `handover` with the detention to read it without a query."""
    if detention.ended_at is not None:
        return {}
    found: dict[str, datetime | None] = {}
    if detention.status == "absent":
        found[RETAKE] = detention.retake_by
    else:
        found[EXPIRY] = detention.expires_at
    found[WELFARE_CHECK] = detention.next_welfare_check_due_at
    found[REVIEW] = detention.next_review_due_at
    assessment = _one(detention, "assessment")
    if assessment is None or assessment.started_at is None:
        found[ASSESSMENT] = detention.assessment_due_at
    if _one(detention, "handover") is None:
        found[HANDOVER] = detention.handover_due_at
    present = [(k, v) for k, v in found.items() if v is not None]
    return dict(sorted(present, key=lambda kv: kv[1]))


def assessment_target(detention) -> datetime | None:
    """A2's due instant while it still counts (None once met, or once the detention ended)."""
    return counting(detention).get(ASSESSMENT)


def as_list(detention) -> list[Deadline]:
    return [Deadline(kind, due) for kind, due in counting(detention).items()]
