"""The facts of a detention: immutable records of what happened.

Every field whose name ends in ``_at`` is an instant: it must be a timezone-aware
``datetime`` (a naive one raises ``ValueError``) and is normalised to UTC on
construction, so that all arithmetic is on UTC instants (``+ timedelta(hours=24)`` is 24
elapsed hours whatever the offset the caller used). Lists passed for tuple fields are
converted to tuples.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal


def to_utc(value: datetime, name: str = "instant") -> datetime:
    """Return ``value`` as a UTC datetime; refuse naive datetimes."""
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, not {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (got a naive datetime)")
    return value.astimezone(UTC)


class _Record:
    """Normalises instants to UTC and lists to tuples after construction."""

    def __post_init__(self) -> None:
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if f.name.endswith("_at"):
                if value is not None:
                    object.__setattr__(self, f.name, to_utc(value, f.name))
            elif isinstance(value, list):
                object.__setattr__(self, f.name, tuple(value))


@dataclass(frozen=True)
class Consultation(_Record):
    """P2: the professional consulted before a s136 detention."""

    consulted_at: datetime
    profession: str
    name: str
    advice: str


@dataclass(frozen=True)
class PoliceStationDecision(_Record):
    """PS2/PS3: the recorded decision to use a police station as a place of safety.

    ``consulted_professional`` (a ``Consultation`` or a free-text description) or
    ``consultation_not_practicable_reason`` records the consultation a constable must make
    before deciding.
    """

    imminent_risk: bool | None
    no_other_place: bool | None
    hcp_available: bool | None
    decision_maker_rank: str | None
    inspector_name: str | None = None
    inspector_rank: str | None = None
    authorised_at: datetime | None = None
    consulted_professional: Consultation | str | None = None
    consultation_not_practicable_reason: str | None = None


@dataclass(frozen=True)
class Place(_Record):
    id: int | str
    kind: str
    accepts_under_18: bool


@dataclass(frozen=True)
class Arrival(_Record):
    place: Place
    arrived_at: datetime
    police_station_decision: PoliceStationDecision | None = None


@dataclass(frozen=True)
class Transfer(_Record):
    id: int | str
    to_place: Place
    departed_at: datetime
    arrived_at: datetime | None = None
    reason: str = ""
    police_station_decision: PoliceStationDecision | None = None


@dataclass(frozen=True)
class WelfareCheck(_Record):
    """PS4. ``risk_requires_waking=False`` records that the check found no risk that
    requires waking the person (which allows the 3-hour asleep review interval, PS5)."""

    checked_at: datetime
    professional_name: str = ""
    profession: str = ""
    risk_requires_waking: bool = True


@dataclass(frozen=True)
class Review(_Record):
    """PS5/PS6. ``conditions_met`` is whether PS2 (a) and (b) still apply."""

    reviewed_at: datetime
    conditions_met: bool
    asleep: bool = False
    reviewer_name: str = ""
    hcp_available: bool = True


@dataclass(frozen=True)
class Extension(_Record):
    """E1-E6 (s136B). The period is ``hours`` (a whole or fractional number) plus
    ``minutes`` (E3: it may be given in hours and minutes)."""

    authorised_at: datetime
    hours: int | float | Decimal
    doctor_name: str
    doctor_gmc_number: str
    ground: str
    ground_detail: str = ""
    doctor_responsible_for_examination: bool = True
    superintendent_name: str | None = None
    superintendent_rank: str | None = None
    superintendent_approved_at: datetime | None = None
    minutes: int | float | Decimal = 0

    @property
    def length(self) -> timedelta | None:
        """The period it adds as authorised (None when the numbers are not numbers)."""
        parts = (self.hours, self.minutes)
        if any(isinstance(p, bool) or not isinstance(p, int | float | Decimal) for p in parts):
            return None
        seconds = Decimal(str(self.hours)) * 3600 + Decimal(str(self.minutes)) * 60
        if not seconds.is_finite():
            return None
        return timedelta(microseconds=int(seconds * 1_000_000))


@dataclass(frozen=True)
class Escape(_Record):
    """X1 (s138). ``returned_at`` is None while the person is absent."""

    escaped_at: datetime
    returned_at: datetime | None = None


@dataclass(frozen=True)
class Assessment(_Record):
    """A1: the steps of the assessment; any of them may still be unknown."""

    amhp_requested_at: datetime | None = None
    amhp_arrived_at: datetime | None = None
    doctor_requested_at: datetime | None = None
    doctor_arrived_at: datetime | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None


@dataclass(frozen=True)
class Handover(_Record):
    """A4: police hand the person over to health staff."""

    handed_over_at: datetime
    received_by: str = ""


@dataclass(frozen=True)
class TransferException(_Record):
    """PS6: the recorded reason a required transfer from a police station is not made
    (an assessment can begin sooner there and moving would likely cause distress)."""

    recorded_at: datetime
    reason: str


@dataclass(frozen=True)
class DetentionFacts(_Record):
    """Everything recorded about one detention.

    ``mode="kept"``: the person was already at ``kept_place``; they are treated as arriving
    there at ``detained_at`` (s135(1) kept at the warrant premises: at
    ``premises_entered_at``). For a kept detention ``arrival`` is optional and only
    supplies the ``police_station_decision`` for the kept place (and the place itself
    if ``kept_place`` is None); its ``arrived_at`` is ignored.
    """

    power: str
    detained_at: datetime
    mode: str
    location_kind: str
    date_of_birth: date | None = None
    age_assessment: str | None = None
    consultation: Consultation | None = None
    consultation_not_practicable_reason: str | None = None
    conveyance_mode: str | None = None
    conveyance_reason: str | None = None
    warrant_issued_at: datetime | None = None
    premises_entered_at: datetime | None = None
    kept_place: Place | None = None
    arrival: Arrival | None = None
    transfers: tuple[Transfer, ...] = ()
    welfare_checks: tuple[WelfareCheck, ...] = ()
    reviews: tuple[Review, ...] = ()
    extension: Extension | None = None
    escapes: tuple[Escape, ...] = ()
    assessment: Assessment | None = None
    handover: Handover | None = None
    transfer_exceptions: tuple[TransferException, ...] = ()
    ended_at: datetime | None = None
    outcome: str | None = None
    #: RS4: the Mental Health Act 2025's commencement instant (a deployment setting the
    #: caller passes in); None: not commenced.
    mha2025_commenced_at: datetime | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if isinstance(self.date_of_birth, datetime):
            raise TypeError("date_of_birth must be a date, not a datetime")
