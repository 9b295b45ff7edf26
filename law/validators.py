"""The rules that refuse inputs, one validator per part of the record.

Each validator returns a list of ``Violation``s (empty: nothing wrong). The public
``check_*`` functions and ``evaluate`` are built from them. Nothing here imports Django.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from .age import age_on
from .constants import (
    AgeAssessment,
    Code,
    ExtensionGround,
    LocationKind,
    Mode,
    Outcome,
    PlaceKind,
    PoliceVehicleReason,
    Power,
    Profession,
    Rank,
    rank_at_least,
)
from .facts import (
    Assessment,
    DetentionFacts,
    Escape,
    Extension,
    PoliceStationDecision,
    Transfer,
)
from .rulesets import RuleSet
from .text import Text, gettext_noop
from .timeline import Timeline
from .violations import Violation

LONDON = ZoneInfo("Europe/London")


# --------------------------------------------------------------------------- helpers
def filled(value: object) -> bool:
    """True for a value that records something (not None, not a blank string)."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    return True


def dedupe(violations: Iterable[Violation]) -> list[Violation]:
    seen: set[Violation] = set()
    result = []
    for violation in violations:
        if violation not in seen:
            seen.add(violation)
            result.append(violation)
    return result


def time_order(attr: str | None, message: str) -> Violation:
    return Violation("C4", Code.TIME_ORDER.value, attr, message)


