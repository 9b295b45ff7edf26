"""Daily incident summaries: what makes the incident figures fast over years of data.

`IncidentDay` holds, per force, UK day, NPU and category, the counts every incident figure of
the dashboards needs (incidents, by UK hour, by Right Care Right Person decision, by agency passed
to, officers' deployments and minutes); `IncidentMonth` the same per calendar month and day of
the week. The figures are always exactly what counting the incidents would give.

Changes, as deltas (migration 0012): database triggers on incidents and officer deployments
write, in the writer's own transaction, one `IncidentDelta` row per force, day, NPU and category
a statement changed, with what it added (positive) or took away (negative). Insert-only: a
writer never waits on a summary row or on another writer. The dashboards read the summaries
through views that add the deltas (`CurrentIncidentDay`, `CurrentIncidentMonth`), so however
many days a burst of edits touched, the figures cost one delta row per change, never a day
counted again from the incidents. `fold` (the beat refresh; a read that finds very many) adds
a batch of deltas to the summary rows and deletes them in one statement, so a reader sees each
change exactly once, as a delta or folded.

Stale days, for rebuilds: a bulk load (`SET LOCAL harbour.summary_bulk = 'on'`: the triggers
then mark days instead), `refresh_reporting --all` and migrations insert a `StaleDay`, and
until it is rebuilt that day is counted live from the incidents. `refresh` rebuilds stale days
in batches: in one transaction it deletes a batch of `StaleDay` rows (`FOR UPDATE SKIP LOCKED`,
so two workers never take the same day and never wait on a writer), deletes those days' summary
rows and inserts them again from the incidents, deleting the days' deltas in the same statement
(one snapshot: a change committed before it is in the rebuilt rows, one committed after keeps
its delta). The race with a bulk writer marking such a day is closed by the triggers'
`ON CONFLICT DO UPDATE`:
- a writer that committed before the refresh's statements ran is in the rebuilt rows (each
  statement of a READ COMMITTED transaction sees everything committed before it started);
- a writer still open marks the day by upserting the `StaleDay` row: if the refresh has already
  deleted that row, the upsert waits for the refresh to commit and then inserts a new one; if the
  row is still there, the upsert locks it and the refresh's delete waits for the writer to
  commit, then rebuilds from data that includes it. Either way the day is never current while
  its summary misses a change.
Folds and rebuilds take one advisory lock, so they never run at once.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import time

from django.db import connection, transaction
from django.db.models import Q

from incidents.choices import RcrpAgency, RcrpThreshold

from . import detention_months
from .models import (
    COUNT_COLUMNS,
    HOUR_COLUMNS,
    PASSED_COLUMNS,
    RCRP_COLUMNS,
    CurrentIncidentDay,
    CurrentIncidentMonth,
    DetentionFact,
    StaleDay,
    hour_column,
    passed_column,
    rcrp_column,
)

log = logging.getLogger(__name__)


def _select_sql() -> str:
    hours = ", ".join(f"count(*) FILTER (WHERE i.hour = {h})" for h in range(24))
    rcrp = ", ".join(
        f"count(*) FILTER (WHERE i.rcrp_threshold = '{v}')" for v in [*RcrpThreshold.values, ""]
    )
    passed = ", ".join(
        f"count(*) FILTER (WHERE i.rcrp_threshold = '{RcrpThreshold.NONE}' "
        f"AND i.rcrp_passed_to = '{v}')"
        for v in [*RcrpAgency.values, ""]
    )
    columns = ", ".join(
        [
            "organisation_id",
            "day",
            "npu_id",
            "category",
            "incidents",
            "deployments",
            "officer_minutes",
            *HOUR_COLUMNS,
            *RCRP_COLUMNS,
            *PASSED_COLUMNS,
        ]
    )
    # LATERAL with OFFSET 0 (which stops the planner flattening it): one index range scan per
    # day. Flattened, the planner cannot estimate the per-day ranges and hash-joins every
    # incident of the force against the days, which is slow.
    return f"""
        INSERT INTO reporting_incidentday ({columns})
        SELECT t.organisation_id, t.day, i.npu_id, i.category, count(*),
               coalesce(sum(i.deployments), 0), coalesce(sum(i.minutes), 0),
               {hours}, {rcrp}, {passed}
        FROM unnest(%(orgs)s::bigint[], %(days)s::date[]) AS t(organisation_id, day)
        CROSS JOIN LATERAL (
            SELECT x.npu_id, x.category, x.rcrp_threshold, x.rcrp_passed_to,
                   extract(hour FROM x.occurred_at AT TIME ZONE 'Europe/London') AS hour,
                   d.deployments, d.minutes
            FROM incidents_incident AS x
            LEFT JOIN LATERAL (
                SELECT count(*) AS deployments, sum(minutes) AS minutes
                FROM incidents_officerdeployment WHERE incident_id = x.id
            ) AS d ON true
            WHERE x.organisation_id = t.organisation_id
              AND x.occurred_at >= (t.day::timestamp AT TIME ZONE 'Europe/London')
              AND x.occurred_at < ((t.day + 1)::timestamp AT TIME ZONE 'Europe/London')
            OFFSET 0
        ) AS i
        GROUP BY t.organisation_id, t.day, i.npu_id, i.category
    """


# `id = ANY(ARRAY(...))`, not `id IN (...)`: primary-key lookups whatever the planner believes
# about the table's size (right after a burst of changes its statistics say "empty", and an
# IN plan then scans the whole table once per row).
TAKE_SQL = """
    DELETE FROM reporting_staleday WHERE id = ANY(ARRAY(
        SELECT id FROM reporting_staleday
        WHERE (%(org)s::bigint IS NULL OR organisation_id = %(org)s)
          AND day BETWEEN coalesce(%(from)s::date, '-infinity') AND coalesce(%(to)s::date, 'infinity')
        ORDER BY organisation_id, day
        LIMIT %(batch)s
        FOR UPDATE SKIP LOCKED
    ))
    RETURNING organisation_id, day
