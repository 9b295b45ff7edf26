"""Detention figures from monthly summaries: as fast over ten years as over one.

`DetentionMonth` counts the stored `DetentionFact`s of ended detentions per force, UK month of
detention, power, NPU and incident category (one column per figure: `column_filters`), and
`DetentionMinutes` holds a histogram of their durations (`BUCKET_MINUTES` wide buckets).
`summary.refresh` takes a rewritten fact's old counts out of its month and puts its new counts
in, in the transaction that rewrites the fact (`take_out`, `put_in`), so a month's summary always
equals the stored facts it sums.

The figures of a scope with whole months in it are then, exactly:

    summary of the whole months                                  (S: a few rows a month)
    - the stored facts there of stale detentions, as summarised  (A: stale ones only)
    + the current facts of stale or running detentions there,
      and of every detention in the part months at either end   (L: `DetentionFigures`)

S counts the stored facts of ended detentions; A takes back those of them whose detention is
stale (the summary counted their old facts); L adds what the figures must count that S does not
hold: stale detentions as they are now, detentions still running (whose breach depends on the
time of asking), and the days before the first and after the last whole month. The counts of
all three come from one statement (one snapshot). The cost is a few rows per month plus the
stale, running and part-month detentions: it does not grow with the years of data, and any
number of stale detentions costs only their own rows (no cliff).

Medians and percentiles stay exact (the same value as PostgreSQL's `percentile_cont` over every
detention): the histograms of S - A + L give how many values lie in each bucket, so the bucket
holding the wanted rank is known; the value itself is then read from the facts in that one
bucket (index `detfact_<measure>_bucket`), a few hundred rows rather than every detention.
Length bands and the assessment target are counted from the buckets the same way (the band
edges are whole multiples of the bucket width; the target's own bucket is counted exactly).
"""

from __future__ import annotations

import datetime as dt
import math
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import (
    CharField,
    Count,
    DateField,
    DateTimeField,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    Sum,
    Value,
)
from django.db.models.expressions import RawSQL

from core.prepared import InArray, Param, Prepared, Slot, bind, sql_of
from detentions.choices import ConveyanceMode, ExtensionGround, Outcome, PoliceVehicleReason
from detentions.models import ENDED_IN_BREACH, breach_q
from places_of_safety.models import PlaceKind

from .models import (
    DETENTION_COUNT_COLUMNS,
    TRANSFER_COLUMNS,
    DetentionFact,
    DetentionFigures,
    DetentionMinutes,
    DetentionMonth,
    EthnicGroup,
    StaleDetention,
)

LONDON = ZoneInfo("Europe/London")
MEASURES = {
    "assessment": "assessment_minutes",
    "handover": "handover_minutes",
    "length": "length_minutes",
}
# Bucket widths in minutes. Wider buckets: fewer histogram rows a month, more facts read in the
# one bucket holding a percentile (read from an index that covers them). The length bands'
# edges (6, 12, 24 hours) must be whole multiples of the length width.
BUCKET_MINUTES = {"assessment": 15, "handover": 10, "length": 60}
GRAIN = ["organisation_id", "power", "npu_id", "category"]


class Bucket(Func):
    """The histogram bucket of a measure's duration in minutes. The same expression as the
    indexes `detfact_<measure>_bucket` (migration 0011), so that a bucket is read from its
    index."""

    output_field = FloatField()

    def __init__(self, measure: str):
        self.template = f"floor(%(expressions)s / {BUCKET_MINUTES[measure]}::float8)"
        super().__init__(F(MEASURES[measure]))


class UkMonth(Func):
    """The first day of the UK month of an instant."""

    template = "(date_trunc('month', %(expressions)s AT TIME ZONE 'Europe/London'))::date"
    output_field = DateField()


def _blank(value: str) -> str:
    return value or "blank"


# A breach among ended detentions (the only ones the summary holds), as C8 is defined once
# (`detentions.models.breach_q`). Should that definition change, rebuild the summaries
# (`manage.py refresh_reporting --all`); the figure tests compare the summary with counting
# every detention, so a difference shows there.
ENDED_BREACH = ENDED_IN_BREACH


