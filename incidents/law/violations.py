"""The result of a rule check."""

from __future__ import annotations

from dataclasses import dataclass

from .constants import CONFLICT_CODES


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