"""
CLEAR_SQL = """
    DELETE FROM reporting_incidentday AS s
    USING unnest(%(orgs)s::bigint[], %(days)s::date[]) AS t(organisation_id, day)
    WHERE s.organisation_id = t.organisation_id AND s.day = t.day
"""


CLEAR_DELTAS_CTE = """
    WITH cleared AS (
        DELETE FROM reporting_incidentdelta AS x
        USING unnest(%(orgs)s::bigint[], %(days)s::date[]) AS t(organisation_id, day)
        WHERE x.organisation_id = t.organisation_id AND x.day = t.day
    )
"""


MONTHS = """
    SELECT DISTINCT organisation_id, date_trunc('month', day)::date AS month
    FROM unnest(%(orgs)s::bigint[], %(days)s::date[]) AS t(organisation_id, day)
"""
CLEAR_MONTHS_SQL = f"""
    DELETE FROM reporting_incidentmonth AS s USING ({MONTHS}) AS t
    WHERE s.organisation_id = t.organisation_id AND s.month = t.month
"""


def _months_sql() -> str:
    """Rebuilds the months of the days in `%(orgs)s`/`%(days)s` from the daily summary. One
    index range scan per month (LATERAL with OFFSET 0, a date bound): joined flat, the planner
    merge-joined the months with every day row of the force and filtered them by date, 17.7
    million rows for 117 months at 1M incidents (3.9 s of a 5.2 s rebuild of 366 stale days)."""
    sums = [
        "incidents",
        "deployments",
        "officer_minutes",
        *HOUR_COLUMNS,
        *RCRP_COLUMNS,
        *PASSED_COLUMNS,
    ]
    return f"""
        INSERT INTO reporting_incidentmonth
            (organisation_id, month, dow, npu_id, category, {", ".join(sums)})
        SELECT d.organisation_id, t.month, extract(isodow FROM d.day), d.npu_id, d.category,
               {", ".join(f"sum(d.{c})" for c in sums)}
        FROM ({MONTHS}) AS t
        CROSS JOIN LATERAL (
            SELECT * FROM reporting_incidentday AS x
            WHERE x.organisation_id = t.organisation_id
              AND x.day >= t.month AND x.day < (t.month + interval '1 month')::date
            OFFSET 0
        ) AS d
        GROUP BY d.organisation_id, t.month, extract(isodow FROM d.day), d.npu_id, d.category
    """


# One refresh at a time (a transaction-scoped advisory lock; writers never take it).
LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtext('reporting.summary.refresh'))"


def refresh_batch(
    *,
    batch: int = 366,
    organisation_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> int:
    """Rebuilds up to `batch` stale days (of one force, between two dates, if given), and the
    months they fall in, in one transaction; returns how many days."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(LOCK_SQL)
        cursor.execute(
            TAKE_SQL,
            {"org": organisation_id, "batch": batch, "from": date_from, "to": date_to},
        )
        taken = cursor.fetchall()
        if not taken:
            return 0
        params = {"orgs": [r[0] for r in taken], "days": [r[1] for r in taken]}
        # Compiling this wide aggregate costs more than running it; and its rows (a year of
        # days' incidents) are grouped in memory rather than sorted on disk (one refresh runs
        # at a time: the advisory lock).
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(CLEAR_SQL, params)
        # The days' deltas go in the same statement (one snapshot) as the rebuild reads the
        # incidents: a change committed before it is in the rebuilt rows and its delta is
        # gone; one committed after keeps its delta.
        cursor.execute(CLEAR_DELTAS_CTE + _select_sql(), params)
        cursor.execute(CLEAR_MONTHS_SQL, params)
        cursor.execute(_months_sql(), params)
    return len(taken)