def column_filters(breach: Q) -> dict[str, Q | None]:
    """What each `DetentionMonth` column counts (None: every detention)."""
    out: dict[str, Q | None] = {
        "detentions": None,
        "breaches": breach,
        "at_station": Q(held_at_station=True),
        "under_18_at_station": Q(held_at_station=True, age_group="under_18"),
    }
    out |= {f"fp_{k}": Q(first_place=k) for k in PlaceKind.values}
    out["fp_none"] = Q(first_place__isnull=True)
    out |= {f"conv_{_blank(k)}": Q(conveyance_mode=k) for k in [*ConveyanceMode.values, ""]}
    out |= {
        f"pvr_{_blank(k)}": Q(conveyance_mode=ConveyanceMode.POLICE_VEHICLE, conveyance_reason=k)
        for k in [*PoliceVehicleReason.values, ""]
    }
    out |= {f"ext_{k}": Q(extension_ground=k) for k in ExtensionGround.values}
    out |= {f"out_{_blank(k)}": Q(ended_at__isnull=False, outcome=k) for k in [*Outcome.values, ""]}
    out |= {f"eth_{k}": Q(ethnic_group=k) for k in EthnicGroup.values}
    assert [*out, *TRANSFER_COLUMNS] == DETENTION_COUNT_COLUMNS, "columns and filters differ"
    return out


def _counts(filters: dict[str, Q | None]) -> dict:
    """The aggregates of every `DetentionMonth` column: a count of the facts each filter
    admits, and the transfers (`tr_<kind>`: a count in each fact) summed."""
    counts = {c: Count("pk") if q is None else Count("pk", filter=q) for c, q in filters.items()}
    return counts | {c: Sum(c) for c in TRANSFER_COLUMNS}


def _next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _uk(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=LONDON)


# --------------------------------------------------------------------------- building
def _months_q(months: set[tuple[int, dt.date]]) -> Q:
    """The facts detained in these (force, month)s, as runs of consecutive months."""
    runs: list[list] = []
    for org, month in sorted(months):
        if runs and runs[-1][0] == org and runs[-1][2] == month:
            runs[-1][2] = _next_month(month)
        else:
            runs.append([org, month, _next_month(month)])
    q = Q()
    for org, start, end in runs:
        q |= Q(organisation_id=org, detained_at__gte=_uk(start), detained_at__lt=_uk(end))
    return q


def rebuild(cursor, months: set[tuple[int, dt.date]]) -> None:
    """Rebuilds the monthly summary and histograms of these (force, month)s from the stored
    facts (inside the refresh's transaction, after the facts are rewritten)."""
    if not months:
        return
    keys = {"orgs": [m[0] for m in months], "months": [m[1] for m in months]}
    for table in ("reporting_detentionmonth", "reporting_detentionminutes"):
        cursor.execute(
            f"DELETE FROM {table} AS s USING unnest(%(orgs)s::bigint[], %(months)s::date[]) "  # noqa: S608 - our own names
            "AS t(organisation_id, month) "
            "WHERE s.organisation_id = t.organisation_id AND s.month = t.month",
            keys,
        )
    _insert_counts(cursor, DetentionFact.objects.filter(_months_q(months)), "", 1)


def _insert_counts(cursor, facts, suffix: str, sign: int) -> None:
    """Inserts what the ended ones of `facts` count per month (times `sign`) into the monthly
    summary and the histograms (`suffix`: of their change tables): two statements."""
    ended = facts.filter(ended_at__isnull=False).annotate(month=UkMonth("detained_at")).order_by()
    grain = ", ".join(["month", *GRAIN])
    columns = DETENTION_COUNT_COLUMNS
    sql, params = (
        ended.values(*GRAIN, "month")
        .annotate(**{f"n_{c}": agg for c, agg in _counts(column_filters(ENDED_BREACH)).items()})
        .query
    ).sql_with_params()
    cursor.execute(
        f"INSERT INTO reporting_detentionmonth{suffix} "  # noqa: S608 - our own names
        f"({grain}, {', '.join(columns)}) "
        f"SELECT {grain}, {', '.join(f'{sign} * n_{c}' for c in columns)} FROM ({sql}) AS q",
        params,
    )
    # The three measures' buckets from one read of the facts (a row per fact and measure).
    sql, params = ended.values(*GRAIN, "month", *MEASURES.values()).query.sql_with_params()
    values = ", ".join(f"('{m}', f.{c}, {BUCKET_MINUTES[m]}::float8)" for m, c in MEASURES.items())
    cursor.execute(
        f"INSERT INTO reporting_detentionminutes{suffix} "  # noqa: S608
        f"({grain}, measure, bucket, detentions) "
        f"SELECT {grain}, m.measure, floor(m.v / m.width), {sign} * count(*) FROM ({sql}) AS f "
        f"CROSS JOIN LATERAL (VALUES {values}) AS m(measure, v, width) WHERE m.v IS NOT NULL "
        f"GROUP BY {grain}, m.measure, floor(m.v / m.width)",
        params,
    )