def not_in_future(
    instant: datetime | None, attr: str, what: str, now: datetime | None, rules: RuleSet
) -> list[Violation]:
    """C4: nothing in the future beyond the allowed clock skew (the limit is allowed)."""
    if instant is None or now is None:
        return []
    limit = now + rules.future_skew
    if instant <= limit:
        return []
    return [
        time_order(
            attr,
            Text(
                gettext_noop(
                    "%(what)s (%(at)s) is in the future. Record the time it actually "
                    "happened; times up to %(minutes)s minutes ahead of now are accepted "
                    "for clock differences."
                ),
                what=what,
                at=instant,
                minutes=int(rules.future_skew.total_seconds() // 60),
            ),
        )
    ]


def detention_ended(ended_at: datetime | None) -> Violation:
    """C7: the refusal of anything added to a detention that ended at ``ended_at``."""
    ended = ended_at if ended_at is not None else gettext_noop("an earlier time")
    return Violation(
        "C7",
        Code.DETENTION_ENDED.value,
        None,
        Text(
            gettext_noop(
                "This detention ended at %(ended)s; nothing more can be added to it. If the "
                "record is wrong, make an audited correction and give the reason."
            ),
            ended=ended,
        ),
    )


def during_absence(tl: Timeline, instant: datetime | None, attr: str, what: str) -> list[Violation]:
    """The person cannot arrive or be moved while recorded as absent (escaped)."""
    if instant is None:
        return []
    for escape in tl.escapes:
        if escape.escaped_at < instant and (
            escape.returned_at is None or instant < escape.returned_at
        ):
            if escape.returned_at is None:
                return [
                    time_order(
                        attr,
                        Text(
                            gettext_noop(
                                "The person is recorded as absent since they escaped at "
                                "%(escaped)s. Record their return first, then %(then)s."
                            ),
                            escaped=escape.escaped_at,
                            then=what[:1].lower() + what[1:],
                        ),
                    )
                ]
            return [
                time_order(
                    attr,
                    Text(
                        gettext_noop(
                            "%(what)s (%(at)s) falls while the person was absent (escaped "
                            "at %(escaped)s, returned at %(returned)s). Correct the time."
                        ),
                        what=what,
                        at=instant,
                        escaped=escape.escaped_at,
                        returned=escape.returned_at,
                    ),
                )
            ]
    return []


def age_status(facts: DetentionFacts, instant: datetime, rules: RuleSet) -> str:
    """PS1: "child", "adult" or "unknown" at ``instant``.

    A known date of birth decides. Otherwise the officer's age assessment decides
    ("appears_under_18" counts as under 18); with neither, the age is unknown.
    """
    if facts.date_of_birth is not None:
        if age_on(facts.date_of_birth, instant) < rules.police_station_min_age:
            return "child"
        return "adult"
    if facts.age_assessment == AgeAssessment.APPEARS_UNDER_18:
        return "child"
    if facts.age_assessment == AgeAssessment.ADULT:
        return "adult"
    return "unknown"


# ----------------------------------------------------------------- the detention (P, C4)
def validate_detention(
    facts: DetentionFacts, rules: RuleSet, now: datetime | None
) -> list[Violation]:
    """P1-P3 and the C4 order of the detention's own times."""
    v: list[Violation] = []
    if facts.mode not in tuple(Mode):
        v.append(
            Violation(
                "C1",
                Code.INVALID_CHOICE.value,
                "mode",
                gettext_noop(
                    "Choose how the power was used: 'removed' (taken to a place of safety) "
                    "or 'kept' (kept at the place of safety where they already were)."
                ),
            )
        )
    if facts.location_kind not in tuple(LocationKind):
        v.append(
            Violation(
                "P1",
                Code.INVALID_CHOICE.value,
                "location_kind",
                gettext_noop("Choose the kind of location where the power was used."),
            )
        )

    # P1
    if (
        facts.power in rules.public_place_powers
        and facts.location_kind in rules.dwelling_kinds_refused
    ):
        v.append(
            Violation(
                "P1",
                Code.PRIVATE_DWELLING.value,
                "location_kind",
                gettext_noop(
                    "Section 136 cannot be used in a house, flat or room where anyone lives, "
                    "or in a yard, garden, garage or outhouse used only with one dwelling. "
                    "Use other lawful powers there, or seek a section 135 warrant through an "
                    "AMHP. (A shared communal area is allowed.)"
                ),
            )
        )

    # P2
    if rules.consultation_required and facts.power in rules.consultation_powers:
        consultation = facts.consultation
        if consultation is None and not filled(facts.consultation_not_practicable_reason):
            v.append(
                Violation(
                    "P2",
                    Code.CONSULTATION_REQUIRED.value,
                    "consultation",
                    gettext_noop(
                        "Before detaining under section 136 you must consult, if "
                        "practicable, a doctor, nurse, AMHP, occupational therapist or "
                        "paramedic. Record who you consulted (profession and name), when, "
                        "and their advice; or record why consulting was not practicable."
                    ),
                )
            )
        elif consultation is not None:
            if consultation.profession not in tuple(Profession):
                v.append(
                    Violation(
                        "P2",
                        Code.CONSULTATION_REQUIRED.value,
                        "consultation",
                        gettext_noop(
                            "The professional consulted must be a doctor, nurse, AMHP, "
                            "occupational therapist or paramedic. Record one of these, or "
                            "record why consulting one was not practicable."
                        ),
                    )
                )
            if not filled(consultation.name):
                v.append(
                    Violation(
                        "P2",
                        Code.CONSULTATION_REQUIRED.value,
                        "consultation",
                        gettext_noop("Record the name of the professional you consulted."),
                    )
                )

    # P3
    if facts.conveyance_mode == "police_vehicle":
        if not filled(facts.conveyance_reason):
            v.append(
                Violation(
                    "P3",
                    Code.CONVEYANCE_REASON_REQUIRED.value,
                    "conveyance_reason",
                    gettext_noop(
                        "The person was conveyed in a police vehicle: record why (for "
                        "example, no ambulance available within 30 minutes, or a risk of "
                        "violence). Use an ambulance wherever possible."
                    ),
                )
            )
        elif facts.conveyance_reason not in tuple(PoliceVehicleReason):
            reasons = ", ".join(r.value for r in PoliceVehicleReason)
            v.append(
                Violation(
                    "P3",
                    Code.CONVEYANCE_REASON_REQUIRED.value,
                    "conveyance_reason",
                    Text(
                        gettext_noop(
                            "Choose the reason a police vehicle was used from: %(reasons)s."
                        ),
                        reasons=reasons,
                    ),
                )
            )

    # s135(1) is keyed by the warrant.
    if facts.power == Power.S135_1 and facts.warrant_issued_at is None:
        v.append(
            Violation(
                "RS1",
                Code.REQUIRED.value,
                "warrant_issued_at",
                gettext_noop(
                    "Record when the section 135(1) warrant was issued (it is on the warrant)."
                ),
            )
        )

    # Kept: the place is required.
    if facts.mode == Mode.KEPT and facts.kept_place is None and facts.arrival is None:
        v.append(
            Violation(
                "C1",
                Code.REQUIRED.value,
                "place_of_safety",
                gettext_noop(
                    "The person was kept where they already were: record that place of safety."
                ),
            )
        )

    # C4: consultation <= (warrant <= premises entered <=) detained; nothing in the future.
    if facts.consultation is not None and (facts.consultation.consulted_at > facts.detained_at):
        v.append(
            time_order(
                "consultation",
                Text(
                    gettext_noop(
                        "The consultation (%(consulted)s) is recorded after the detention "
                        "(%(detained)s). The consultation comes before detaining: correct the "
                        "consultation time or the detention time."
                    ),
                    consulted=facts.consultation.consulted_at,
                    detained=facts.detained_at,
                ),
            )
        )
    warrant, entered = facts.warrant_issued_at, facts.premises_entered_at
    if warrant is not None and entered is not None and entered < warrant:
        v.append(
            time_order(
                "premises_entered_at",
                Text(
                    gettext_noop(
                        "The premises were entered (%(entered)s) before the warrant was "
                        "issued (%(warrant)s). Correct the times."
                    ),
                    entered=entered,
                    warrant=warrant,
                ),
            )
        )
    if entered is not None and entered > facts.detained_at:
        v.append(
            time_order(
                "premises_entered_at",
                Text(
                    gettext_noop(
                        "The premises were entered (%(entered)s) after the detention "
                        "(%(detained)s). Correct the times."
                    ),
                    entered=entered,
                    detained=facts.detained_at,
                ),
            )
        )
    if warrant is not None and entered is None and warrant > facts.detained_at:
        v.append(
            time_order(
                "warrant_issued_at",
                Text(
                    gettext_noop(
                        "The warrant was issued (%(warrant)s) after the detention "
                        "(%(detained)s). Correct the times."
                    ),
                    warrant=warrant,
                    detained=facts.detained_at,
                ),
            )
        )
    v += not_in_future(facts.detained_at, "detained_at", gettext_noop("The detention"), now, rules)
    if facts.consultation is not None:
        v += not_in_future(
            facts.consultation.consulted_at,
            "consultation",
            gettext_noop("The consultation"),
            now,
            rules,
        )
    v += not_in_future(
        warrant, "warrant_issued_at", gettext_noop("The warrant's issue"), now, rules
    )
    v += not_in_future(entered, "premises_entered_at", gettext_noop("The entry"), now, rules)
    return v


# ------------------------------------------------------------- police stations PS1-PS3
def validate_station_use(
    facts: DetentionFacts,
    rules: RuleSet,
    *,
    place_kind: str | None,
    instant: datetime,
    decision: PoliceStationDecision | None,
    place_attr: str,
    first_place: bool,
    now: datetime | None,
) -> list[Violation]:
    """RS4 and PS1-PS3 for removing to, keeping at or transferring to a police station."""
    if place_kind == PlaceKind.POLICE_STATION and not rules.police_station_allowed:
        return [
            Violation(
                "RS4",
                Code.POLICE_STATION_NOT_PLACE_OF_SAFETY.value,
                place_attr,
                gettext_noop(
                    "Under the Mental Health Act 2025 a police station is not a place of safety "
                    "for anyone, adult or child. Take the person to a place of safety that is not "
                    "a police station."
                ),
            )
        ]
    if not rules.police_station_rules or place_kind != PlaceKind.POLICE_STATION:
        return []

    # PS1: never a child, age taken at the instant of arrival.
    status = age_status(facts, instant, rules)
    if status == "child":
        return [
            Violation(
                "PS1",
                Code.CHILD_POLICE_STATION.value,
                place_attr,
                gettext_noop(
                    "A person under 18 must never be taken to, kept at or transferred to a "
                    "police station as a place of safety. Take them to a place of safety "
                    "that accepts under-18s."
                ),
            )
        ]
    if status == "unknown":
        return [
            Violation(
                "PS1",
                Code.CHILD_POLICE_STATION.value,
                place_attr,
                gettext_noop(
                    "The person's date of birth is not known and no age assessment is "
                    "recorded. Record an age assessment before using a police station: "
                    "anyone who appears to be under 18 must be taken to a place of safety "
                    "that accepts under-18s."
                ),
            )
        ]

    # PS2: the decision and its three conditions.
    attr = "police_station_decision"
    if decision is None:
        return [
            Violation(
                "PS2",
                Code.POLICE_STATION_CONDITIONS.value,
                attr,
                gettext_noop(
                    "A police station may be used as a place of safety only when the "
                    "decision-maker records that (a) the person's behaviour poses an "
                    "imminent risk of serious injury or death, (b) because of that risk no "
                    "other place of safety can reasonably be expected to detain them, and "
                    "(c) a healthcare professional will be present. Record that decision, "
                    "or take the person to another place of safety."
                ),
            )
        ]
    v: list[Violation] = []
    unmet = [
        label
        for flag, label in (
            (
                decision.imminent_risk,
                gettext_noop(
                    "(a) their behaviour poses an imminent risk of serious injury or death "
                    "to themselves or another"
                ),
            ),
            (
                decision.no_other_place,
                gettext_noop(
                    "(b) because of that risk no other place of safety in the area can "
                    "reasonably be expected to detain them"
                ),
            ),
            (
                decision.hcp_available,
                gettext_noop("(c) a healthcare professional will be present and available"),
            ),
        )
        if flag is not True
    ]
    if unmet:
        v.append(
            Violation(
                "PS2",
                Code.POLICE_STATION_CONDITIONS.value,
                attr,
                Text(
                    gettext_noop(
                        "A police station may be used only when all three conditions are met. "
                        "Not confirmed: %(unmet)s. Take the person to a place of safety that "
                        "is not a police station."
                    ),
                    unmet=unmet,
                ),
            )
        )
    rank = decision.decision_maker_rank
    if rank not in tuple(Rank):
        v.append(
            Violation(
                "PS2",
                Code.POLICE_STATION_CONDITIONS.value,
                attr,
                gettext_noop(
                    "Record the rank of the person who decided to use the police station "
                    "(or 'amhp' for an AMHP arranging a transfer)."
                ),
            )
        )
    elif rank != Rank.AMHP:  # every police officer holds the office of constable (reg 2(2))
        consulted = filled(decision.consulted_professional) or filled(
            decision.consultation_not_practicable_reason
        )
        if first_place and not consulted:
            consulted = facts.consultation is not None or filled(
                facts.consultation_not_practicable_reason
            )
        if not consulted:
            v.append(
                Violation(
                    "PS2",
                    Code.POLICE_STATION_CONDITIONS.value,
                    attr,
                    gettext_noop(
                        "A police officer (of any rank) deciding to use a police station must "
                        "first consult a doctor, nurse, AMHP, occupational therapist or "
                        "paramedic where reasonably practicable. Record who was consulted, or "
                        "why it was not practicable."
                    ),
                )
            )

    # PS3: below inspector (or an AMHP): an inspector or above authorises.
    if not rank_at_least(rank, Rank.INSPECTOR):
        code = Code.INSPECTOR_AUTHORISATION_REQUIRED.value
        if (
            not filled(decision.inspector_name)
            or decision.inspector_rank is None
            or decision.authorised_at is None
        ):
            v.append(
                Violation(
                    "PS3",
                    code,
                    attr,
                    gettext_noop(
                        "The decision to use a police station was made below the rank of "
                        "inspector (or by an AMHP), so an officer of inspector rank or above "
                        "must authorise it. Record their name, rank and the time they "
                        "authorised it."
                    ),
                )
            )
        elif not rank_at_least(decision.inspector_rank, Rank.INSPECTOR):
            v.append(
                Violation(
                    "PS3",
                    code,
                    attr,
                    gettext_noop(
                        "The officer authorising a police station must be of inspector rank "
                        "or above. Ask an inspector or above to authorise it."
                    ),
                )
            )
        if decision.authorised_at is not None:
            if decision.authorised_at < facts.detained_at:
                v.append(
                    time_order(
                        attr,
                        Text(
                            gettext_noop(
                                "The inspector's authorisation (%(authorised)s) is before the "
                                "detention (%(detained)s). Correct the time."
                            ),
                            authorised=decision.authorised_at,
                            detained=facts.detained_at,
                        ),
                    )
                )
            v += not_in_future(
                decision.authorised_at,
                attr,
                gettext_noop("The inspector's authorisation"),
                now,
                rules,
            )
    return v


# ------------------------------------------------------------------ arrival, transfers
def validate_first_place(
    facts: DetentionFacts, tl: Timeline, now: datetime | None
) -> list[Violation]:
    """C1/C4 for the arrival at the first place of safety, and PS1-PS3 there."""
    stay = tl.first_stay
    if stay is None:
        return []
    v: list[Violation] = []
    if facts.mode != Mode.KEPT and facts.arrival is not None:
        arrived_at = facts.arrival.arrived_at
        if arrived_at < facts.detained_at:
            v.append(
                time_order(
                    "arrived_at",
                    Text(
                        gettext_noop(
                            "The arrival (%(arrived)s) is before the detention (%(detained)s). "
                            "The person arrives at the place of safety after being detained: "
                            "correct the time."
                        ),
                        arrived=arrived_at,
                        detained=facts.detained_at,
                    ),
                )
            )
        v += not_in_future(arrived_at, "arrived_at", gettext_noop("The arrival"), now, tl.rules)
        v += during_absence(tl, arrived_at, "arrived_at", gettext_noop("Record the arrival"))
    v += validate_station_use(
        facts,
        tl.rules,
        place_kind=stay.place.kind if stay.place is not None else None,
        instant=stay.arrived_at,
        decision=stay.decision,
        place_attr="place_of_safety",
        first_place=True,
        now=now,
    )
    return v


def validate_transfer(
    facts: DetentionFacts,
    tl: Timeline,
    transfer: Transfer,
    bound: datetime | None,
    now: datetime | None,
) -> list[Violation]:
    """C3/C4 for one transfer, and PS1-PS3 at its destination."""
    v: list[Violation] = []
    if bound is not None and transfer.departed_at < bound:
        v.append(
            time_order(
                "departed_at",
                Text(
                    gettext_noop(
                        "The transfer departs (%(departed)s) before the person reached the "
                        "place they are leaving (%(bound)s). Correct the departure time."
                    ),
                    departed=transfer.departed_at,
                    bound=bound,
                ),
            )
        )
    v += not_in_future(
        transfer.departed_at, "departed_at", gettext_noop("The departure"), now, tl.rules
    )
    v += during_absence(
        tl, transfer.departed_at, "departed_at", gettext_noop("Record the transfer")
    )
    if transfer.arrived_at is not None:
        if transfer.arrived_at < transfer.departed_at:
            v.append(
                time_order(
                    "arrived_at",
                    Text(
                        gettext_noop(
                            "The transfer arrives (%(arrived)s) before it departed "
                            "(%(departed)s). Correct the times."
                        ),
                        arrived=transfer.arrived_at,
                        departed=transfer.departed_at,
                    ),
                )
            )
        v += not_in_future(
            transfer.arrived_at, "arrived_at", gettext_noop("The arrival"), now, tl.rules
        )
        v += during_absence(
            tl, transfer.arrived_at, "arrived_at", gettext_noop("Record the transfer's arrival")
        )
    v += validate_station_use(
        facts,
        tl.rules,
        place_kind=transfer.to_place.kind,
        instant=transfer.arrived_at or transfer.departed_at,
        decision=transfer.police_station_decision,
        place_attr="to_place_of_safety",
        first_place=False,
        now=now,
    )
    return v


def validate_transfers(
    facts: DetentionFacts, tl: Timeline, now: datetime | None
) -> list[Violation]:
    if not tl.transfers:
        return []
    if tl.first_stay is None:
        return [
            time_order(
                "departed_at",
                gettext_noop(
                    "A transfer is recorded before any arrival at a place of safety. Record "
                    "the arrival at the first place of safety first."
                ),
            )
        ]
    v: list[Violation] = []
    bound = tl.first_arrived_at
    previous: Transfer | None = None
    for transfer in tl.transfers:
        if previous is not None and previous.arrived_at is None:
            v.append(
                time_order(
                    "departed_at",
                    gettext_noop(
                        "A transfer departs while the previous transfer has not arrived. "
                        "Record the previous transfer's arrival first."
                    ),
                )
            )
        v += validate_transfer(facts, tl, transfer, bound, now)
        instants = [i for i in (bound, transfer.departed_at, transfer.arrived_at) if i]
        bound = max(instants)
        previous = transfer
    return v


# ------------------------------------------------------ events at a place of safety
def validate_place_event(
    tl: Timeline, instant: datetime, attr: str, what: str, now: datetime | None
) -> list[Violation]:
    """C4: an event that happens at a place of safety is at or after the arrival there
    and not in the future."""
    v: list[Violation] = []
    if tl.first_arrived_at is None:
        v.append(
            time_order(
                attr,
                Text(
                    gettext_noop(
                        "%(what)s cannot be recorded before the person has arrived at a place "
                        "of safety. Record the arrival first."
                    ),
                    what=what,
                ),
            )
        )
    elif instant < tl.first_arrived_at:
        v.append(
            time_order(
                attr,
                Text(
                    gettext_noop(
                        "%(what)s (%(at)s) is before the arrival at the place of safety "
                        "(%(arrived)s). Correct the time."
                    ),
                    what=what,
                    at=instant,
                    arrived=tl.first_arrived_at,
                ),
            )
        )
    v += not_in_future(instant, attr, what, now, tl.rules)
    return v


def validate_transfer_exception_reason(reason: str) -> list[Violation]:
    if filled(reason):
        return []
    return [
        Violation(
            "PS6",
            Code.REQUIRED.value,
            "reason",
            gettext_noop(
                "Record why the person stays at the police station: an assessment can "
                "begin sooner there and moving them would likely cause distress."
            ),
        )
    ]


# ---------------------------------------------------------------------- extension E1-E6
def validate_extension(
    facts: DetentionFacts, tl: Timeline, ext: Extension, now: datetime | None
) -> list[Violation]:
    """E1-E6 for ``ext`` (``extension_exists`` is checked by ``check_extension``).

    With ``now=None`` the future check is skipped: that is the lawfulness test used to
    decide whether a recorded extension extends the period.
    """
    rules = tl.rules
    if not rules.extension_allowed:
        return [
            Violation(
                "E6",
                Code.EXTENSION_NOT_PERMITTED.value,
                None,
                Text(
                    gettext_noop(
                        "No extension exists under the rules for this detention (%(rules)s). "
                        "Complete the assessment within the permitted period."
                    ),
                    rules=rules.id,
                ),
            )
        ]
    v: list[Violation] = []
    base = tl.base_expires_at
    clock = tl.clock_started_at
    if clock is None or base is None:
        v.append(
            time_order(
                "authorised_at",
                gettext_noop(
                    "An extension cannot be authorised before the person has arrived at a "
                    "place of safety. Record the arrival first."
                ),
            )
        )
    elif ext.authorised_at < clock:
        v.append(
            time_order(
                "authorised_at",
                Text(
                    gettext_noop(
                        "The extension (%(authorised)s) is before the period started "
                        "(%(clock)s). Correct the time."
                    ),
                    authorised=ext.authorised_at,
                    clock=clock,
                ),
            )
        )
    elif ext.authorised_at >= base:
        v.append(
            Violation(
                "E2",
                Code.EXTENSION_TOO_LATE.value,
                "authorised_at",
                Text(
                    gettext_noop(
                        "An extension must be authorised before the permitted period expires "
                        "(%(expires)s); this one is at %(authorised)s. The detention can no "
                        "longer be extended: end it now."
                    ),
                    expires=base,
                    authorised=ext.authorised_at,
                ),
            )
        )
    v += not_in_future(
        ext.authorised_at, "authorised_at", gettext_noop("The extension"), now, rules
    )

    # E3: hours and minutes; anything over the maximum is too long, whatever its form.
    length = ext.length
    if length is None or length <= timedelta(0):
        v.append(
            Violation(
                "E3",
                Code.INVALID.value,
                "hours",
                gettext_noop(
                    "An extension is a period of time (hours and minutes) of up to 12 hours."
                ),
            )
        )
    elif rules.max_extension is not None and length > rules.max_extension:
        max_hours = int(rules.max_extension.total_seconds() // 3600)
        v.append(
            Violation(
                "E3",
                Code.EXTENSION_TOO_LONG.value,
                "hours",
                Text(
                    gettext_noop(
                        "An extension adds at most %(hours)s hours in total. Authorise "
                        "%(hours)s hours or fewer."
                    ),
                    hours=max_hours,
                ),
            )
        )

    # E4
    if ext.ground not in rules.extension_grounds:
        if ext.ground in (
            ExtensionGround.BED_UNAVAILABLE,
            ExtensionGround.STAFF_UNAVAILABLE,
        ):
            message = gettext_noop(
                "The unavailability of a bed, an AMHP or a doctor is not a ground for an "
                "extension. An extension is only for when the person's condition (for "
                "example intoxication or physical treatment) makes it impracticable to "
                "complete the assessment in time; otherwise complete it within the "
                "period."
            )
        else:
            message = gettext_noop(
                "Choose the ground for the extension: intoxication, physical treatment "
                "or another condition of the person that makes it impracticable to "
                "complete the assessment in time."
            )
        v.append(Violation("E4", Code.EXTENSION_GROUND_INVALID.value, "ground", message))
    elif ext.ground == ExtensionGround.OTHER_CONDITION and not filled(ext.ground_detail):
        v.append(
            Violation(
                "E4",
                Code.EXTENSION_GROUND_INVALID.value,
                "ground_detail",
                gettext_noop(
                    "Describe the person's condition that makes it impracticable to "
                    "complete the assessment in time."
                ),
            )
        )

    # E1
    if not ext.doctor_responsible_for_examination:
        v.append(
            Violation(
                "E1",
                Code.EXTENSION_NOT_PERMITTED.value,
                "doctor_name",
                gettext_noop(
                    "Only the registered medical practitioner responsible for the "
                    "examination may authorise an extension. Ask that doctor to authorise "
                    "it."
                ),
            )
        )
    if not filled(ext.doctor_name):
        v.append(
            Violation(
                "E1",
                Code.EXTENSION_NOT_PERMITTED.value,
                "doctor_name",
                gettext_noop("Record the name of the doctor authorising the extension."),
            )
        )
    if not filled(ext.doctor_gmc_number):
        v.append(
            Violation(
                "E1",
                Code.EXTENSION_NOT_PERMITTED.value,
                "doctor_gmc_number",
                gettext_noop(
                    "Record the GMC registration number of the doctor authorising the extension."
                ),
            )
        )

    # E5
    if clock is not None and superintendent_needed(tl, ext):
        code = Code.SUPERINTENDENT_APPROVAL_REQUIRED.value
        if not filled(ext.superintendent_name) or ext.superintendent_approved_at is None:
            missing = "superintendent_name"
            if filled(ext.superintendent_name):
                missing = "superintendent_approved_at"
            v.append(
                Violation(
                    "E5",
                    code,
                    missing,
                    gettext_noop(
                        "The person is at a police station, so a superintendent or above "
                        "must approve the extension. Record their name and the time they "
                        "approved it."
                    ),
                )
            )
        rank = ext.superintendent_rank or Rank.SUPERINTENDENT
        if not rank_at_least(rank, Rank.SUPERINTENDENT):
            v.append(
                Violation(
                    "E5",
                    code,
                    "superintendent_rank",
                    gettext_noop(
                        "The officer approving an extension at a police station must be a "
                        "superintendent or above. Ask a superintendent or above to approve "
                        "it."
                    ),
                )
            )
        approved = ext.superintendent_approved_at
        if approved is not None and base is not None:
            if approved < clock:
                v.append(
                    time_order(
                        "superintendent_approved_at",
                        Text(
                            gettext_noop(
                                "The superintendent's approval (%(approved)s) is before the "
                                "period started (%(clock)s). Correct the time."
                            ),
                            approved=approved,
                            clock=clock,
                        ),
                    )
                )
            elif approved > ext.authorised_at:
                v.append(
                    Violation(
                        "E5",
                        code,
                        "superintendent_approved_at",
                        Text(
                            gettext_noop(
                                "The superintendent's approval (%(approved)s) is after the "
                                "doctor's authorisation (%(authorised)s). At a police station a "
                                "superintendent or above must approve before the doctor "
                                "authorises the extension."
                            ),
                            approved=approved,
                            authorised=ext.authorised_at,
                        ),
                    )
                )
            elif approved >= base:
                v.append(
                    Violation(
                        "E2",
                        Code.EXTENSION_TOO_LATE.value,
                        "superintendent_approved_at",
                        Text(
                            gettext_noop(
                                "The superintendent's approval (%(approved)s) came after the "
                                "permitted period expired (%(expires)s). The detention can no "
                                "longer be extended: end it now."
                            ),
                            approved=approved,
                            expires=base,
                        ),
                    )
                )
            v += not_in_future(
                approved,
                "superintendent_approved_at",
                gettext_noop("The superintendent's approval"),
                now,
                rules,
            )
    return v


def superintendent_needed(tl: Timeline, ext: Extension) -> bool:
    """E5 (s136B(3)): the person is detained at a police station when the doctor authorises
    and the assessment would be carried out or completed there: it is, unless the record
    shows it completed away from a police station."""
    if not tl.at_police_station_at(ext.authorised_at):
        return False
    assessment = tl.facts.assessment
    completed = assessment.completed_at if assessment is not None else None
    return completed is None or tl.at_police_station_at(completed)


def lawful_extension(tl: Timeline) -> Extension | None:
    """The recorded extension if it lawfully extends the period, else None (R1: an
    extension recorded as it happened while breaking E1-E6 adds no time)."""
    ext = tl.facts.extension
    if ext is None or validate_extension(tl.facts, tl, ext, None):
        return None
    return ext


def extended_until(tl: Timeline, *, authorised_before: datetime | None = None) -> datetime | None:
    """E3: the extension starts at the end of the permitted period. With
    ``authorised_before``, only an extension authorised before that instant counts."""
    ext = lawful_extension(tl)
    base = tl.base_expires_at
    if ext is None or base is None or ext.length is None:
        return None
    if authorised_before is not None and ext.authorised_at >= authorised_before:
        return None
    return base + ext.length


def expires_at(tl: Timeline) -> datetime | None:
    """C2: clock start + permitted period (+ a lawful extension)."""
    return extended_until(tl) or tl.base_expires_at


# ------------------------------------------------------------------------ escapes X1
def retake_by(tl: Timeline, escape: Escape) -> datetime:
    """X1: before the clock started, a window from the escape (24 hours; 72 under
    ``mha1983-original``); after, the end of the permitted period with any extension
    already authorised at the escape (one authorised while absent does not lengthen it),
    or, under ``mha1983-original``, 72 hours from the escape if that ends first (RS2)."""
    rules = tl.rules
    clock = tl.clock_started_at
    if clock is None or escape.escaped_at < clock:
        return escape.escaped_at + rules.retake_window_before_clock
    limit = extended_until(tl, authorised_before=escape.escaped_at) or tl.base_expires_at
    assert limit is not None
    if rules.retake_window_after_clock is not None:
        return min(limit, escape.escaped_at + rules.retake_window_after_clock)
    return limit


def validate_escape(
    tl: Timeline, escape: Escape, bound: datetime | None, now: datetime | None
) -> list[Violation]:
    facts = tl.facts
    v: list[Violation] = []
    if escape.escaped_at < facts.detained_at:
        v.append(
            time_order(
                "escaped_at",
                Text(
                    gettext_noop(
                        "The escape (%(escaped)s) is before the detention (%(detained)s). "
                        "Correct the time."
                    ),
                    escaped=escape.escaped_at,
                    detained=facts.detained_at,
                ),
            )
        )
    elif bound is not None and escape.escaped_at < bound:
        v.append(
            time_order(
                "escaped_at",
                Text(
                    gettext_noop(
                        "The escape (%(escaped)s) is before the return from the previous "
                        "escape (%(bound)s). Correct the time."
                    ),
                    escaped=escape.escaped_at,
                    bound=bound,
                ),
            )
        )
    v += not_in_future(escape.escaped_at, "escaped_at", gettext_noop("The escape"), now, tl.rules)
    if escape.returned_at is not None:
        v += validate_return(tl, escape, escape.returned_at, now)
    return v


def validate_return(
    tl: Timeline, escape: Escape, returned_at: datetime, now: datetime | None
) -> list[Violation]:
    v: list[Violation] = []
    if returned_at < escape.escaped_at:
        v.append(
            time_order(
                "returned_at",
                Text(
                    gettext_noop(
                        "The return (%(returned)s) is before the escape (%(escaped)s). "
                        "Correct the time."
                    ),
                    returned=returned_at,
                    escaped=escape.escaped_at,
                ),
            )
        )
    else:
        deadline = retake_by(tl, escape)
        if returned_at > deadline:
            v.append(
                Violation(
                    "X1",
                    Code.RETAKE_PERIOD_EXPIRED.value,
                    "returned_at",
                    Text(
                        gettext_noop(
                            "The person could be retaken under this detention only until "
                            "%(deadline)s. They cannot be retaken under it now: end the "
                            "detention (outcome 'absconded') and use other powers if needed."
                        ),
                        deadline=deadline,
                    ),
                )
            )
    v += not_in_future(returned_at, "returned_at", gettext_noop("The return"), now, tl.rules)
    return v


def validate_escapes(tl: Timeline, now: datetime | None) -> list[Violation]:
    v: list[Violation] = []
    bound: datetime | None = None
    previous: Escape | None = None
    for escape in tl.escapes:
        if previous is not None and previous.returned_at is None:
            v.append(
                time_order(
                    "escaped_at",
                    gettext_noop(
                        "An escape is recorded while the person was already absent. Record "
                        "the return from the earlier escape first."
                    ),
                )
            )
        v += validate_escape(tl, escape, bound, now)
        bound = escape.returned_at or escape.escaped_at
        previous = escape
    return v


# --------------------------------------------------------------------- assessment A1
_ASSESSMENT_LABELS = {
    "amhp_requested_at": gettext_noop("the AMHP request"),
    "amhp_arrived_at": gettext_noop("the AMHP's arrival"),
    "doctor_requested_at": gettext_noop("the doctor request"),
    "doctor_arrived_at": gettext_noop("the doctor's arrival"),
    "started_at": gettext_noop("the start of the assessment"),
    "completed_at": gettext_noop("the completion of the assessment"),
}
_ASSESSMENT_CHAINS = (
    ("amhp_requested_at", "amhp_arrived_at", "started_at", "completed_at"),
    ("doctor_requested_at", "doctor_arrived_at", "started_at", "completed_at"),
)


def _first_upper(label: str) -> str:
    """ "the AMHP request" -> "The AMHP request" (str.capitalize would lower the rest)."""
    return label[:1].upper() + label[1:]


def validate_assessment(
    tl: Timeline, assessment: Assessment, now: datetime | None
) -> list[Violation]:
    """C4 for the assessment: requested <= arrived <= started <= completed for each
    professional, none before the detention, none in the future. Missing steps are
    fine (A1)."""
    facts = tl.facts
    v: list[Violation] = []
    out_of_order: set[str] = set()
    for chain in _ASSESSMENT_CHAINS:
        present = [
            (name, getattr(assessment, name))
            for name in chain
            if getattr(assessment, name) is not None
        ]
        for (earlier, t1), (later, t2) in zip(present, present[1:], strict=False):
            if t2 < t1 and later not in out_of_order:
                out_of_order.add(later)
                v.append(
                    time_order(
                        later,
                        Text(
                            gettext_noop(
                                "%(later)s (%(t2)s) is before %(earlier)s (%(t1)s). Requested, "
                                "arrived, started and completed must be in that order: correct "
                                "the times."
                            ),
                            later=_first_upper(_ASSESSMENT_LABELS[later]),
                            t2=t2,
                            earlier=_ASSESSMENT_LABELS[earlier],
                            t1=t1,
                        ),
                    )
                )
    for name, label in _ASSESSMENT_LABELS.items():
        instant = getattr(assessment, name)
        if instant is None:
            continue
        if instant < facts.detained_at:
            v.append(
                time_order(
                    name,
                    Text(
                        gettext_noop(
                            "%(what)s (%(at)s) is before the detention (%(detained)s). Correct the time."
                        ),
                        what=_first_upper(label),
                        at=instant,
                        detained=facts.detained_at,
                    ),
                )
            )
        v += not_in_future(instant, name, _first_upper(label), now, tl.rules)
    return dedupe(v)


# --------------------------------------------------------------------------- the end
def recorded_events(facts: DetentionFacts) -> list[tuple[datetime, str]]:
    """Every recorded instant that a detention's end must not precede."""
    events: list[tuple[datetime, str]] = [(facts.detained_at, gettext_noop("the detention"))]
    if facts.premises_entered_at is not None:
        events.append((facts.premises_entered_at, gettext_noop("the entry to the premises")))
    if facts.mode != Mode.KEPT and facts.arrival is not None:
        events.append((facts.arrival.arrived_at, gettext_noop("the arrival")))
    for t in facts.transfers:
        events.append((t.departed_at, gettext_noop("a transfer's departure")))
        if t.arrived_at is not None:
            events.append((t.arrived_at, gettext_noop("a transfer's arrival")))
    events += [(c.checked_at, gettext_noop("a welfare check")) for c in facts.welfare_checks]
    events += [(r.reviewed_at, gettext_noop("a review")) for r in facts.reviews]
    if facts.extension is not None:
        events.append((facts.extension.authorised_at, gettext_noop("the extension")))
        if facts.extension.superintendent_approved_at is not None:
            events.append(
                (
                    facts.extension.superintendent_approved_at,
                    gettext_noop("the extension's approval"),
                )
            )
    for e in facts.escapes:
        events.append((e.escaped_at, gettext_noop("an escape")))
        if e.returned_at is not None:
            events.append((e.returned_at, gettext_noop("a return")))
    if facts.assessment is not None:
        for name, label in _ASSESSMENT_LABELS.items():
            instant = getattr(facts.assessment, name)
            if instant is not None:
                events.append((instant, label))
    if facts.handover is not None:
        events.append((facts.handover.handed_over_at, gettext_noop("the handover")))
    events += [
        (x.recorded_at, gettext_noop("a transfer exception")) for x in facts.transfer_exceptions
    ]
    return events


def validate_end(
    facts: DetentionFacts,
    tl: Timeline,
    ended_at: datetime,
    outcome: str | None,
    now: datetime | None,
) -> list[Violation]:
    """C7/C4: an outcome from the list, an end after everything recorded, not in the
    future. Ending after expiry is allowed (C6): it is flagged as a breach, not
    refused. A missing assessment never blocks the end (A1, A3)."""
    v: list[Violation] = []
    if not filled(outcome):
        v.append(
            Violation(
                "C7",
                Code.REQUIRED.value,
                "outcome",
                gettext_noop("Record the outcome of the detention."),
            )
        )
    elif outcome not in tuple(Outcome):
        outcomes = ", ".join(o.value for o in Outcome)
        v.append(
            Violation(
                "C7",
                Code.INVALID_CHOICE.value,
                "outcome",
                Text(gettext_noop("Choose the outcome from: %(outcomes)s."), outcomes=outcomes),
            )
        )
    latest, label = max(recorded_events(facts), key=lambda event: event[0])
    if ended_at < latest:
        v.append(
            time_order(
                "ended_at",
                Text(
                    gettext_noop(
                        "The end (%(ended)s) is before %(what)s (%(at)s). A detention ends "
                        "after everything recorded on it: correct the end time."
                    ),
                    ended=ended_at,
                    what=label,
                    at=latest,
                ),
            )
        )
    v += not_in_future(ended_at, "ended_at", gettext_noop("The end"), now, tl.rules)
    return v


# ----------------------------------------------------------------- the whole record
def validate_record(facts: DetentionFacts, tl: Timeline, now: datetime) -> list[Violation]:
    """Every refusal-kind rule over the whole record (C3's 'another active detention'
    and C7's 'already ended' are about adding, so they are not checked here)."""
    rules = tl.rules
    v = validate_detention(facts, rules, now)
    v += validate_first_place(facts, tl, now)
    v += validate_transfers(facts, tl, now)
    for check in facts.welfare_checks:
        v += validate_place_event(
            tl, check.checked_at, "checked_at", gettext_noop("A welfare check"), now
        )
    for review in facts.reviews:
        v += validate_place_event(
            tl, review.reviewed_at, "reviewed_at", gettext_noop("A review"), now
        )
    if facts.extension is not None:
        v += validate_extension(facts, tl, facts.extension, now)
    v += validate_escapes(tl, now)
    if facts.assessment is not None:
        v += validate_assessment(tl, facts.assessment, now)
    if facts.handover is not None:
        v += validate_place_event(
            tl, facts.handover.handed_over_at, "handed_over_at", gettext_noop("The handover"), now
        )
    for exception in facts.transfer_exceptions:
        v += validate_place_event(
            tl, exception.recorded_at, "recorded_at", gettext_noop("A transfer exception"), now
        )
        v += validate_transfer_exception_reason(exception.reason)
    if facts.ended_at is not None:
        v += validate_end(facts, tl, facts.ended_at, facts.outcome, now)
    return dedupe(v)