# --------------------------------------------------------------------------- deltas
SUMS = ["incidents", "deployments", "officer_minutes", *COUNT_COLUMNS]
KEY = ["organisation_id", "day", "npu_id", "category"]
MONTH_KEY = ["organisation_id", "month", "dow", "npu_id", "category"]


def _same(key):
    return detention_months.same_key(key, {"npu_id"})


@functools.cache
def _fold_sql() -> str:
    """One statement (one snapshot): take a batch of deltas (never of a stale day: its rebuild
    removes them), add them to the daily and monthly summary rows (an UPDATE of the rows there
    are, an INSERT of the others: `ON CONFLICT` would check a negative proposed row against the
    columns' `>= 0` before finding the conflict), and return the rows left at zero.

    A delta that would take a row below zero (its summary row is gone: an NPU deleted once its
    incidents had moved, whose summary rows went with it) is not added: its day is marked stale
    instead, to be counted live and rebuilt from the incidents. The fold never fails on it and
    the figures stay exact."""
    sums = ", ".join(f"sum({c}) AS {c}" for c in SUMS)
    add = ", ".join(f"{c} = t.{c} + s.{c}" for c in SUMS)
    cols = ", ".join(SUMS)
    below_zero = f"least({', '.join(f'coalesce(t.{c}, 0) + s.{c}' for c in SUMS)}) < 0"
    month_of = (
        "date_trunc('month', s.day)::date = m.month "
        "AND extract(isodow FROM s.day)::smallint = m.dow"
    )
    return f"""
        WITH taken AS (
            DELETE FROM reporting_incidentdelta WHERE id = ANY(ARRAY(
                SELECT d.id FROM reporting_incidentdelta AS d
                WHERE NOT EXISTS (
                    SELECT 1 FROM reporting_staleday AS x
                    WHERE x.organisation_id = d.organisation_id AND x.day = d.day
                )
                ORDER BY d.id LIMIT %(batch)s
            ))
            RETURNING {", ".join(KEY)}, {cols}
        ),
        s AS (SELECT {", ".join(KEY)}, {sums} FROM taken GROUP BY {", ".join(KEY)}),
        m AS (
            SELECT organisation_id, date_trunc('month', day)::date AS month,
                   extract(isodow FROM day)::smallint AS dow, npu_id, category, {sums}
            FROM s GROUP BY 1, 2, 3, 4, 5
        ),
        sd AS (
            SELECT s.*, t.id AS row_id, {below_zero} AS bad
            FROM s LEFT JOIN reporting_incidentday AS t ON {_same(KEY)}
        ),
        md AS (
            SELECT s.*, t.id AS row_id, {below_zero} AS bad
            FROM m AS s LEFT JOIN reporting_incidentmonth AS t ON {_same(MONTH_KEY)}
        ),
        healed AS (
            INSERT INTO reporting_staleday (organisation_id, day, marked_at)
            SELECT DISTINCT organisation_id, day, now() FROM (
                SELECT organisation_id, day FROM sd WHERE bad
                UNION ALL
                SELECT s.organisation_id, s.day FROM s JOIN md AS m
                  ON m.bad AND m.organisation_id = s.organisation_id AND {month_of}
                 AND m.npu_id IS NOT DISTINCT FROM s.npu_id AND m.category = s.category
            ) AS b
            ON CONFLICT (organisation_id, day) DO UPDATE SET marked_at = EXCLUDED.marked_at
            RETURNING 1
        ),
        days_updated AS (
            UPDATE reporting_incidentday AS t SET {add}
            FROM sd AS s WHERE t.id = s.row_id AND NOT s.bad
            RETURNING t.id, t.incidents
        ),
        days_inserted AS (
            INSERT INTO reporting_incidentday ({", ".join(KEY)}, {cols})
            SELECT {", ".join(KEY)}, {cols} FROM sd WHERE row_id IS NULL AND NOT bad
        ),
        months_updated AS (
            UPDATE reporting_incidentmonth AS t SET {add}
            FROM md AS s WHERE t.id = s.row_id AND NOT s.bad
            RETURNING t.id, t.incidents
        ),
        months_inserted AS (
            INSERT INTO reporting_incidentmonth ({", ".join(MONTH_KEY)}, {cols})
            SELECT {", ".join(MONTH_KEY)}, {cols} FROM md WHERE row_id IS NULL AND NOT bad
        )
        SELECT (SELECT count(*) FROM taken),
               ARRAY(SELECT id FROM days_updated WHERE incidents = 0),
               ARRAY(SELECT id FROM months_updated WHERE incidents = 0),
               (SELECT count(*) FROM healed)
    """