# --------------------------------------------------------------------------- changing
# A refresh that rewrites some facts changes the months by what those facts counted: their
# stored facts' counts are taken out before the facts are deleted, the new facts' counts put in
# after they are inserted, and the sums added to the months' rows. The work follows the facts
# rewritten, not the detentions of the months they fall in (rebuilding every month 2,000
# scattered detentions touched took 2.6 s at ten million incidents). `rebuild` gives the same
# rows from scratch (tests/reporting/test_summary.py compares them).
CHANGE_TABLES = {
    "reporting_detentionmonth": ["month", *GRAIN, *DETENTION_COUNT_COLUMNS],
    "reporting_detentionminutes": ["month", *GRAIN, "measure", "bucket", "detentions"],
}


def same_key(key: list[str], nullable, a: str = "t", b: str = "s") -> str:
    """A join condition on `key` between aliases `a` and `b`: equality where a column is never
    null (so the join can hash), null-safe for the `nullable` ones."""
    return " AND ".join(
        f"{a}.{c} IS NOT DISTINCT FROM {b}.{c}" if c in nullable else f"{a}.{c} = {b}.{c}"
        for c in key
    )


def _change_table(table: str) -> str:
    return f"{table}_change"  # (the suffix `_insert_counts` is given)


def _counted(cursor, ids: list[int], sign: int) -> None:
    """Adds what the stored facts of `ids` count (times `sign`) to the change tables."""
    # (`= ANY` of one array parameter: no statement with thousands of placeholders.)
    facts = DetentionFact.objects.filter(
        detention_id__in=RawSQL("SELECT unnest(%s::bigint[])", (ids,))
    )
    _insert_counts(cursor, facts, "_change", sign)


def take_out(cursor, ids: list[int]) -> None:
    """Before the facts of `ids` are deleted (inside the refresh's transaction): notes what
    they count, to be taken from their months."""
    cursor.execute(
        "".join(
            f"CREATE TEMP TABLE IF NOT EXISTS {_change_table(table)} ON COMMIT DROP AS "  # noqa: S608
            f"SELECT {', '.join(columns)} FROM {table} WITH NO DATA; "
            f"TRUNCATE {_change_table(table)}; "
            for table, columns in CHANGE_TABLES.items()
        )
    )
    _counted(cursor, ids, -1)


