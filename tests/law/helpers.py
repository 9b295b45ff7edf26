"""Builders for rule-engine tests (a plain module: the repository's conftest needs Django)."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from law import Arrival, Consultation, DetentionFacts, Place, PoliceStationDecision, Transfer

LONDON = ZoneInfo("Europe/London")
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)

#: A Friday morning in May 2026 (BST), well after the PCA 2017 cutover.
T0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)

HBPOS = Place("hbpos", "health_based", True)
ADULT_SUITE = Place("adult-suite", "health_based", False)
ED = Place("ed", "emergency_department", True)
STATION = Place("station", "police_station", False)
OTHER = Place("friend-home", "other", True)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def consultation(consulted_at: datetime = T0 - 10 * MINUTE, **kw) -> Consultation:
    values = {"profession": "nurse", "name": "Sam Nurse", "advice": "Detain; take to HBPoS"}
    values.update(kw)
    return Consultation(consulted_at=consulted_at, **values)


def decision(**kw) -> PoliceStationDecision:
    """A complete, lawful decision by an inspector."""
    values = {
        "imminent_risk": True,
        "no_other_place": True,
        "hcp_available": True,
        "decision_maker_rank": "inspector",
        "consulted_professional": "Sam Nurse, custody healthcare professional",
    }
    values.update(kw)
    return PoliceStationDecision(**values)


def sergeant_decision(authorised_at: datetime = T0 + 5 * MINUTE, **kw) -> PoliceStationDecision:
    values = {
        "decision_maker_rank": "sergeant",
        "inspector_name": "Insp Jones",
        "inspector_rank": "inspector",
        "authorised_at": authorised_at,
    }
    values.update(kw)
    return decision(**values)


def detention(**kw) -> DetentionFacts:
    """A lawful s136 removal from a public place at T0, not yet arrived anywhere."""
    values = {
        "power": "s136",
        "detained_at": T0,
        "mode": "removed",
        "location_kind": "public_place",
        "date_of_birth": date(1990, 6, 15),
        "consultation": consultation(kw.get("detained_at", T0) - 10 * MINUTE),
        "conveyance_mode": "ambulance",
    }
    values.update(kw)
    return DetentionFacts(**values)


def arrived(
    facts: DetentionFacts,
    place: Place = HBPOS,
    at: datetime | None = None,
    police_station_decision: PoliceStationDecision | None = None,
) -> DetentionFacts:
    at = at if at is not None else facts.detained_at + 30 * MINUTE
    return replace(facts, arrival=Arrival(place, at, police_station_decision))


def transferred(
    facts: DetentionFacts,
    to: Place,
    departed_at: datetime,
    arrived_at: datetime | None = None,
    tid: str | int = "t1",
    police_station_decision: PoliceStationDecision | None = None,
) -> DetentionFacts:
    transfer = Transfer(
        tid,
        to,
        departed_at,
        arrived_at,
        "bed found",
        police_station_decision=police_station_decision,
    )
    return replace(facts, transfers=(*facts.transfers, transfer))


def codes(violations) -> list:
    return [v.code for v in violations]


def rules_of(violations) -> list:
    return [v.rule for v in violations]