def fold(*, batch: int = 50_000) -> int:
    """Folds up to `batch` deltas into the summaries in one transaction; returns how many. A
    reader sees each delta either as a delta or in the summary rows, never both (the view
    reads both tables in one statement, and this is one statement)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(LOCK_SQL)
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(_fold_sql(), {"batch": batch})
        taken, empty_days, empty_months, healed = cursor.fetchone()
        if healed:
            log.warning(
                "reporting summaries: %s day(s) whose summary rows were missing marked stale",
                healed,
            )
        # A key with no incidents left has nothing left at all (its deployments, minutes and
        # counts belong to its incidents): drop the row, as a rebuild would not have it.
        if empty_days:
            cursor.execute(
                "DELETE FROM reporting_incidentday WHERE id = ANY(%s) AND incidents = 0",
                [empty_days],
            )
        if empty_months:
            cursor.execute(
                "DELETE FROM reporting_incidentmonth WHERE id = ANY(%s) AND incidents = 0",
                [empty_months],
            )
    return taken


FACT_COLUMNS = [f.column for f in DetentionFact._meta.concrete_fields]
TAKE_DETENTIONS_SQL = """
    DELETE FROM reporting_staledetention WHERE id = ANY(ARRAY(
        SELECT id FROM reporting_staledetention ORDER BY detention_id
        LIMIT %(batch)s FOR UPDATE SKIP LOCKED
    ))
    RETURNING detention_id