def put_in(cursor, ids: list[int]) -> None:
    """After the facts of `ids` are inserted again: adds what they count now, less what they
    counted before (`take_out`), to their months' rows; rows left counting nothing go. (Each
    table's statements are sent at once: a fixed number of round trips.)"""
    _counted(cursor, ids, 1)
    # The rows to change are matched by hashing the (small) net change and reading the table
    # once: a merge join sorts the whole histogram table, and an index probe per row cannot
    # use the index past the nullable NPU and category (each about 0.3 s for 2,000 scattered
    # detentions at ten million incidents, against about 0.1 s hashed). For these statements
    # only.
    statements = ["SET LOCAL enable_mergejoin = off", "SET LOCAL enable_nestloop = off"]
    for table, columns in CHANGE_TABLES.items():
        key = columns[: columns.index("detentions")] if "measure" in columns else columns[:5]
        values = [c for c in columns if c not in key]
        same = same_key(key, {"npu_id", "category"})
        sums = ", ".join(f"sum({c}) AS {c}" for c in values)
        # The net change per row, summed once, numbered and analysed (the planner's estimates
        # for the statements below then fit the few rows it holds).
        net, zeros = f"{_change_table(table)}_net", f"{_change_table(table)}_zero"
        statements += [
            f"CREATE TEMP TABLE IF NOT EXISTS {net} ON COMMIT DROP AS "
            f"SELECT 0::bigint AS rid, {', '.join(columns)} FROM {table} WITH NO DATA",
            f"CREATE TEMP TABLE IF NOT EXISTS {zeros} (id bigint) ON COMMIT DROP",
            f"TRUNCATE {net}, {zeros}",
            f"INSERT INTO {net} (rid, {', '.join(columns)}) "
            f"SELECT row_number() OVER (), {', '.join(key)}, {sums} FROM {_change_table(table)} "
            f"GROUP BY {', '.join(key)} "
            # (a row whose counts the change leaves as they were is not written again)
            f"HAVING {' OR '.join(f'sum({c}) <> 0' for c in values)}",
            f"ANALYZE {net}",
            # One read of the table: the rows that exist are changed, the others inserted, and
            # the ones left counting nothing noted, then deleted by id (a row cannot be changed
            # twice in one statement).
            f"WITH changed AS (UPDATE {table} AS t "
            f"SET {', '.join(f'{c} = t.{c} + s.{c}' for c in values)} "
            f"FROM {net} AS s WHERE {same} RETURNING s.rid, t.id, t.detentions), "
            f"added AS (INSERT INTO {table} ({', '.join(columns)}) "
            f"SELECT {', '.join(columns)} FROM {net} AS s WHERE s.detentions <> 0 "
            f"AND s.rid NOT IN (SELECT rid FROM changed)) "
            f"INSERT INTO {zeros} SELECT id FROM changed WHERE detentions = 0",
            f"DELETE FROM {table} WHERE id IN (SELECT id FROM {zeros})",
        ]
    statements += ["SET LOCAL enable_mergejoin = on", "SET LOCAL enable_nestloop = on"]
    cursor.execute("; ".join(statements))


# --------------------------------------------------------------------------- reading
def whole_months(date_from: dt.date, date_to: dt.date) -> tuple[dt.date, dt.date] | None:
    """The first day of the first whole month in the range and the first day after the last
    one, or None if the range holds no whole month."""
    first = date_from if date_from.day == 1 else _next_month(date_from)
    after = date_to + dt.timedelta(days=1)
    end = after if after.day == 1 else after.replace(day=1)
    return (first, end) if first < end else None


def _union_sum(parts: list[tuple[str, str, tuple]], columns: list[str], group: str = ""):
    """sum(column) over the union of `parts` ((sign, sql, params)): one statement, as
    (sql, params)."""
    selects, params = [], []
    for sign, sql, p in parts:
        cols = ", ".join([*(group.split(", ") if group else []), *(f"{sign}{c}" for c in columns)])
        selects.append(f"SELECT {cols} FROM ({sql}) AS p")
        params.extend(p)
    sums = ", ".join(f"sum({c})" for c in columns)
    head = f"{group}, " if group else ""
    tail = f" GROUP BY {group}" if group else ""
    return f"SELECT {head}{sums} FROM ({' UNION ALL '.join(selects)}) AS u{tail}", params  # noqa: S608


def _histogram_sql(qs) -> tuple[str, tuple]:
    sql, params = sql_of(qs.values(*MEASURES.values()))
    values = ", ".join(f"('{m}', f.{c}, {BUCKET_MINUTES[m]}::float8)" for m, c in MEASURES.items())
    return (
        "SELECT m.measure, floor(m.v / m.width) AS bucket, count(*) AS n "  # noqa: S608
        f"FROM ({sql}) AS f CROSS JOIN LATERAL (VALUES {values}) AS m(measure, v, width) "
        "WHERE m.v IS NOT NULL GROUP BY 1, 2",
        params,
    )


# The statements of `Figures`, built once per shape (core/prepared.py): building and compiling
# a hundred filtered counts took as long as running them.
STATEMENTS = Prepared()
INT, TEXT, DAY, INSTANT = IntegerField(), CharField(), DateField(), DateTimeField()


def _param(name: str, field):
    return Param(name, field)


