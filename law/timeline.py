"""Where the person was, and when: the derived timeline of a detention (C1, C3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .constants import Mode, PlaceKind, Power
from .facts import DetentionFacts, Escape, Place, PoliceStationDecision, Transfer
from .rulesets import REMOVAL, RuleSet, rule_set_for


@dataclass(frozen=True)
class Stay:
    """A period at one place of safety: from arrival until the next transfer departs."""

    place: Place | None
    arrived_at: datetime
    left_at: datetime | None
    decision: PoliceStationDecision | None
    #: The transfer that brought the person here (None for the first place).
    transfer: Transfer | None = None

    def contains(self, instant: datetime) -> bool:
        return self.arrived_at <= instant and (self.left_at is None or instant < self.left_at)


@dataclass(frozen=True)
class Timeline:
    facts: DetentionFacts
    rules: RuleSet
    #: The instant the person is treated as arriving at the first place of safety.
    first_arrived_at: datetime | None
    clock_started_at: datetime | None
    transfers: tuple[Transfer, ...]
    stays: tuple[Stay, ...]
    transfer_under_way: Transfer | None
    escapes: tuple[Escape, ...]
    open_escape: Escape | None

    @property
    def first_stay(self) -> Stay | None:
        return self.stays[0] if self.stays else None

    @property
    def last_stay(self) -> Stay | None:
        return self.stays[-1] if self.stays else None

    @property
    def base_expires_at(self) -> datetime | None:
        """C2 without any extension."""
        if self.clock_started_at is None:
            return None
        return self.clock_started_at + self.rules.permitted_period

    @property
    def current_stay(self) -> Stay | None:
        """The stay the person is in now (None before arrival or during a transfer)."""
        if self.transfer_under_way is not None:
            return None
        return self.last_stay

    def stay_at(self, instant: datetime) -> Stay | None:
        for stay in self.stays:
            if stay.contains(instant):
                return stay
        return None

    def place_at(self, instant: datetime) -> Place | None:
        """Where the person was at ``instant`` (None before arrival or in transit)."""
        stay = self.stay_at(instant)
        return stay.place if stay is not None else None

    def at_police_station_at(self, instant: datetime) -> bool:
        place = self.place_at(instant)
        return place is not None and place.kind == PlaceKind.POLICE_STATION

    def latest_movement(self) -> datetime | None:
        """The latest arrival or departure recorded (bound for the next transfer)."""
        instants = [s.arrived_at for s in self.stays]
        instants += [t.departed_at for t in self.transfers]
        instants += [t.arrived_at for t in self.transfers if t.arrived_at is not None]
        return max(instants) if instants else None


def kept_start(facts: DetentionFacts) -> datetime:
    """C1 for a kept detention: when the officer decided to keep the person there; for
    s135(1) kept at the warrant premises, when the officer first entered them."""
    if facts.power == Power.S135_1 and facts.premises_entered_at is not None:
        return facts.premises_entered_at
    return facts.detained_at


def rules_for(facts: DetentionFacts) -> RuleSet:
    return rule_set_for(
        facts.power,
        facts.detained_at,
        facts.warrant_issued_at,
        mha2025_from=facts.mha2025_commenced_at,
    )


def build_timeline(facts: DetentionFacts) -> Timeline:
    rules = rules_for(facts)
    stays: list[Stay] = []
    if facts.mode == Mode.KEPT:
        arrival = facts.arrival
        place = facts.kept_place or (arrival.place if arrival is not None else None)
        decision = arrival.police_station_decision if arrival is not None else None
        stays.append(Stay(place, kept_start(facts), None, decision))
    elif facts.arrival is not None:
        arrival = facts.arrival
        stays.append(
            Stay(
                arrival.place,
                arrival.arrived_at,
                None,
                arrival.police_station_decision,
            )
        )
    first_arrived_at = stays[0].arrived_at if stays else None

    transfers = tuple(sorted(facts.transfers, key=lambda t: t.departed_at))
    under_way: Transfer | None = None
    if stays:
        for transfer in transfers:
            last = stays[-1]
            if last.left_at is None:
                stays[-1] = Stay(
                    last.place,
                    last.arrived_at,
                    transfer.departed_at,
                    last.decision,
                    last.transfer,
                )
            if transfer.arrived_at is None:
                under_way = transfer
                continue
            under_way = None
            stays.append(
                Stay(
                    transfer.to_place,
                    transfer.arrived_at,
                    None,
                    transfer.police_station_decision,
                    transfer,
                )
            )

    if rules.period_starts == REMOVAL:
        clock_started_at: datetime | None = facts.detained_at
    else:
        clock_started_at = first_arrived_at

    escapes = tuple(sorted(facts.escapes, key=lambda e: e.escaped_at))
    open_escape = next((e for e in reversed(escapes) if e.returned_at is None), None)

    return Timeline(
        facts=facts,
        rules=rules,
        first_arrived_at=first_arrived_at,
        clock_started_at=clock_started_at,
        transfers=transfers,
        stays=tuple(stays),
        transfer_under_way=under_way,
        escapes=escapes,
        open_escape=open_escape,
    )
