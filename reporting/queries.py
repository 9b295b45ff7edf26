"""The query layer behind the dashboards and the s136 return.

One database-side aggregate per figure, always scoped to the caller's force (`Scope`), filtered
by date range (inclusive Europe/London dates), NPU and category. Nothing here loads rows into
Python to count them: every function returns a handful of already-aggregated rows.

Definitions (shared by the dashboards and the return):
- detention figures count s136 detentions (`power = "s136"`; `Scope.power = "s135_1"` for the
  s135(1) return) by `detained_at`; the category
  filter applies through the detention's incident;
- age group at detention: from the date of birth on the UK date of detention (PostgreSQL
  `age()`, which, like the rule engine, makes a 29 February birthday fall on 1 March in other
  years), else the age assessment, else `not_known`;
- breach (C8): ended after `expires_at`, or still running after it (`now`); ending exactly at
  expiry is not a breach;
- first place of safety: the kind of the place of the first arrival (`none` before arrival).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import (
    Aggregate,
    BooleanField,
    CharField,
    Count,
    DateTimeField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Max,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import (
    ExtractHour,
    ExtractIsoWeekDay,
    TruncDate,
    TruncMonth,
    TruncWeek,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.law_text import rule_title
from core.prepared import Param, Prepared, bind, sql_of
from detentions.choices import ConveyanceMode, ExtensionGround, Outcome, PoliceVehicleReason
from detentions.models import Detention, HandoverRequest, Transfer, UnlawfulAct, breach_q
from incidents.choices import IncidentCategory, RcrpAgency, RcrpThreshold
from incidents.models import Incident, OfficerDeployment
from law.titles import RULE_TITLES
from people import repeat_demand
from people.choices import Gender
from people.models import Person
from places_of_safety.models import PlaceKind
from use_of_force.models import RESTRAINT_TACTICS, ProtectiveSearch, Tactic, UseOfForce

from . import detention_months
from .models import (
    HOUR_COLUMNS,
    PASSED_COLUMNS,
    POPULATION_GROUPS,
    RCRP_COLUMNS,
    TRANSFER_COLUMNS,
    DetentionFigures,
    EthnicGroup,
    LocationNpuTotal,
    LocationTotal,
    PersonIncident,
    PersonTotal,
    PopulationFigure,
    hour_column,
    passed_column,
    rcrp_column,
)
from .summary import Split, rebuild_stale_detentions_if_many, summary_rows

LONDON = ZoneInfo("Europe/London")
NOT_RECORDED = "not_recorded"
NONE_KIND = "none"


# --------------------------------------------------------------------------- scope
@dataclass(frozen=True)
class Scope:
    """What a figure covers: one force, inclusive UK dates, optionally one NPU and category."""

    organisation_id: int
    date_from: dt.date
    date_to: dt.date
    npu_id: int | None = None
    category: str | None = None
    now: dt.datetime | None = None
    power: str = "s136"  # detention figures: `s136` or `s135_1` (the return for each power)

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.date_from, dt.time(), tzinfo=LONDON)

    @property
    def end(self) -> dt.datetime:
        """Exclusive: midnight (UK) after `date_to`."""
        return dt.datetime.combine(self.date_to + dt.timedelta(days=1), dt.time(), tzinfo=LONDON)

    @property
    def at(self) -> dt.datetime:
        return self.now or timezone.now()

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    @cached_property
    def summary_by_category(self) -> dict[str, dict[str, int]]:
        return _summary_by_category(self)

    def narrow(self, qs, npu="npu_id", category="category"):
        """`qs` filtered to the scope's NPU and category, if it has them (`npu`, `category`:
        the lookups that reach them from `qs`'s model)."""
        if self.npu_id:
            qs = qs.filter(**{npu: self.npu_id})
        if self.category:
            qs = qs.filter(**{category: self.category})
        return qs

    @cached_property
    def split(self) -> Split:
        """Which days of the range the incident figures read from the daily summary and which
        they count live (reporting/summary.py): one small query, once per scope."""
        return Split(
            self.organisation_id, self.date_from, self.date_to, use_months=self.days > MONTHLY
        )


# Ranges longer than this are drawn by month (volumes) and may read the monthly summary.
MONTHLY = 731


def uk_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=LONDON)


def incidents(scope: Scope):
    qs = Incident.objects.filter(
        organisation_id=scope.organisation_id,
        occurred_at__gte=scope.start,
        occurred_at__lt=scope.end,
    )
    return scope.narrow(qs).order_by()


def live_incidents(scope: Scope):
    """The incidents on the days of the scope counted live (None if there are none)."""
    q = scope.split.live_q("occurred_at", uk_midnight)
    return None if q is None else incidents(scope).filter(q)


def _add(*dicts) -> dict:
    out: dict = {}
    for d in dicts:
        for k, n in d.items():
            out[k] = out.get(k, 0) + n
    return out


def facts(scope: Scope):
    """The s136 detentions in scope as `DetentionFigures` rows (reporting/summary.py): every
    column a detention figure needs, already worked out, exact whether stored or live."""
    qs = DetentionFigures.objects.filter(
        organisation_id=scope.organisation_id,
        power=scope.power,
        detained_at__gte=scope.start,
        detained_at__lt=scope.end,
    )
    return scope.narrow(qs).order_by()


def of_detentions_in_scope(qs, scope: Scope):
    """`qs`, rows that belong to a detention, narrowed to the detentions in scope (the same
    detentions as `facts`) through a join from each row to its detention: the work follows how
    many such rows there are (transfers, uses of force), not how many detentions."""
    qs = qs.filter(
        detention__organisation_id=scope.organisation_id,
        detention__power=scope.power,
        detention__detained_at__gte=scope.start,
        detention__detained_at__lt=scope.end,
    )
    return scope.narrow(qs, npu="detention__npu_id", category="detention__incident__category")


def detentions(scope: Scope):
    qs = Detention.objects.filter(
        organisation_id=scope.organisation_id,
        power=scope.power,
        detained_at__gte=scope.start,
        detained_at__lt=scope.end,
    )
    return scope.narrow(qs, category="incident__category").order_by()


# --------------------------------------------------------------------------- prepared
# The statements of the figures that build the most (a hundred filtered counts in one row) are
# built once per shape and run again with the scope's values bound (core/prepared.py): building
# and compiling them cost as much CPU as running them.
STATEMENTS = Prepared()


def _shape(scope: Scope) -> tuple[bool, bool]:
    """What changes the text of a scope's statements: whether it has an NPU, a category."""
    return (bool(scope.npu_id), bool(scope.category))


def _values(scope: Scope, **more) -> dict:
    """The values a prepared statement of `scope` binds (`_param` names them)."""
    return {
        "org": scope.organisation_id,
        "power": scope.power,
        "npu": scope.npu_id,
        "category": scope.category,
        "start": scope.start,
        "stop": scope.end,
        "at": scope.at,
        **more,
    }


_PARAM_FIELDS = {
    "org": IntegerField(),
    "npu": IntegerField(),
    "power": CharField(),
    "category": CharField(),
    "start": DateTimeField(),
    "stop": DateTimeField(),
    "at": DateTimeField(),
    "target_minutes": FloatField(),
}