"""


NEW_FACTS = "reporting_detentionfact_new"
# The ids among %(ids)s whose current fact (NEW_FACTS) is not the stored one, to the letter.
CHANGED_FACTS_SQL = (
    "SELECT x.id FROM unnest(%(ids)s::bigint[]) AS x(id) "  # noqa: S608 - our own names
    f"LEFT JOIN {NEW_FACTS} AS n ON n.detention_id = x.id "
    "LEFT JOIN reporting_detentionfact AS f ON f.detention_id = x.id "
    "WHERE n.detention_id IS NULL OR f.detention_id IS NULL OR "
    f"({', '.join(f'f.{c}' for c in FACT_COLUMNS)}) IS DISTINCT FROM "
    f"({', '.join(f'n.{c}' for c in FACT_COLUMNS)})"
)


def refresh_detentions_batch(*, batch: int = 5000) -> int:
    """Rebuilds up to `batch` stale detention facts in one transaction (the same protocol as
    the days: see the module docstring); returns how many."""
    columns = ", ".join(FACT_COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(LOCK_SQL)
        cursor.execute(TAKE_DETENTIONS_SQL, {"batch": batch})
        ids = [r[0] for r in cursor.fetchall()]
        if not ids:
            return 0
        cursor.execute("SET LOCAL jit = off")
        # The facts as they are now, read by key, detention by detention, through every join
        # of the view: with thousands of ids the planner would rather hash whole tables of
        # arrivals, assessments and handovers (0.2-0.4 s for 2,000 at a million incidents,
        # against 0.05-0.1 s by key), more so the larger they grow. Then only the facts that
        # differ from the stored ones (or have appeared or gone) are rewritten: a change that
        # alters nothing a figure counts (a note, a welfare check, a touch) costs one read.
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {NEW_FACTS} ON COMMIT DROP AS "
            f"SELECT {columns} FROM reporting_detentionfact WITH NO DATA; "
            f"CREATE INDEX IF NOT EXISTS {NEW_FACTS}_id ON {NEW_FACTS} (detention_id); "
            f"TRUNCATE {NEW_FACTS}; "
            "SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off; "
            f"INSERT INTO {NEW_FACTS} ({columns}) SELECT {columns} "
            "FROM reporting_detentionlive WHERE detention_id = ANY(%(ids)s)",
            {"ids": ids},
        )
        cursor.execute(CHANGED_FACTS_SQL, {"ids": ids})
        changed = [r[0] for r in cursor.fetchall()]
        cursor.execute("SET LOCAL enable_hashjoin = on; SET LOCAL enable_mergejoin = on")
        if changed:
            # The facts' old counts are taken out of their months and the new ones put in, in
            # this transaction, so a month's summary always equals its facts
            # (detention_months).
            detention_months.take_out(cursor, changed)
            cursor.execute(
                "DELETE FROM reporting_detentionfact WHERE detention_id = ANY(%(ids)s); "
                f"INSERT INTO reporting_detentionfact ({columns}) SELECT {columns} "  # noqa: S608
                f"FROM {NEW_FACTS} WHERE detention_id = ANY(%(ids)s)",
                {"ids": changed},
            )
            detention_months.put_in(cursor, changed)
    return len(ids)


# Many stale detentions (a burst of changes since the last refresh) are rebuilt when the
# detention figures are read, rather than read live through `reporting_detentionlive` in every
# detention statement: at most ON_DEMAND_DETENTIONS_MAX of them, in one batch; any left (and
# any number up to ON_DEMAND_DETENTIONS) are read live by key.
ON_DEMAND_DETENTIONS = 200
ON_DEMAND_DETENTIONS_MAX = 20_000
MANY_STALE_DETENTIONS_SQL = (
    "SELECT count(*) FROM (SELECT 1 FROM reporting_staledetention LIMIT %(limit)s) AS s"
)


def rebuild_stale_detentions_if_many() -> int:
    """Before the detention figures are read: rebuild the stale detention facts now when there
    are more than ON_DEMAND_DETENTIONS of them (bounded); returns how many were rebuilt."""
    with connection.cursor() as cursor:
        cursor.execute(MANY_STALE_DETENTIONS_SQL, {"limit": ON_DEMAND_DETENTIONS + 1})
        (many,) = cursor.fetchone()
    if many <= ON_DEMAND_DETENTIONS:
        return 0
    return refresh_detentions_batch(batch=ON_DEMAND_DETENTIONS_MAX)


def refresh(
    *,
    batch: int = 366,
    detention_batch: int = 5000,
    time_limit: float | None = None,
    organisation_id: int | None = None,
) -> int:
    """Folds the deltas, then rebuilds stale days and stale detention facts, batch by batch,
    until none is left (or `time_limit` seconds have passed: the rest waits for the next run).
    Returns the number of deltas folded, days and detentions rebuilt."""
    started = time.monotonic()
    days = detentions = deltas = 0

    def out_of_time():
        return time_limit is not None and time.monotonic() - started > time_limit

    while n := fold():
        deltas += n
        if out_of_time():
            break
    while not out_of_time() and (n := refresh_batch(batch=batch, organisation_id=organisation_id)):
        days += n
    while not out_of_time() and (n := refresh_detentions_batch(batch=detention_batch)):
        detentions += n
    if days + detentions + deltas >= 1000:
        # After a large rebuild (a bulk load, a migration) tell the planner what changed: the
        # summaries have grown and the stale tables are now (nearly) empty. Without this it may
        # plan the figures for empty summaries until autovacuum gets round to them.
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE reporting_incidentday, reporting_incidentmonth, reporting_detentionfact, "
                "reporting_detentionmonth, reporting_detentionminutes, "
                "reporting_staleday, reporting_staledetention, reporting_incidentdelta"
            )
    if days or detentions or deltas:
        log.info(
            "reporting summaries: %s delta(s) folded, %s day(s), %s detention(s) rebuilt",
            deltas,
            days,
            detentions,
        )
    return days + detentions + deltas


# --------------------------------------------------------------------------- reading
# Deltas are read with the summaries (the views) whatever their number; only a range holding
# more than this has them folded first, at most ON_DEMAND_DELTAS_MAX at once.
ON_DEMAND_DELTAS = 20_000
ON_DEMAND_DELTAS_MAX = 200_000
MANY_DELTAS_SQL = """
    SELECT count(*) FROM (
        SELECT 1 FROM reporting_incidentdelta
        WHERE organisation_id = %(org)s AND day BETWEEN %(from)s AND %(to)s LIMIT %(limit)s
    ) AS d