class _Sets:
    """The querysets of `Figures` for one shape ((has NPU, has category, has stale
    detentions)), every value a `Param` (`Figures.values` names them)."""

    def __init__(self, shape: tuple[bool, bool, bool]):
        npu, category, stale = shape

        def where(model, *, months=False):
            qs = model.objects.filter(
                organisation_id=_param("org", INT), power=_param("power", TEXT)
            )
            if months:
                qs = qs.filter(month__gte=_param("first", DAY), month__lt=_param("end", DAY))
            else:
                qs = qs.filter(
                    detained_at__gte=_param("start", INSTANT),
                    detained_at__lt=_param("stop", INSTANT),
                )
            if npu:
                qs = qs.filter(npu_id=_param("npu", INT))
            if category:
                qs = qs.filter(category=_param("category", TEXT))
            return qs.order_by()

        self.summary = where(DetentionMonth, months=True)
        self.minutes = where(DetentionMinutes, months=True)
        # Stored facts in scope (read from the table, not through the current facts' view: the
        # planner cannot take these conditions through the view's union to the table's indexes).
        stored = where(DetentionFact)
        in_months = Q(
            detained_at__gte=_param("months_start", INSTANT),
            detained_at__lt=_param("months_end", INSTANT),
        )
        self.taken_back = self.current_stale = None
        self.current_stored = stored
        if stale:
            # The stale detentions as one array: the planner then reads them by key, both from
            # the table and through the view (with a subquery it scans the view's every row).
            is_stale = InArray(F("detention_id"), _param("stale", INT))
            self.taken_back = stored.filter(in_months, is_stale, ended_at__isnull=False)
            self.current_stored = stored.exclude(is_stale)
            self.current_stale = where(DetentionFigures).filter(is_stale)
        # L: the current stored facts outside the whole months or still running, and the
        # stale detentions as they are now.
        self.live_parts = [
            self.current_stored.filter(~in_months | Q(ended_at__isnull=True)),
            *([self.current_stale] if stale else []),
        ]
        self.breach = breach_q(_param("at", INSTANT))

    def in_bucket(self, measure: str) -> list:
        """The current facts in scope with a value in bucket `bucket`: the stored ones (from the
        bucket's index) and the stale ones as they are now."""
        column = MEASURES[measure]
        return [
            qs.filter(**{f"{column}__isnull": False})
            .annotate(_bucket=Bucket(measure))
            .filter(_bucket=_param("bucket", INT))
            for qs in (self.current_stored, self.current_stale)
            if qs is not None
        ]

    def counts(self) -> tuple[str, list]:
        names = [*DETENTION_COUNT_COLUMNS, "running_breaches"]
        columns = [f"c_{c}" for c in names]  # (annotations may not take a field's name)
        counted = {f"c_{c}": agg for c, agg in _counts(column_filters(self.breach)).items()}
        # What the summary counted for the stale ones is taken back as the summary counted it.
        as_summarised = {f"c_{c}": agg for c, agg in _counts(column_filters(ENDED_BREACH)).items()}
        one = {"_one": Value(1)}
        summary = self.summary.annotate(**one).values("_one")
        summary = summary.annotate(
            **{f"c_{c}": Sum(c) for c in DETENTION_COUNT_COLUMNS}, c_running_breaches=Value(0)
        )
        running = Count("pk", filter=self.breach & Q(ended_at__isnull=True))
        parts = [("", *sql_of(summary))]
        if self.taken_back is not None:
            back = self.taken_back.annotate(**one).values("_one")
            back = back.annotate(**as_summarised, c_running_breaches=Value(0))
            parts.append(("-", *sql_of(back)))
        for live in self.live_parts:
            live = live.annotate(**one).values("_one")
            parts.append(("", *sql_of(live.annotate(**counted, c_running_breaches=running))))
        return _union_sum(parts, columns)

    def histograms(self) -> tuple[str, list]:
        summary = self.minutes.values("measure", "bucket").annotate(n=Sum("detentions"))
        parts = [
            ("", *sql_of(summary)),
            *([("-", *_histogram_sql(self.taken_back))] if self.taken_back is not None else []),
            *(("", *_histogram_sql(live)) for live in self.live_parts),
        ]
        return _union_sum(parts, ["n"], group="measure, bucket")

    def ranked(self, measure: str) -> tuple[str, list]:
        """The values in bucket `bucket` in ascending order from `offset`, two of them."""
        column = MEASURES[measure]
        stored, *live = (qs.values_list(column, flat=True) for qs in self.in_bucket(measure))
        values = stored.union(*live, all=True) if live else stored
        sql, params = sql_of(values.order_by(column))
        return f"{sql} LIMIT 2 OFFSET %s", [*params, Slot("offset")]

    def above(self, measure: str) -> tuple[str, list]:
        """How many values in bucket `bucket` are greater than `minutes`."""
        over = {f"{MEASURES[measure]}__gt": _param("minutes", FloatField())}
        parts = [sql_of(qs.filter(**over).values("pk")) for qs in self.in_bucket(measure)]
        sql = " UNION ALL ".join(f"SELECT 1 FROM ({s}) AS p" for s, _p in parts)
        return f"SELECT count(*) FROM ({sql}) AS u", [p for _s, ps in parts for p in ps]  # noqa: S608