def _param(name: str) -> Param:
    return Param(name, _PARAM_FIELDS[name])


def _detentions_in_shape(qs, shape, prefix=""):
    """`qs` filtered to a scope's detentions (`prefix`: the lookup from `qs`'s model to the
    detention's fields), every value a `Param`."""
    npu, category = shape
    qs = qs.filter(
        **{
            f"{prefix}organisation_id": _param("org"),
            f"{prefix}power": _param("power"),
            f"{prefix}detained_at__gte": _param("start"),
            f"{prefix}detained_at__lt": _param("stop"),
        }
    )
    if npu:
        qs = qs.filter(**{f"{prefix}npu_id": _param("npu")})
    if category:
        lookup = "detention__incident__category" if prefix else "category"
        qs = qs.filter(**{lookup: _param("category")})
    return qs.order_by()


def _one_row(qs, aggregates: dict) -> tuple[str, tuple]:
    """The SQL of `qs.aggregate(**aggregates)`: one row, even over no rows (the constant is not
    grouped by), columns `_one` then the aggregates in order."""
    return sql_of(qs.annotate(_one=Value(1)).values("_one").annotate(**aggregates))


def _run_prepared(key, scope: Scope, build, **more) -> list[dict]:
    """Rows (as dicts) of the statement `build(shape)` made for `key` and the scope's shape."""
    shape = _shape(scope)
    sql, params = STATEMENTS.get((key, shape), lambda: build(shape))
    with connection.cursor() as cursor:
        cursor.execute(sql, bind(params, _values(scope, **more)))
        names = [c.name for c in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        row.pop("_one", None)
    return rows


# --------------------------------------------------------------------------- expressions
class Percentile(Aggregate):
    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


class AgeInYears(Func):
    """Whole years from a date of birth (second) to a date (first): PostgreSQL `age()`."""

    template = "date_part('year', age(%(expressions)s))"
    output_field = FloatField()


def _counts(qs, expression_or_field, keys, *, blank=NOT_RECORDED) -> dict[str, int]:
    """{key: n} for every key (zeros included), from one GROUP BY."""
    if isinstance(expression_or_field, str):
        qs = qs.annotate(_k=F(expression_or_field))
    else:
        qs = qs.annotate(_k=expression_or_field)
    out = dict.fromkeys(keys, 0)
    for row in qs.values("_k").annotate(n=Count("*")).order_by():
        key = row["_k"] if row["_k"] not in (None, "") else blank
        out[key] = out.get(key, 0) + row["n"]
    return out


# --------------------------------------------------------------------------- tables
@dataclass
class Table:
    """One dashboard figure: what the chart draws and the accessible table beside it."""

    key: str
    title: str
    columns: list
    rows: list = field(default_factory=list)
    chart: str | None = "bar"  # "bar", "line" or None (table only)
    note: str = ""

    @property
    def total(self):
        return sum(r[1] for r in self.rows if isinstance(r[1], int | float))


def _labelled(counts: dict, choices, extra: dict | None = None) -> list[list]:
    labels = dict(choices)
    for key, label in (extra or {}).items():
        labels.setdefault(key, label)
    return [[labels.get(k, k), n] for k, n in counts.items()]


EXTRA_LABELS = {NOT_RECORDED: _("Not recorded"), NONE_KIND: _("Not yet arrived")}


def volumes(scope: Scope) -> Table:
    days = scope.days
    if days <= 92:
        trunc, day_trunc, unit = TruncDate("occurred_at", tzinfo=LONDON), F("day"), _("Day")
    elif days <= MONTHLY:
        trunc, day_trunc = TruncWeek("occurred_at", tzinfo=LONDON), TruncWeek("day")
        unit = _("Week beginning")
    else:
        trunc, day_trunc, unit = (
            TruncMonth("occurred_at", tzinfo=LONDON),
            TruncMonth("day"),
            _("Month"),
        )
    counts: dict = {}
    for tier, rows in summary_rows(scope, scope.split):
        # Whole months are read from the monthly summary only for monthly volumes.
        period = F("month") if tier == "month" else day_trunc
        counts = _add(
            counts,
            {
                r["period"]: r["n"]
                for r in rows.annotate(period=period).values("period").annotate(n=Sum("incidents"))
            },
        )
    if (live := live_incidents(scope)) is not None:
        rows = live.annotate(period=trunc).values("period").annotate(n=Count("*"))
        counts = _add(counts, {_as_date(r["period"]): r["n"] for r in rows})
    # (A period whose summary rows and deltas sum to nothing has no incidents: not drawn.)
    out = [[period.isoformat(), n] for period, n in sorted(counts.items()) if n]
    return Table("volumes", _("Incidents over time"), [unit, _("Incidents")], out, chart="line")


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.astimezone(LONDON).date()
    return value


def _summary_by_category(scope: Scope) -> dict[str, dict[str, int]]:
    """{category: {column: total}} over the summarised days of the scope, every count column
    at once: one query per summary tier, shared by the category, RCRP and officer-hours
    figures of a dashboard (kept on the scope)."""
    columns = ["incidents", "deployments", "officer_minutes", *RCRP_COLUMNS, *PASSED_COLUMNS]
    totals: dict[str, dict[str, int]] = {}
    for _tier, rows in summary_rows(scope, scope.split):
        for r in rows.values("category").annotate(**{f"_{c}": Sum(c) for c in columns}):
            into = totals.setdefault(r["category"], dict.fromkeys(columns, 0))
            for c in columns:
                into[c] += r[f"_{c}"] or 0
    return totals


def _summary_sums(scope: Scope, columns: list[str]) -> dict:
    """{column: total} over the summarised days (every category)."""
    return {c: sum(t[c] for t in scope.summary_by_category.values()) for c in columns}


def _live_counts(scope: Scope, field_name: str, keys, base=None) -> dict:
    live = live_incidents(scope)
    if live is None:
        return {}
    if base is not None:
        live = live.filter(base)
    return _counts(live, field_name, keys, blank="")


def by_category(scope: Scope) -> Table:
    counts = _add(
        dict.fromkeys(IncidentCategory.values, 0),
        {k: t["incidents"] for k, t in scope.summary_by_category.items()},
        _live_counts(scope, "category", IncidentCategory.values),
    )
    return Table(
        "categories",
        _("Incidents by category"),
        [_("Category"), _("Incidents")],
        _labelled({k or NOT_RECORDED: n for k, n in counts.items()}, IncidentCategory.choices),
    )


DAYS = [
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
]


def heatmap(scope: Scope) -> Table:
    grid = [[0] * 24 for _d in range(7)]
    for tier, summary in summary_rows(scope, scope.split):
        dow = F("dow") if tier == "month" else ExtractIsoWeekDay("day")
        rows = (
            summary.annotate(_dow=dow)
            .values("_dow")
            .annotate(**{c: Sum(c) for c in HOUR_COLUMNS})
            .order_by()
        )
        for r in rows:
            for h in range(24):
                grid[r["_dow"] - 1][h] += r[hour_column(h)] or 0
    if (live := live_incidents(scope)) is not None:
        rows = (
            live.annotate(
                dow=ExtractIsoWeekDay("occurred_at", tzinfo=LONDON),
                hour=ExtractHour("occurred_at", tzinfo=LONDON),
            )
            .values("dow", "hour")
            .annotate(n=Count("*"))
            .order_by()
        )
        for r in rows:
            grid[r["dow"] - 1][r["hour"]] += r["n"]
    return Table(
        "heatmap",
        _("Incidents by day of week and hour of day (UK time)"),
        [_("Day")] + [f"{h:02d}" for h in range(24)],
        [[DAYS[d]] + grid[d] for d in range(7)],
        chart=None,
    )


def _blank_as_not_recorded(counts: dict) -> dict:
    out = {k: n for k, n in counts.items() if k != ""}
    if counts.get(""):
        out[NOT_RECORDED] = counts[""]
    return out


def rcrp(scope: Scope) -> Table:
    keys = [*RcrpThreshold.values, ""]
    summed = _summary_sums(scope, [rcrp_column(k) for k in keys])
    counts = _add(
        dict.fromkeys(RcrpThreshold.values, 0),
        {k: summed.get(rcrp_column(k), 0) for k in keys},
        _live_counts(scope, "rcrp_threshold", RcrpThreshold.values),
    )
    return Table(
        "rcrp",
        _("Right Care Right Person decisions"),
        [_("Decision"), _("Incidents")],
        _labelled(_blank_as_not_recorded(counts), RcrpThreshold.choices, EXTRA_LABELS),
    )


def rcrp_passed_to(scope: Scope) -> Table:
    keys = [*RcrpAgency.values, ""]
    summed = _summary_sums(scope, [passed_column(k) for k in keys])
    counts = _add(
        dict.fromkeys(RcrpAgency.values, 0),
        {k: summed.get(passed_column(k), 0) for k in keys},
        _live_counts(
            scope, "rcrp_passed_to", RcrpAgency.values, Q(rcrp_threshold=RcrpThreshold.NONE)
        ),
    )
    return Table(
        "rcrp_passed_to",
        _("Calls not attended: passed to"),
        [_("Agency"), _("Incidents")],
        _labelled(_blank_as_not_recorded(counts), RcrpAgency.choices, EXTRA_LABELS),
    )


def hourly_cost() -> float:
    return float(settings.HARBOUR.get("OFFICER_HOURLY_COST", 42.0))


def officer_hours(scope: Scope) -> Table:
    minutes: dict = {}
    deployments: dict = {}
    for category, t in scope.summary_by_category.items():
        minutes = _add(minutes, {category: t["officer_minutes"]})
        deployments = _add(deployments, {category: t["deployments"]})
    live_q = scope.split.live_q("incident__occurred_at", uk_midnight)
    if live_q is not None:
        qs = OfficerDeployment.objects.filter(
            live_q, incident__organisation_id=scope.organisation_id
        )
        qs = scope.narrow(qs, npu="incident__npu_id", category="incident__category")
        for r in (
            qs.values("incident__category")
            .annotate(minutes=Sum("minutes"), deployments=Count("*"))
            .order_by()
        ):
            minutes = _add(minutes, {r["incident__category"]: r["minutes"]})
            deployments = _add(deployments, {r["incident__category"]: r["deployments"]})
    cost = hourly_cost()
    labels = dict(IncidentCategory.choices)
    out = []
    for value in IncidentCategory.values:
        if not deployments.get(value):
            continue
        m = minutes.get(value) or 0
        out.append([labels[value], round(m / 60, 1), deployments[value], round(m / 60 * cost)])
    return Table(
        "officer_hours",
        _("Officer hours and cost by category"),
        [_("Category"), _("Officer hours"), _("Deployments"), _("Cost (£)")],
        out,
        note=_("Cost at £%(cost)s an officer hour.") % {"cost": f"{cost:,.2f}"},
    )


def handover_waits(scope: Scope) -> Table:
    """A4: the officers' time waiting for health staff at a health-based place or emergency
    department, from the handover requests (detentions/handover.py) of the detentions in scope:
    request -> accepted or declined ("waiting for an answer"), and request -> police released
    (on acceptance when they need not stay, when staff release them, at a decline, at the
    detention's end, or still waiting now): "officer time waiting", costed at the officer hourly
    cost as `officer_hours` is. One query; the rows are a few per detention."""
    now = scope.at
    rows = of_detentions_in_scope(HandoverRequest.objects.all(), scope).values_list(
        "state", "requested_at", "answered_at", "police_released_at", "detention__ended_at"
    )
    n = answered = declined = 0
    to_answer = to_release = 0.0
    for state, asked, answered_at, released, ended in rows:
        n += 1
        if answered_at is not None:
            answered += 1
        if state == HandoverRequest.State.DECLINED:
            declined += 1
            release_end = answered_at
        else:
            release_end = released or ended or now
        to_answer += max(0.0, ((answered_at or ended or now) - asked).total_seconds() / 60)
        to_release += max(0.0, (release_end - asked).total_seconds() / 60)
    cost = hourly_cost()
    return Table(
        "handover_waits",
        _("Officers waiting for health staff (handover requests)"),
        [_("Measure"), _("Value")],
        [
            [_("Handover requests"), n],
            [_("Answered"), answered],
            [_("Declined"), declined],
            [_("Officer hours waiting for an answer"), round(to_answer / 60, 1)],
            [_("Officer hours until police were released"), round(to_release / 60, 1)],
            [_("Cost of that time (£)"), round(to_release / 60 * cost)],
        ],
        chart=None,
        note=_(
            "From each request to the answer, and to when police were released (or declined, or "
            "the detention ended); cost at £%(cost)s an officer hour."
        )
        % {"cost": f"{cost:,.2f}"},
    )


def repeat_people(scope: Scope, limit=20) -> Table:
    """People with repeat contact (`repeat_demand.of_people`) in the scope (for
    multi-agency care planning, not enforcement). Counted from the people-on-incident links in
    scope (`PersonIncident`: index-only, no join), ranked with early stopping (`_top_people`),
    then the names of the `limit` people shown."""
    minimum = repeat_demand.of_people().min_incidents
    top = _top_people(scope, person_links(scope), minimum, limit)
    names = {
        p["pk"]: f"{p['given_name']} {p['family_name']}"
        for p in Person.objects.filter(pk__in=[r["person_id"] for r in top]).values(
            "pk", "given_name", "family_name"
        )
    }
    return Table(
        "repeat_people",
        _("People with repeated contact"),
        [_("Person"), _("Incidents"), _("Last incident (UK)")],
        [
            [
                names.get(r["person_id"], ""),
                r["n"],
                timezone.localtime(r["last"], LONDON).strftime("%d/%m/%Y %H:%M"),
            ]
            for r in top
        ],
        chart=None,
        note=_("%(n)s or more incidents in the period; the %(limit)s with most.")
        % {"n": minimum, "limit": limit},
    )


def person_links(scope: Scope):
    """The people-on-incident links of the incidents in scope."""
    links = PersonIncident.objects.filter(
        organisation_id=scope.organisation_id,
        occurred_at__gte=scope.start,
        occurred_at__lt=scope.end,
    )
    return scope.narrow(links).order_by()


def _ranked_people(links, minimum, limit) -> list[dict]:
    return list(
        links.values("person_id")
        .annotate(n=Count("*"), last=Max("occurred_at"))
        .filter(n__gte=minimum)
        .order_by("-n", "-last", "person_id")[:limit]
    )


# How many people or places the early-stopping rankings count exactly, round by round, before
# they fall back to counting everyone; and the shortest range worth trying (in a short range
# counts are far below all-time totals, the early stop rarely comes, and counting everyone is
# quick anyway).
CANDIDATE_ROUNDS = (200, 1600)
EARLY_STOP_DAYS = 180
# Places: a healthcare place's count in a year is far below its all-time total, so the early
# stop comes only over several years; tried only there, first with 40 places (the busiest hold
# most incidents: at ten million incidents, 40 then 200 took an NPU lead's ten-year page from
# about 215 ms to 170 ms against 200 at once; measured: bench/RESULTS.md).
LOCATION_ROUNDS = (40, 200)
LOCATION_EARLY_STOP_DAYS = 3 * 365


def _top_people(scope: Scope, links, minimum: int, limit: int) -> list[dict]:
    """The `limit` people with most links in scope (at least `minimum`), exactly as ranking
    every person would give, usually without ranking every person.

    A person's all-time total (`PersonTotal`) bounds their count in any range, NPU or category.
    Count the people with the highest totals exactly; once the best total of the people not yet
    counted is below the count of the last of the top `limit`, none of them can enter or tie
    it, and the ranking is final. Long ranges (where counts are near the totals) stop in the
    first round; short ones fall back to ranking every person in range, which is quick there."""
    if scope.days < EARLY_STOP_DAYS:
        return _ranked_people(links, minimum, limit)
    for k in CANDIDATE_ROUNDS:
        candidates = list(
            PersonTotal.objects.filter(
                organisation_id=scope.organisation_id, incidents__gte=minimum
            )
            .order_by("-incidents", "person_id")
            .values_list("person_id", "incidents")[: k + 1]
        )
        counted, rest = candidates[:k], candidates[k:]
        ranked = _ranked_people(
            links.filter(person_id__in=[p for p, _n in counted]), minimum, limit
        )
        if not rest:
            return ranked  # everyone who could qualify was counted
        if len(ranked) == limit and rest[0][1] < ranked[-1]["n"]:
            return ranked
    return _ranked_people(links, minimum, limit)


def repeat_locations(scope: Scope, limit=20) -> Table:
    """Locations with repeated calls (`repeat_demand.of_locations`) in the scope,
    healthcare settings first. One aggregate (index-only), then each place shown described as
    its latest incident in the scope recorded it."""
    minimum = repeat_demand.of_locations().min_incidents
    top = _top_locations(scope, minimum, limit)
    details = _latest_at_locations(scope, [t["location_key"] for t in top])
    out = []
    for t in top:
        r = details.get(t["location_key"], {})
        name = r.get("place") or r.get("setting") or r.get("description") or t["location_key"]
        if r.get("postcode"):
            name = f"{name}, {r['postcode']}"
        out.append([name, t["n"], _("Yes") if t["healthcare"] else _("No")])
    return Table(
        "repeat_locations",
        _("Locations with repeated calls"),
        [_("Location"), _("Incidents"), _("Healthcare setting")],
        out,
        chart=None,
        note=_("%(n)s or more incidents in the period; healthcare settings first.")
        % {"n": minimum},
    )


def _ranked_locations(qs, minimum, limit) -> list[dict]:
    return list(
        qs.exclude(location_key="")
        .values("location_key")
        .annotate(n=Count("*"), healthcare=Count("location_key", filter=Q(healthcare_setting=True)))
        .filter(n__gte=minimum)
        .order_by("-healthcare", "-n", "location_key")[:limit]
    )


def _top_locations(scope: Scope, minimum: int, limit: int) -> list[dict]:
    """The `limit` locations ranked as `_ranked_locations` ranks every location in scope, with
    the early stop of `_top_people`: a location's all-time totals (`LocationTotal`: incidents,
    and those in a healthcare setting) bound its counts in any scope, and the ranking is by
    (healthcare, incidents), so once the best pair not yet counted is below the last of the top
    `limit`, the ranking is final."""
    if scope.days < LOCATION_EARLY_STOP_DAYS:
        return _ranked_locations(incidents(scope), minimum, limit)
    # An NPU's own totals (`LocationNpuTotal`) for one NPU: the force's would rank mostly
    # other NPUs' locations first, and the early stop would seldom hold.
    if scope.npu_id:
        totals = LocationNpuTotal.objects.filter(npu_id=scope.npu_id)
    else:
        totals = LocationTotal.objects.all()
    for k in LOCATION_ROUNDS:
        candidates = list(
            totals.filter(organisation_id=scope.organisation_id, incidents__gte=minimum)
            .order_by("-healthcare", "-incidents", "location_key")
            .values_list("location_key", "healthcare", "incidents")[: k + 1]
        )
        counted, rest = candidates[:k], candidates[k:]
        keys = [key for key, _h, _n in counted]
        ranked = _ranked_locations(incidents(scope).filter(location_key__in=keys), minimum, limit)
        if not rest:
            return ranked
        last = ranked[-1] if len(ranked) == limit else None
        if last and (rest[0][1], rest[0][2]) < (last["healthcare"], last["n"]):
            return ranked
    return _ranked_locations(incidents(scope), minimum, limit)


def _latest_at_locations(scope: Scope, keys: list[str]) -> dict[str, dict]:
    """{location_key: place, setting, description, postcode} from the latest incident in scope at
    each location: one index probe per key (index `rep_inc_org_location_cover`), not every
    incident ever recorded there."""
    if not keys:
        return {}
    extra, params = "", {"org": scope.organisation_id, "keys": keys}
    params |= {"start": scope.start, "end": scope.end}
    if scope.npu_id:
        extra += " AND i.npu_id = %(npu)s"
        params["npu"] = scope.npu_id
    if scope.category:
        extra += " AND i.category = %(category)s"
        params["category"] = scope.category
    sql = f"""
        SELECT k.key, x.place, x.setting, x.description, x.postcode
        FROM unnest(%(keys)s::text[]) AS k(key)
        CROSS JOIN LATERAL (
            SELECT p.name AS place, i.healthcare_setting_name AS setting,
                   i.location_description AS description, i.location_postcode AS postcode
            FROM incidents_incident AS i
            LEFT JOIN places_of_safety_placeofsafety AS p ON p.id = i.healthcare_place_id
            WHERE i.organisation_id = %(org)s AND i.location_key = k.key
              AND i.occurred_at >= %(start)s AND i.occurred_at < %(end)s{extra}
            ORDER BY i.occurred_at DESC
            LIMIT 1
        ) AS x
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            key: {"place": place, "setting": setting, "description": desc, "postcode": postcode}
            for key, place, setting, desc, postcode in cursor.fetchall()
        }


# --- detentions ----------------------------------------------------------------------------
def first_place_counts(scope: Scope) -> dict[str, int]:
    return _counts(facts(scope), "first_place", [*PlaceKind.values, NONE_KIND], blank=NONE_KIND)


def first_place(scope: Scope, d=None) -> Table:
    counts = _from(d, "fp", [*PlaceKind.values, NONE_KIND]) if d else first_place_counts(scope)
    return Table(
        "first_place",
        _("s136 detentions by first place of safety"),
        [_("First place of safety"), _("Detentions")],
        _labelled(counts, PlaceKind.choices, EXTRA_LABELS),
    )


def _police_station(scope: Scope) -> dict[str, int]:
    at_station = Q(held_at_station=True)
    return (
        facts(scope)
        .annotate(_age=F("age_group"))
        .aggregate(
            at_station=Count("pk", filter=at_station),
            under_18_at_station=Count("pk", filter=at_station & Q(_age="under_18")),
        )
    )


def police_station(scope: Scope, d=None) -> Table:
    c = d or _police_station(scope)
    return Table(
        "police_station",
        _("Police station use"),
        [_("Held at a police station"), _("Detentions")],
        [
            [_("All ages"), c["at_station"]],
            [_("Under 18 (must be zero)"), c["under_18_at_station"]],
        ],
        chart=None,
    )


def conveyance_counts(scope: Scope) -> dict[str, int]:
    return _counts(facts(scope), "conveyance_mode", ConveyanceMode.values)


def conveyance(scope: Scope, d=None) -> Table:
    counts = _from(d, "conv", ConveyanceMode.values) if d else conveyance_counts(scope)
    return Table(
        "conveyance",
        _("Conveyance to the place of safety"),
        [_("Mode"), _("Detentions")],
        _labelled(counts, ConveyanceMode.choices, EXTRA_LABELS),
    )


def police_vehicle_reason_counts(scope: Scope) -> dict[str, int]:
    return _counts(
        facts(scope).filter(conveyance_mode=ConveyanceMode.POLICE_VEHICLE),
        "conveyance_reason",
        PoliceVehicleReason.values,
    )


def police_vehicle_reasons(scope: Scope, d=None) -> Table:
    counts = (
        _from(d, "pvr", PoliceVehicleReason.values) if d else police_vehicle_reason_counts(scope)
    )
    return Table(
        "police_vehicle_reasons",
        _("Why a police vehicle was used"),
        [_("Reason"), _("Detentions")],
        _labelled(counts, PoliceVehicleReason.choices, EXTRA_LABELS),
    )


def _duration_stats(qs, minutes_expr, filter_q) -> dict:
    return qs.aggregate(
        n=Count("pk", filter=filter_q),
        median=Percentile(minutes_expr, 0.5, filter=filter_q),
        p90=Percentile(minutes_expr, 0.9, filter=filter_q),
    )


def _minutes(value):
    return None if value is None else round(value)


def assessment_stats(scope: Scope) -> dict:
    target = settings.HARBOUR.get("ASSESSMENT_TARGET", dt.timedelta(hours=3))
    has = Q(assessment_minutes__isnull=False)
    stats = _duration_stats(facts(scope), F("assessment_minutes"), has)
    stats["missed"] = (
        facts(scope).filter(has, assessment_minutes__gt=target.total_seconds() / 60).count()
    )
    return stats


def time_to_assessment(scope: Scope, d=None) -> Table:
    s = _sub(d, "ass") if d else assessment_stats(scope)
    return Table(
        "time_to_assessment",
        _("Time from arrival to the start of the assessment"),
        [_("Measure"), _("Value")],
        [
            [_("Assessments started"), s["n"]],
            [_("Median (minutes)"), _minutes(s["median"])],
            [_("90th percentile (minutes)"), _minutes(s["p90"])],
            [_("Started after the target"), s["missed"]],
        ],
        chart=None,
    )


HAS_HANDOVER = Q(handover_minutes__isnull=False)


def time_to_handover(scope: Scope, d=None) -> Table:
    s = _sub(d, "ho") if d else _duration_stats(facts(scope), F("handover_minutes"), HAS_HANDOVER)
    return Table(
        "time_to_handover",
        _("Time from arrival to handover to health staff"),
        [_("Measure"), _("Value")],
        [
            [_("Handovers"), s["n"]],
            [_("Median (minutes)"), _minutes(s["median"])],
            [_("90th percentile (minutes)"), _minutes(s["p90"])],
        ],
        chart=None,
    )


LENGTH_BANDS = [
    ("under_6h", _("Under 6 hours"), 0, 6 * 60),
    ("6_12h", _("6 to 12 hours"), 6 * 60, 12 * 60),
    ("12_24h", _("12 to 24 hours"), 12 * 60, 24 * 60),
    ("over_24h", _("Over 24 hours (extended or breach)"), 24 * 60, None),
]


def _length_aggregates(prefix=""):
    ended = Q(ended_at__isnull=False)
    aggs = {
        f"{prefix}n": Count("pk", filter=ended),
        f"{prefix}median": Percentile(F("_len"), 0.5, filter=ended),
    }
    for key, _label, lo, hi in LENGTH_BANDS:
        q = ended & Q(_len__gte=lo)
        if hi is not None:
            q &= Q(_len__lt=hi)
        aggs[f"{prefix}{key}"] = Count("pk", filter=q)
    return aggs


def length_of_detention(scope: Scope, d=None) -> Table:
    if d:
        s = _sub(d, "len")
    else:
        qs = facts(scope).annotate(_len=F("length_minutes"))
        s = qs.aggregate(**_length_aggregates())
    return Table(
        "length",
        _("Length of detention (detention to end, ended detentions)"),
        [_("Length"), _("Detentions")],
        [[label, s[key]] for key, label, _lo, _hi in LENGTH_BANDS],
        note=_("Median %(m)s minutes over %(n)s ended detentions.")
        % {"m": _minutes(s["median"]) if s["median"] is not None else "–", "n": s["n"]},
    )


def extension_counts(scope: Scope) -> dict[str, int]:
    return _counts(
        facts(scope).filter(extension_ground__isnull=False),
        "extension_ground",
        ExtensionGround.values,
    )


def extensions(scope: Scope, d=None) -> Table:
    counts = _from(d, "ext", ExtensionGround.values) if d else extension_counts(scope)
    return Table(
        "extensions",
        _("Extensions by ground"),
        [_("Ground"), _("Extensions")],
        _labelled(counts, ExtensionGround.choices),
    )


def breach_count(scope: Scope) -> int:
    return facts(scope).filter(breach_q(scope.at)).count()


def breaches(scope: Scope, d=None) -> Table:
    s = d or facts(scope).aggregate(
        n=Count("pk"),
        breaches=Count("pk", filter=breach_q(scope.at)),
        running_breaches=Count("pk", filter=breach_q(scope.at) & Q(ended_at__isnull=True)),
    )
    return Table(
        "breaches",
        _("Breaches of the permitted period"),
        [_("Measure"), _("Detentions")],
        [
            [_("s136 detentions"), s["n"]],
            [_("Breaches (ended after expiry, or still running after it)"), s["breaches"]],
            [_("Of which still running"), s["running_breaches"]],
        ],
        chart=None,
    )


def outcomes(scope: Scope, d=None) -> Table:
    if d:
        counts = _from(d, "out", Outcome.values)
    else:
        counts = _counts(facts(scope).filter(ended_at__isnull=False), "outcome", Outcome.values)
    return Table(
        "outcomes",
        _("Outcomes of ended detentions"),
        [_("Outcome"), _("Detentions")],
        _labelled(counts, Outcome.choices, EXTRA_LABELS),
    )


def transfers(scope: Scope, d=None) -> Table:
    """Transfers of the detentions in scope by destination kind: from the one-pass row (each
    fact counts its transfers: `tr_<kind>`), or else counted from the transfers themselves."""
    if d:
        counts = _from(d, "tr", PlaceKind.values)
    else:
        rows = {
            r["to_place__kind"]: r["n"]
            for r in of_detentions_in_scope(Transfer.objects.all(), scope)
            .values("to_place__kind")
            .annotate(n=Count("pk"))
            .order_by()
        }
        counts = {k: rows.get(k, 0) for k in PlaceKind.values}
    return Table(
        "transfers",
        _("Transfers between places of safety, by destination"),
        [_("Transferred to"), _("Transfers")],
        _labelled(counts, PlaceKind.choices),
    )


def age_group_counts(scope: Scope) -> dict[str, int]:
    return _counts(facts(scope), F("age_group"), ["under_18", "18_and_over", "not_known"])


def gender_counts(scope: Scope) -> dict[str, int]:
    return _counts(facts(scope), "gender", Gender.values, blank=Gender.NOT_KNOWN)


def ethnicity_counts(scope: Scope) -> dict[str, int]:
    return _counts(facts(scope), F("ethnic_group"), EthnicGroup.values)


def ethnicity_rates(scope: Scope, d=None) -> Table:
    """Detentions per 1,000 population by ethnic group in the period, and the relative rate
    against the White group (rate / White rate)."""
    counts = _from(d, "eth", EthnicGroup.values) if d else ethnicity_counts(scope)
    population = {
        p.group: p for p in PopulationFigure.objects.filter(organisation_id=scope.organisation_id)
    }
    rates = {}
    for g in POPULATION_GROUPS:
        pop = population.get(g.value)
        rates[g.value] = 1000 * counts[g.value] / pop.population if pop else None
    white = rates.get(EthnicGroup.WHITE.value)
    rows = []
    for g in EthnicGroup:
        pop = population.get(g.value)
        rate = rates.get(g.value)
        relative = round(rate / white, 2) if rate is not None and white else None
        rows.append(
            [
                g.label,
                counts[g.value],
                pop.population if pop else None,
                round(rate, 3) if rate is not None else None,
                relative,
            ]
        )
    years = sorted({p.source_year for p in population.values()})
    return Table(
        "ethnicity",
        _("s136 detentions by ethnic group per 1,000 population"),
        [
            _("Ethnic group"),
            _("Detentions"),
            _("Population"),
            _("Rate per 1,000 (period)"),
            _("Relative rate (White = 1)"),
        ],
        rows,
        note=(
            _("Population figures from %(years)s.") % {"years": ", ".join(map(str, years))}
            if years
            else _("No population figures are set for this force (ask an administrator).")
        ),
    )


# --- force, search and restraint (use_of_force/) ---------------------------------------------
def force_figures(scope: Scope) -> dict:
    """Counts of the detentions in scope (each detention once per figure): with any force, per
    tactic, with a prone restraint, with a restraint at a health-based place of safety, with
    injuries to the person or an officer, searched under s136C and with something found; and
    uses of force still awaiting the mental health lead's review. Two queries, prepared."""
    (row,) = _run_prepared("uses_of_force", scope, _uses_of_force_sql)
    (searches,) = _run_prepared("searches", scope, _searches_sql)
    return {
        "force_used": row["force_used"],
        "by_force_tactic": {t: row[f"tactic__{t}"] for t in Tactic.values},
        "prone_restraint": row["prone_restraint"],
        "restraint_at_health_based_place": row["restraint_at_health_based_place"],
        "force_injuries": {"person": row["person"], "officer": row["officer"]},
        "protective_searches": searches["protective_searches"],
        "searches_items_found": searches["searches_items_found"],
        "awaiting_review": row["awaiting_review"],
    }


_DETENTIONS = Count("detention_id", distinct=True)


def _count_where(q):
    return Count("detention_id", distinct=True, filter=q)


def _uses_of_force_sql(shape):
    uses = _detentions_in_shape(UseOfForce.objects.all(), shape, prefix="detention__")
    at_suite = Q(tactic__in=RESTRAINT_TACTICS, place_of_safety__kind=PlaceKind.HEALTH_BASED)
    return _one_row(
        uses,
        {
            "force_used": _DETENTIONS,
            "prone_restraint": _count_where(Q(tactic=Tactic.PRONE_RESTRAINT)),
            "restraint_at_health_based_place": _count_where(at_suite),
            "person": _count_where(Q(person_injured=True)),
            "officer": _count_where(Q(officer_injured=True)),
            "awaiting_review": Count(
                "pk", filter=Q(review_required=True, reviewed_at__isnull=True)
            ),
            **{f"tactic__{t}": _count_where(Q(tactic=t)) for t in Tactic.values},
        },
    )


def _searches_sql(shape):
    searches = _detentions_in_shape(ProtectiveSearch.objects.all(), shape, prefix="detention__")
    return _one_row(
        searches,
        {
            "protective_searches": _DETENTIONS,
            "searches_items_found": _count_where(Q(items_found=True)),
        },
    )


def force(scope: Scope, d=None) -> Table:
    f = force_figures(scope)
    tactics = dict(Tactic.choices)
    return Table(
        "force",
        _("Force, search and restraint"),
        [_("Measure"), _("Detentions")],
        [
            [_("Detentions with any force used"), f["force_used"]],
            *([tactics[t], n] for t, n in f["by_force_tactic"].items()),
            [_("With a prone restraint"), f["prone_restraint"]],
            [
                _("With a restraint at a health-based place of safety"),
                f["restraint_at_health_based_place"],
            ],
            [_("The person injured"), f["force_injuries"]["person"]],
            [_("An officer injured"), f["force_injuries"]["officer"]],
            [_("Searched under s136C"), f["protective_searches"]],
            [_("Searched: something found"), f["searches_items_found"]],
            [_("Uses of force awaiting review"), f["awaiting_review"]],
        ],
        chart=None,
    )


# --- R1: unlawful acts recorded as they happened ---------------------------------------------
def unlawful_acts(scope: Scope, d=None) -> Table:
    """The unlawful acts recorded as they happened (s136-rules.md R1: one per rule an act
    broke) that happened in the range, by rule in plain words: counted by the detention's
    force, power, NPU and incident category and the act's own time. One aggregate query (the
    acts are few; `unlawful_happened` indexes the range), never a summary."""
    acts = UnlawfulAct.objects.filter(
        detention__organisation_id=scope.organisation_id,
        detention__power=scope.power,
        happened_at__gte=scope.start,
        happened_at__lt=scope.end,
    )
    acts = scope.narrow(acts, npu="detention__npu_id", category="detention__incident__category")
    counts = {r["rule"]: r["n"] for r in acts.values("rule").annotate(n=Count("*")).order_by()}
    order = list(RULE_TITLES)
    ranked = sorted(counts, key=lambda r: (order.index(r) if r in order else len(order), r))
    return Table(
        "unlawful_acts",
        _("Unlawful acts recorded as they happened"),
        [_("Rule broken"), _("Acts")],
        [[f"{rule}: {rule_title(rule)}", counts[rule]] for rule in ranked],
        chart=None,
        note=_(
            "Acts that broke a rule and were recorded as they happened, counted by when they "
            "happened (one for each rule an act broke)."
        ),
    )


FIGURES = {
    "volumes": volumes,
    "categories": by_category,
    "heatmap": heatmap,
    "rcrp": rcrp,
    "rcrp_passed_to": rcrp_passed_to,
    "officer_hours": officer_hours,
    "first_place": first_place,
    "police_station": police_station,
    "conveyance": conveyance,
    "police_vehicle_reasons": police_vehicle_reasons,
    "time_to_assessment": time_to_assessment,
    "time_to_handover": time_to_handover,
    "handover_waits": handover_waits,
    "length": length_of_detention,
    "extensions": extensions,
    "breaches": breaches,
    "outcomes": outcomes,
    "transfers": transfers,
    "force": force,
    "unlawful_acts": unlawful_acts,
    "ethnicity": ethnicity_rates,
    "repeat_people": repeat_people,
    "repeat_locations": repeat_locations,
}


# --------------------------------------------------------------------------- one pass
DETENTION_FIGURES = {
    "first_place": first_place,
    "police_station": police_station,
    "conveyance": conveyance,
    "police_vehicle_reasons": police_vehicle_reasons,
    "time_to_assessment": time_to_assessment,
    "time_to_handover": time_to_handover,
    "length": length_of_detention,
    "extensions": extensions,
    "breaches": breaches,
    "outcomes": outcomes,
    "transfers": transfers,
    "ethnicity": ethnicity_rates,
}


def _from(d, prefix, keys) -> dict[str, int]:
    """{key: n} from a one-pass row, a `not_recorded` entry only when there is one (as
    `_counts` does)."""
    out = {k: d[f"{prefix}__{k}"] for k in keys}
    blank = d.get(f"{prefix}__")
    if blank:
        out[NOT_RECORDED] = blank
    return out


def _sub(d, prefix) -> dict:
    return {k[len(prefix) + 2 :]: v for k, v in d.items() if k.startswith(f"{prefix}__")}


def detention_pass(scope: Scope) -> dict:
    """Every detention figure of the dashboard. Over whole months, from the monthly summary
    (`_from_months`); otherwise in two queries over the detentions in scope: one aggregate of
    counts and percentiles, one scan for every breakdown (`_breakdowns`)."""
    target = settings.HARBOUR.get("ASSESSMENT_TARGET", dt.timedelta(hours=3))
    rebuild_stale_detentions_if_many()
    if (months := detention_months.figures(scope)) is not None:
        return _from_months(months, target)
    (row,) = _run_prepared(
        "detention_pass", scope, _detention_pass_sql, target_minutes=target.total_seconds() / 60
    )
    return {**row, **_breakdowns(scope)}


def _detention_pass_sql(shape):
    """`detention_pass`'s aggregate row over the detentions in scope (a range without a whole
    month)."""
    qs = _detentions_in_shape(DetentionFigures.objects.all(), shape).annotate(
        _age=F("age_group"), _len=F("length_minutes")
    )
    station = Q(held_at_station=True)
    breach = breach_q(_param("at"))
    has_assessment = Q(assessment_minutes__isnull=False)
    assessment_minutes = F("assessment_minutes")
    aggs = {
        "n": Count("pk"),
        "breaches": Count("pk", filter=breach),
        "running_breaches": Count("pk", filter=breach & Q(ended_at__isnull=True)),
        "at_station": Count("pk", filter=station),
        "under_18_at_station": Count("pk", filter=station & Q(_age="under_18")),
        "ass__n": Count("pk", filter=has_assessment),
        "ass__median": Percentile(assessment_minutes, 0.5, filter=has_assessment),
        "ass__p90": Percentile(assessment_minutes, 0.9, filter=has_assessment),
        "ass__missed": Count(
            "pk",
            filter=has_assessment & Q(assessment_minutes__gt=_param("target_minutes")),
        ),
        "ho__n": Count("pk", filter=HAS_HANDOVER),
        "ho__median": Percentile(F("handover_minutes"), 0.5, filter=HAS_HANDOVER),
        "ho__p90": Percentile(F("handover_minutes"), 0.9, filter=HAS_HANDOVER),
        **_length_aggregates("len__"),
    }
    return _one_row(qs, aggs)


def _from_months(months: detention_months.Figures, target: dt.timedelta) -> dict:
    """`detention_pass`'s row from the monthly summary (reporting/detention_months.py): the
    same figures, percentiles included, without reading one row per detention."""
    c = months.counts()
    hist = months.histograms()
    ass, ho, length = hist["assessment"], hist["handover"], hist["length"]
    d = {
        "n": c["detentions"],
        "breaches": c["breaches"],
        "running_breaches": c["running_breaches"],
        "at_station": c["at_station"],
        "under_18_at_station": c["under_18_at_station"],
        "ass__n": sum(ass.values()),
        "ass__median": months.percentile("assessment", ass, 0.5),
        "ass__p90": months.percentile("assessment", ass, 0.9),
        "ass__missed": months.above("assessment", ass, target.total_seconds() / 60),
        "ho__n": sum(ho.values()),
        "ho__median": months.percentile("handover", ho, 0.5),
        "ho__p90": months.percentile("handover", ho, 0.9),
        "len__n": sum(length.values()),
        "len__median": months.percentile("length", length, 0.5),
    }
    for key, _label, lo, hi in LENGTH_BANDS:
        d[f"len__{key}"] = months.between("length", length, lo, hi)
    for column, n in c.items():
        prefix, sep, key = column.partition("_")
        if prefix in ("fp", "conv", "pvr", "ext", "out", "eth", "tr") and sep:
            d[f"{prefix}__{'' if key == 'blank' else key}"] = n
    return d


# The detention breakdowns of the dashboard: (prefix in the one-pass row, grouping set, keys).
BREAKDOWNS = [
    ("fp", ("first_place",), [*PlaceKind.values, None]),
    ("conv", ("conveyance_mode", "conveyance_reason"), None),
    ("ext", ("extension_ground",), ExtensionGround.values),
    ("out", ("ended", "outcome"), None),
    ("eth", ("ethnic_group",), EthnicGroup.values),
]


def _breakdowns(scope: Scope) -> dict[str, int]:
    """Every breakdown count of the detentions in scope from one scan: one GROUPING SETS query
    (a filtered count per key would evaluate some sixty filters on every row). Keys as the
    one-pass row has them: `fp__<kind>` (`fp__none` before arrival), `conv__<mode>`,
    `pvr__<reason>` (police vehicle only), `ext__<ground>`, `out__<outcome>` (ended only),
    `eth__<group>`, `tr__<kind>` (transfers, summed); `""` is not recorded."""
    shape = _shape(scope)
    sql, params = STATEMENTS.get(("breakdowns", shape), lambda: _breakdowns_sql(shape))
    params = bind(params, _values(scope))
    out = {f"fp__{k}": 0 for k in PlaceKind.values} | {f"fp__{NONE_KIND}": 0}
    out |= {f"conv__{k}": 0 for k in [*ConveyanceMode.values, ""]}
    out |= {f"pvr__{k}": 0 for k in [*PoliceVehicleReason.values, ""]}
    out |= {f"ext__{k}": 0 for k in ExtensionGround.values}
    out |= {f"out__{k}": 0 for k in [*Outcome.values, ""]}
    out |= {f"eth__{k}": 0 for k in EthnicGroup.values}
    out |= {f"tr__{k}": 0 for k in PlaceKind.values}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for row in rows:
        in_fp, in_conv, in_ext, in_out, in_eth = row[:5]
        place, mode, reason, ground, ended, outcome, ethnic, n = row[5:13]
        if in_eth:
            for k, moved in zip(PlaceKind.values, row[13:], strict=True):
                out[f"tr__{k}"] += moved or 0
        if in_fp:
            key = f"fp__{place or NONE_KIND}"
        elif in_conv:
            out[f"conv__{mode}"] = out.get(f"conv__{mode}", 0) + n
            if mode == ConveyanceMode.POLICE_VEHICLE:
                out[f"pvr__{reason}"] = out.get(f"pvr__{reason}", 0) + n
            continue
        elif in_ext:
            if ground is None:
                continue
            key = f"ext__{ground}"
        elif in_out:
            if not ended:
                continue
            key = f"out__{outcome}"
        else:
            key = f"eth__{ethnic}"
        out[key] = out.get(key, 0) + n
    return out


def _breakdowns_sql(shape):
    inner, params = sql_of(
        _detentions_in_shape(DetentionFigures.objects.all(), shape)
        .annotate(ended=ExpressionWrapper(Q(ended_at__isnull=False), output_field=BooleanField()))
        .values(
            "first_place",
            "conveyance_mode",
            "conveyance_reason",
            "extension_ground",
            "ended",
            "outcome",
            "ethnic_group",
            *TRANSFER_COLUMNS,
        )
    )
    sets = ", ".join(f"({', '.join(columns)})" for _p, columns, _k in BREAKDOWNS)
    flags = ", ".join(f"GROUPING({columns[0]}) = 0" for _p, columns, _k in BREAKDOWNS)
    # Each grouping set covers every fact once: the transfers are summed in the last (ethnic
    # group) set's rows.
    sums = ", ".join(f"sum({c})" for c in TRANSFER_COLUMNS)
    sql = (
        f"SELECT {flags}, first_place, conveyance_mode, conveyance_reason, extension_ground, "  # noqa: S608
        f"ended, outcome, ethnic_group, count(*), {sums} FROM ({inner}) AS f "
        f"GROUP BY GROUPING SETS ({sets})"
    )
    return sql, params


def dashboard(scope: Scope, *, exclude=()) -> dict[str, Table]:
    """Every dashboard table: incident figures one query each, detention figures from one pass."""
    d = detention_pass(scope)
    return {
        key: (fn(scope, d) if key in DETENTION_FIGURES else fn(scope))
        for key, fn in FIGURES.items()
        if key not in exclude
    }


# --------------------------------------------------------------------------- s136 return
def s136_return(scope: Scope) -> dict:
    """The annual s136 return (api-contract.md `reports/s136-return/`), keys exactly as fixed.

    One pass over the detentions in scope: each row's age group, ethnic group, first place,
    police-station use and breach are computed in SQL and every figure is a filtered count of
    the same rows (the figures agree with the dashboard's, which count them one per query).
    The statement is prepared (built once per shape)."""
    (row,) = _run_prepared("s136_return", scope, _s136_return_sql)
    median = row["median"]
    out = {
        "from": scope.date_from.isoformat(),
        "to": scope.date_to.isoformat(),
        "total": row["total"],
    }
    for name, parts in RETURN_GROUPS.items():
        out[name] = {(k or NOT_RECORDED): row[f"{name}__{k}"] for k, _q in parts}
    out.update(
        {
            "under_18_at_police_station": row["under_18_at_police_station"],
            "extensions": row["extensions"],
            "breaches": row["breaches"],
            "median_minutes_to_assessment": None if median is None else round(median, 1),
            "unlawful_acts": row["unlawful_acts"],
        }
    )
    out["power"] = scope.power
    force_counts = force_figures(scope)
    del force_counts["awaiting_review"]  # a work queue, not a figure of the period
    out.update(force_counts)
    return out


# The return's breakdowns: (figure, [(key, what the key counts)]).
RETURN_GROUPS = {
    "by_first_place_of_safety": [
        *((k, Q(_place=k)) for k in PlaceKind.values),
        (NONE_KIND, Q(_place__isnull=True)),
    ],
    "by_age_group": [(k, Q(_age=k)) for k in ("under_18", "18_and_over", "not_known")],
    "by_gender": [(k, Q(gender=k)) for k in Gender.values],
    "by_ethnicity_group": [(k, Q(_eth=k)) for k in EthnicGroup.values],
    "by_conveyance": [
        *((k, Q(conveyance_mode=k)) for k in ConveyanceMode.values),
        (NOT_RECORDED, Q(conveyance_mode="")),
    ],
    "by_police_vehicle_reason": [
        (k, Q(conveyance_mode=ConveyanceMode.POLICE_VEHICLE, conveyance_reason=k))
        for k in [*PoliceVehicleReason.values, ""]
    ],
}


def _s136_return_sql(shape):
    qs = _detentions_in_shape(DetentionFigures.objects.all(), shape).annotate(
        _age=F("age_group"),
        _eth=F("ethnic_group"),
        _place=F("first_place"),
    )
    station = Q(held_at_station=True)
    aggs = {
        "total": Count("pk"),
        "extensions": Count("pk", filter=Q(extension_ground__isnull=False)),
        "breaches": Count("pk", filter=breach_q(_param("at"))),
        "under_18_at_police_station": Count("pk", filter=station & Q(_age="under_18")),
        # R1: detentions with an act recorded as it happened that broke a rule.
        "unlawful_acts": Count("pk", filter=Q(pk__in=_with_unlawful_acts())),
        "median": Percentile(
            F("assessment_minutes"),
            0.5,
            filter=Q(assessment_minutes__isnull=False),
        ),
    }
    for name, parts in RETURN_GROUPS.items():
        for k, q in parts:
            aggs[f"{name}__{k}"] = Count("pk", filter=q)
    return _one_row(qs, aggs)


def return_filename(scope: Scope) -> str:
    return f"{scope.power}-return-{scope.date_from}-{scope.date_to}.csv"


def _with_unlawful_acts():
    return UnlawfulAct.objects.values("detention_id")


def s136_return_rows(data: dict) -> list[list]:
    """The return as CSV rows: `figure, category, value` (figure = the contract's key)."""
    rows = [["figure", "category", "value"]]
    for key, value in data.items():
        if isinstance(value, dict):
            rows.extend([key, k, v] for k, v in value.items())
        else:
            rows.append([key, "", "" if value is None else value])
    return rows