"""
# A range with more stale days than this has them rebuilt when it is read (`Split`), at most
# ON_DEMAND_MAX of them (each figure would otherwise count their incidents again: at ten million
# incidents, 30 scattered stale days counted live took the ten-year force dashboard from 230 ms
# to 1.2 s until the next refresh; rebuilt, only the first request pays, about 16 ms a day).
ON_DEMAND_DAYS = 8
ON_DEMAND_MAX = 4 * 366


def _runs(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Sorted days as inclusive runs of consecutive days."""
    runs: list[tuple[dt.date, dt.date]] = []
    for day in days:
        if runs and day == runs[-1][1] + dt.timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _complement(
    date_from: dt.date, date_to: dt.date, runs: list[tuple[dt.date, dt.date]]
) -> list[tuple[dt.date, dt.date]]:
    out, cursor = [], date_from
    for start, end in runs:
        if start > cursor:
            out.append((cursor, start - dt.timedelta(days=1)))
        cursor = end + dt.timedelta(days=1)
    if cursor <= date_to:
        out.append((cursor, date_to))
    return out


def _month_end(month: dt.date) -> dt.date:
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


class Split:
    """A scope's date range cut into runs of UK dates: `months` read from the monthly summary
    (whole calendar months with no stale day, only when `use_months`), `summary` read from the
    daily summary, and `live` counted from the incidents (stale days)."""

    def __init__(
        self, organisation_id: int, date_from: dt.date, date_to: dt.date, use_months=False
    ):
        def stale_days():
            return list(
                StaleDay.objects.filter(
                    organisation_id=organisation_id, day__gte=date_from, day__lte=date_to
                )
                .order_by("day")
                .values_list("day", flat=True)
            )

        with connection.cursor() as cursor:
            cursor.execute(
                MANY_DELTAS_SQL,
                {
                    "org": organisation_id,
                    "from": date_from,
                    "to": date_to,
                    "limit": ON_DEMAND_DELTAS,
                },
            )
            (deltas,) = cursor.fetchone()
        if deltas >= ON_DEMAND_DELTAS:
            # A burst of changes (a bulk update) left many deltas in the range: fold them now,
            # once (bounded), rather than read them in every figure.
            fold(batch=ON_DEMAND_DELTAS_MAX)
        stale = stale_days()
        if len(stale) > ON_DEMAND_DAYS:
            # Many stale days (a burst of changes since the last refresh): rebuild them now,
            # once, rather than count their incidents live once per figure. Bounded: at most
            # ON_DEMAND_MAX days; any left are counted live.
            rebuilt = 0
            while rebuilt < ON_DEMAND_MAX and (
                n := refresh_batch(
                    organisation_id=organisation_id, date_from=date_from, date_to=date_to
                )
            ):
                rebuilt += n
            stale = stale_days()
        # Each run of stale days left is counted live on its own, however many there are: the
        # work grows with the incidents on stale days, never jumps to the whole range.
        self.live = _runs(stale)
        self.months: list[tuple[dt.date, dt.date]] = []
        if use_months:
            live_months = {
                (d.year, d.month)
                for start, end in self.live
                for d in (start, end, *_month_starts(start, end))
            }
            month = date_from if date_from.day == 1 else _month_end(date_from) + dt.timedelta(1)
            while _month_end(month) <= date_to:
                if (month.year, month.month) not in live_months:
                    if self.months and self.months[-1][1] + dt.timedelta(1) == month:
                        self.months[-1] = (self.months[-1][0], _month_end(month))
                    else:
                        self.months.append((month, _month_end(month)))
                month = _month_end(month) + dt.timedelta(1)
        covered = sorted(self.live + self.months)
        self.summary = _complement(date_from, date_to, covered)

    @staticmethod
    def _q(runs, field_name) -> Q | None:
        if not runs:
            return None
        q = Q()
        for start, end in runs:
            q |= Q(**{f"{field_name}__gte": start, f"{field_name}__lte": end})
        return q

    def summary_q(self) -> Q | None:
        return self._q(self.summary, "day")

    def months_q(self) -> Q | None:
        return self._q([(start, end.replace(day=1)) for start, end in self.months], "month")

    def live_q(self, instant: str, start_of) -> Q | None:
        """Q on an instant field for the live days; `start_of(date)` gives a UK midnight."""
        if not self.live:
            return None
        q = Q()
        for start, end in self.live:
            q |= Q(
                **{
                    f"{instant}__gte": start_of(start),
                    f"{instant}__lt": start_of(end + dt.timedelta(days=1)),
                }
            )
        return q


def _month_starts(start: dt.date, end: dt.date):
    """The first day of every month from `start`'s to `end`'s."""
    month = start.replace(day=1)
    while month <= end:
        yield month
        month = _month_end(month) + dt.timedelta(days=1)


def _scoped(qs, scope):
    return scope.narrow(qs.filter(organisation_id=scope.organisation_id)).order_by()


def summary_rows(scope, split: Split) -> list[tuple[str, object]]:
    """The summary rows of a scope's current days, with their deltas: ("month",
    CurrentIncidentMonth rows) for whole months, ("day", CurrentIncidentDay rows) for the other
    days; empty when every day is live. Sums over them are exact; a key's rows may sum to 0."""
    out = []
    if (q := split.months_q()) is not None:
        out.append(("month", _scoped(CurrentIncidentMonth.objects.filter(q), scope)))
    if (q := split.summary_q()) is not None:
        out.append(("day", _scoped(CurrentIncidentDay.objects.filter(q), scope)))
    return out


__all__ = [
    "Split",
    "fold",
    "hour_column",
    "passed_column",
    "rcrp_column",
    "refresh",
    "refresh_batch",
    "summary_rows",
]
