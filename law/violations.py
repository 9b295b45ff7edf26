"""The result of a rule check."""

from __future__ import annotations

from dataclasses import dataclass

from .constants import CONFLICT_CODES, RECORDABLE_CODES


@dataclass(frozen=True)
class Violation:
    """A rule the facts break.

    ``code`` is the API error code when the input must be refused; it is None for flags
    (a breach, an overdue check, a missed target) that are recorded, alerted and
    reported but never refused. ``attr`` is the API field the error belongs to (None for
    the whole resource). ``message`` tells an officer what is wrong and what to do.
    """

    rule: str
    code: str | None
    attr: str | None
    message: str

    @property
    def is_refusal(self) -> bool:
        return self.code is not None

    @property
    def is_conflict(self) -> bool:
        """True for a state conflict (HTTP 409), e.g. an ended detention."""
        return self.code in CONFLICT_CODES

    @property
    def recordable(self) -> bool:
        """R1: an unlawful act that may be recorded as it happened (with an account)."""
        return self.code in RECORDABLE_CODES


def recordable(violations) -> bool:
    """R1: True when there are refusals and every one of them is recordable, so the input
    may be recorded as it happened (a refusal that is not recordable, such as
    ``time_order``, stays a refusal)."""
    refusals = [v for v in violations if v.is_refusal]
    return bool(refusals) and all(v.recordable for v in refusals)


def unlawful(violations) -> tuple[tuple[str, str], ...]:
    """R1: the distinct ``(rule, code)`` pairs an act recorded as it happened breaks."""
    seen: dict[tuple[str, str], None] = {}
    for v in violations:
        if v.is_refusal and v.recordable:
            seen.setdefault((v.rule, v.code), None)
    return tuple(seen)