class Figures:
    """The detention figures of a scope read as S - A + L (module docstring)."""

    def __init__(self, scope, months: tuple[dt.date, dt.date]):
        first, end = months
        # The stale detentions, read once: every statement of these figures binds the same list.
        stale = list(StaleDetention.objects.values_list("detention_id", flat=True))
        self.shape = (bool(scope.npu_id), bool(scope.category), bool(stale))
        self.values = {
            "org": scope.organisation_id,
            "power": scope.power,
            "npu": scope.npu_id,
            "category": scope.category,
            "first": first,
            "end": end,
            "start": scope.start,
            "stop": scope.end,
            "months_start": _uk(first),
            "months_end": _uk(end),
            "stale": stale,
            "at": scope.at,
        }

    def _run(self, name: str, *args, **values) -> list:
        key = (name, self.shape, *args)
        sql, params = STATEMENTS.get(key, lambda: getattr(_Sets(self.shape), name)(*args))
        with connection.cursor() as cursor:
            cursor.execute(sql, bind(params, {**self.values, **values}))
            return cursor.fetchall()

    def counts(self) -> dict[str, int]:
        names = [*DETENTION_COUNT_COLUMNS, "running_breaches"]
        (row,) = self._run("counts")
        return {c: int(v or 0) for c, v in zip(names, row, strict=True)}

    def histograms(self) -> dict[str, dict[int, int]]:
        out: dict[str, dict[int, int]] = {m: {} for m in MEASURES}
        for measure, bucket, n in self._run("histograms"):
            if n:
                out[measure][int(bucket)] = int(n)
        return out

    def ranked(self, measure: str, hist: dict[int, int], rank: int) -> list[float]:
        """The values at `rank` and `rank + 1` (0-based, ascending) as far as they share a
        bucket: one read of one bucket."""
        below = 0
        for bucket in sorted(hist):
            if rank < below + hist[bucket]:
                rows = self._run("ranked", measure, bucket=bucket, offset=rank - below)
                return [value for (value,) in rows]
            below += hist[bucket]
        return []

    def percentile(self, measure: str, hist: dict[int, int], fraction: float) -> float | None:
        """`percentile_cont(fraction)` over the measure's values, as PostgreSQL computes it."""
        n = sum(hist.values())
        if n == 0:
            return None
        position = fraction * (n - 1)
        first, second = math.floor(position), math.ceil(position)
        values = self.ranked(measure, hist, first)
        if not values:
            return None
        if first == second:
            return values[0]
        if len(values) < 2:
            values.append(self.ranked(measure, hist, second)[0])
        low, high = values[0], values[1]
        return low + (high - low) * (position - first)

    def above(self, measure: str, hist: dict[int, int], minutes: float) -> int:
        """How many values are greater than `minutes`."""
        edge = math.floor(minutes / BUCKET_MINUTES[measure])
        n = sum(c for b, c in hist.items() if b > edge)
        if hist.get(edge):
            ((over,),) = self._run("above", measure, bucket=edge, minutes=minutes)
            n += over
        return n

    @staticmethod
    def between(measure: str, hist: dict[int, int], low: float, high: float | None) -> int:
        """How many values v have low <= v < high (edges whole multiples of the bucket)."""
        lo = low / BUCKET_MINUTES[measure]
        hi = None if high is None else high / BUCKET_MINUTES[measure]
        assert lo == int(lo) and (hi is None or hi == int(hi)), "band edges off the buckets"
        return sum(c for b, c in hist.items() if b >= lo and (hi is None or b < hi))


def figures(scope):
    """`Figures` for the scope, or None when its range holds no whole month (then counting the
    facts in range is as quick)."""
    months = whole_months(scope.date_from, scope.date_to)
    return None if months is None else Figures(scope, months)
