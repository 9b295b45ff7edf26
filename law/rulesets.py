"""Versioned, effective-dated rule sets (RS1-RS3).

A detention is judged by the rule set in force when the power was first exercised
(s136: ``detained_at``; s135(1): ``warrant_issued_at``), never by today's. The rule sets
are data: adding a jurisdiction or a new Act is adding a ``RuleSet`` to ``RULE_SETS``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo

from .constants import ExtensionGround, LocationKind, Power
from .facts import to_utc

LONDON = ZoneInfo("Europe/London")

#: RS1: the Policing and Crime Act 2017 amendments commenced on 11 December 2017
#: (00:00 Europe/London, which is 00:00 UTC in December).
PCA2017_COMMENCEMENT = datetime(2017, 12, 11, tzinfo=LONDON).astimezone(UTC)

#: Period start kinds.
ARRIVAL = "arrival"  # the clock starts at the arrival at the first place of safety
REMOVAL = "removal"  # the clock starts at the removal (detention) itself

ENGLAND_AND_WALES = "england_and_wales"


@dataclass(frozen=True)
class RuleSet:
    id: str
    title: str
    jurisdiction: str
    #: Powers this rule set governs.
    powers: frozenset[str]
    #: First instant (UTC) the rule set applies to, inclusive; None: since forever.
    effective_from: datetime | None
    #: First instant it no longer applies to, exclusive; None: still in force.
    effective_until: datetime | None
    permitted_period: timedelta
    period_starts: str
    extension_allowed: bool
    #: Longest extension (E3); None when no extension exists.
    max_extension: timedelta | None
    #: Grounds on which an extension may be authorised (E4).
    extension_grounds: frozenset[str]
    #: P2: a consultation (or the reason it was not practicable) is required ...
    consultation_required: bool
    #: ... for these powers.
    consultation_powers: frozenset[str]
    #: P1: locations where these powers may not be used ...
    dwelling_kinds_refused: frozenset[str]
    #: ... for these powers (s135 warrants exist for dwellings).
    public_place_powers: frozenset[str]
    #: PS1-PS6 apply (s136A and SI 2017/1036).
    police_station_rules: bool
    police_station_min_age: int = 18
    welfare_check_interval: timedelta = timedelta(minutes=30)
    first_review_after: timedelta = timedelta(hours=1)
    review_interval: timedelta = timedelta(hours=1)
    asleep_review_interval: timedelta = timedelta(hours=3)
    #: X1: retaking window after an escape before the clock started.
    retake_window_before_clock: timedelta = timedelta(hours=24)
    #: X1/RS2: after the clock started, a window from the escape as well as the end of the
    #: period (whichever ends first); None: only the end of the period.
    retake_window_after_clock: timedelta | None = None
    #: RS4: a police station is not a place of safety for anyone.
    police_station_allowed: bool = True
    #: C4: how far in the future an instant may be (clock skew between devices).
    future_skew: timedelta = timedelta(minutes=5)
    #: Whether the product uses this rule set (False: recorded for later, RS3).
    in_product: bool = True

    def applies_to(self, power: str, instant: datetime) -> bool:
        if power not in self.powers:
            return False
        if self.effective_from is not None and instant < self.effective_from:
            return False
        return self.effective_until is None or instant < self.effective_until


_DWELLINGS = frozenset({LocationKind.PRIVATE_DWELLING, LocationKind.DWELLING_GARDEN_OR_OUTBUILDING})
_CONDITION_GROUNDS = frozenset(
    {
        ExtensionGround.INTOXICATION,
        ExtensionGround.PHYSICAL_TREATMENT,
        ExtensionGround.OTHER_CONDITION,
    }
)
_EW_POWERS = frozenset({Power.S136, Power.S135_1})

MHA1983_ORIGINAL = RuleSet(
    id="mha1983-original",
    title="Mental Health Act 1983 ss135-136 before the Policing and Crime Act 2017",
    jurisdiction=ENGLAND_AND_WALES,
    powers=_EW_POWERS,
    effective_from=None,
    effective_until=PCA2017_COMMENCEMENT,
    permitted_period=timedelta(hours=72),
    period_starts=ARRIVAL,
    extension_allowed=False,
    max_extension=None,
    extension_grounds=frozenset(),
    consultation_required=False,
    consultation_powers=frozenset(),
    dwelling_kinds_refused=_DWELLINGS,
    public_place_powers=frozenset({Power.S136}),
    police_station_rules=False,
    # RS2 (old s138(3)): within 72 hours of the escape, or until the end of the 72-hour
    # period if that ends first.
    retake_window_before_clock=timedelta(hours=72),
    retake_window_after_clock=timedelta(hours=72),
)

PCA2017 = RuleSet(
    id="pca2017",
    title="Mental Health Act 1983 ss135-136B as amended by the Policing and Crime Act "
    "2017, with SI 2017/1036",
    jurisdiction=ENGLAND_AND_WALES,
    powers=_EW_POWERS,
    effective_from=PCA2017_COMMENCEMENT,
    effective_until=None,
    permitted_period=timedelta(hours=24),
    period_starts=ARRIVAL,
    extension_allowed=True,
    max_extension=timedelta(hours=12),
    extension_grounds=_CONDITION_GROUNDS,
    consultation_required=True,
    consultation_powers=frozenset({Power.S136}),
    dwelling_kinds_refused=_DWELLINGS,
    public_place_powers=frozenset({Power.S136}),
    police_station_rules=True,
)

#: RS4: the Mental Health Act 2025, commenced by regulations on a date not yet known: its
#: commencement instant is a deployment setting passed in by the caller (``rule_set_for``'s
#: ``mha2025_from``); unset, this rule set is never chosen. The same rules as ``pca2017``
#: except that police stations are not places of safety for anyone.
MHA2025 = replace(
    PCA2017,
    id="mha2025",
    title="Mental Health Act 1983 ss135-136B as amended by the Mental Health Act 2025",
    effective_from=None,
    effective_until=None,
    police_station_allowed=False,
)

# RS3: other jurisdictions, recorded as data for later; not used by the product.
SCOTLAND_S297 = RuleSet(
    id="scotland-s297",
    title="Mental Health (Care and Treatment) (Scotland) Act 2003 s297",
    jurisdiction="scotland",
    powers=frozenset({"s297"}),
    effective_from=None,
    effective_until=None,
    permitted_period=timedelta(hours=24),
    period_starts=REMOVAL,
    extension_allowed=False,
    max_extension=None,
    extension_grounds=frozenset(),
    consultation_required=False,
    consultation_powers=frozenset(),
    dwelling_kinds_refused=_DWELLINGS,
    public_place_powers=frozenset({"s297"}),
    police_station_rules=False,
    in_product=False,
)

NORTHERN_IRELAND_A130 = RuleSet(
    id="ni-article130",
    title="Mental Health (Northern Ireland) Order 1986 Article 130",
    jurisdiction="northern_ireland",
    powers=frozenset({"article130"}),
    effective_from=None,
    effective_until=None,
    permitted_period=timedelta(hours=48),
    period_starts=ARRIVAL,  # to be confirmed before this rule set is used
    extension_allowed=False,
    max_extension=None,
    extension_grounds=frozenset(),
    consultation_required=False,
    consultation_powers=frozenset(),
    dwelling_kinds_refused=_DWELLINGS,
    public_place_powers=frozenset({"article130"}),
    police_station_rules=False,
    in_product=False,
)

RULE_SETS: MappingProxyType[str, RuleSet] = MappingProxyType(
    {rs.id: rs for rs in (MHA1983_ORIGINAL, PCA2017, MHA2025, SCOTLAND_S297, NORTHERN_IRELAND_A130)}
)


def first_use_instant(
    power: str, detained_at: datetime, warrant_issued_at: datetime | None = None
) -> datetime:
    """The instant that selects the rule set: the warrant's issue for s135(1) (falling
    back to ``detained_at`` when it is not known), the detention for everything else."""
    if power == Power.S135_1 and warrant_issued_at is not None:
        return to_utc(warrant_issued_at, "warrant_issued_at")
    return to_utc(detained_at, "detained_at")


def rule_set_for(
    power: str,
    detained_at: datetime,
    warrant_issued_at: datetime | None = None,
    *,
    jurisdiction: str | None = None,
    mha2025_from: datetime | None = None,
) -> RuleSet:
    """RS1/RS4: the rule set in force when the power was first exercised.

    ``mha2025_from`` is the Mental Health Act 2025's commencement instant (a deployment
    setting; None: not commenced, so ``mha2025`` is never chosen).
    Raises ``LookupError`` when no rule set governs ``power`` at that instant.
    """
    instant = first_use_instant(power, detained_at, warrant_issued_at)
    if (
        mha2025_from is not None
        and jurisdiction in (None, ENGLAND_AND_WALES)
        and power in MHA2025.powers
        and instant >= to_utc(mha2025_from, "mha2025_from")
    ):
        return MHA2025
    for rule_set in RULE_SETS.values():
        if rule_set is MHA2025:
            continue
        if jurisdiction is not None and rule_set.jurisdiction != jurisdiction:
            continue
        if rule_set.applies_to(power, instant):
            return rule_set
    raise LookupError(f"no rule set governs power {power!r} at {instant.isoformat()}")
