"""Daily incident summaries: what makes the incident figures fast over years of data.

`IncidentDay` holds, per force, UK day, NPU and category, the counts every incident figure of
the dashboards needs (incidents, by UK hour, by Right Care Right Person decision, by agency passed
to, officers' deployments and minutes). A figure for a date range reads the summary for the days
that are current and counts the incidents themselves for the others, then adds the two: the
result is always exactly what counting the incidents would give.

Which days are current: database triggers (migration 0003) insert a `StaleDay` for every UK day
touched by any insert, update or delete of an incident or an officer deployment, in the same
transaction as the change (page, API, admin, bulk load or migration alike). A day without a
`StaleDay` row has a summary equal to its incidents; a day with one is counted live.

`refresh` (Celery beat, `reporting.tasks.refresh_summaries`) rebuilds stale days in batches:
in one transaction it deletes a batch of `StaleDay` rows (`FOR UPDATE SKIP LOCKED`, so two
workers never take the same day and never wait on a writer), deletes those days' summary rows
and inserts them again from the incidents. The race with a writer changing an incident on such
a day is closed by the triggers' `ON CONFLICT DO UPDATE`:
- a writer that committed before the refresh's statements ran is in the rebuilt rows (each
  statement of a READ COMMITTED transaction sees everything committed before it started);
- a writer still open marks the day by upserting the `StaleDay` row: if the refresh has already
  deleted that row, the upsert waits for the refresh to commit and then inserts a new one; if the
  row is still there, the upsert locks it and the refresh's delete waits for the writer to
  commit, then rebuilds from data that includes it. Either way the day is never current while
  its summary misses a change.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.db import connection, transaction
from django.db.models import Q

from incidents.choices import RcrpAgency, RcrpThreshold

from .models import (
    HOUR_COLUMNS,
    PASSED_COLUMNS,
    RCRP_COLUMNS,
    DetentionFact,
    IncidentDay,
    StaleDay,
    hour_column,
    passed_column,
    rcrp_column,
)

log = logging.getLogger(__name__)

# Beyond this many separate runs of stale days in one range, counting the whole range live is
# simpler than OR-ing that many date ranges (the figures are the same either way).
MAX_LIVE_RUNS = 24


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


TAKE_SQL = """
    DELETE FROM reporting_staleday WHERE id IN (
        SELECT id FROM reporting_staleday
        WHERE (%(org)s::bigint IS NULL OR organisation_id = %(org)s)
        ORDER BY organisation_id, day
        LIMIT %(batch)s
        FOR UPDATE SKIP LOCKED
    )
    RETURNING organisation_id, day
"""
CLEAR_SQL = """
    DELETE FROM reporting_incidentday AS s
    USING unnest(%(orgs)s::bigint[], %(days)s::date[]) AS t(organisation_id, day)
    WHERE s.organisation_id = t.organisation_id AND s.day = t.day
"""


def refresh_batch(*, batch: int = 366, organisation_id: int | None = None) -> int:
    """Rebuilds up to `batch` stale days in one transaction; returns how many."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(TAKE_SQL, {"org": organisation_id, "batch": batch})
        taken = cursor.fetchall()
        if not taken:
            return 0
        params = {"orgs": [r[0] for r in taken], "days": [r[1] for r in taken]}
        # Compiling this wide aggregate costs more than running it.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(CLEAR_SQL, params)
        cursor.execute(_select_sql(), params)
    return len(taken)


FACT_COLUMNS = [f.column for f in DetentionFact._meta.concrete_fields]
TAKE_DETENTIONS_SQL = """
    DELETE FROM reporting_staledetention WHERE id IN (
        SELECT id FROM reporting_staledetention ORDER BY detention_id
        LIMIT %(batch)s FOR UPDATE SKIP LOCKED
    )
    RETURNING detention_id
"""


def refresh_detentions_batch(*, batch: int = 5000) -> int:
    """Rebuilds up to `batch` stale detention facts in one transaction (the same protocol as
    the days: see the module docstring); returns how many."""
    columns = ", ".join(FACT_COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(TAKE_DETENTIONS_SQL, {"batch": batch})
        ids = [r[0] for r in cursor.fetchall()]
        if not ids:
            return 0
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(
            "DELETE FROM reporting_detentionfact WHERE detention_id = ANY(%(ids)s)", {"ids": ids}
        )
        cursor.execute(
            f"INSERT INTO reporting_detentionfact ({columns}) SELECT {columns} "
            "FROM reporting_detentionlive WHERE detention_id = ANY(%(ids)s)",
            {"ids": ids},
        )
    return len(ids)


def refresh(
    *, batch: int = 366, time_limit: float | None = None, organisation_id: int | None = None
) -> int:
    """Rebuilds stale days and stale detention facts, batch by batch, until none is left (or
    `time_limit` seconds have passed: the rest waits for the next run). Returns the number of
    days and detentions rebuilt."""
    started = time.monotonic()
    days = detentions = 0

    def out_of_time():
        return time_limit is not None and time.monotonic() - started > time_limit

    while n := refresh_batch(batch=batch, organisation_id=organisation_id):
        days += n
        if out_of_time():
            break
    while not out_of_time() and (n := refresh_detentions_batch()):
        detentions += n
    if days + detentions >= 1000:
        # The stale tables were large and are now (nearly) empty: tell the planner, so that it
        # plans the live branch of the figures for the few stale rows there are.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE reporting_staleday, reporting_staledetention")
    if days or detentions:
        log.info("reporting summaries: %s day(s), %s detention(s) rebuilt", days, detentions)
    return days + detentions


# --------------------------------------------------------------------------- reading
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


class Split:
    """A scope's date range cut into the days read from the summary (`summary`) and the days
    counted live (`live`), each as inclusive runs of UK dates."""

    def __init__(self, organisation_id: int, date_from: dt.date, date_to: dt.date):
        stale = list(
            StaleDay.objects.filter(
                organisation_id=organisation_id, day__gte=date_from, day__lte=date_to
            )
            .order_by("day")
            .values_list("day", flat=True)
        )
        self.live = _runs(stale)
        if len(self.live) > MAX_LIVE_RUNS:
            self.live = [(date_from, date_to)]
        self.summary = _complement(date_from, date_to, self.live)

    def summary_q(self) -> Q | None:
        if not self.summary:
            return None
        q = Q()
        for start, end in self.summary:
            q |= Q(day__gte=start, day__lte=end)
        return q

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


def summary_rows(scope, split: Split):
    """The summary rows of a scope's current days (None when every day is counted live)."""
    q = split.summary_q()
    if q is None:
        return None
    qs = IncidentDay.objects.filter(q, organisation_id=scope.organisation_id)
    if scope.npu_id:
        qs = qs.filter(npu_id=scope.npu_id)
    if scope.category:
        qs = qs.filter(category=scope.category)
    return qs.order_by()


__all__ = [
    "Split",
    "hour_column",
    "passed_column",
    "rcrp_column",
    "refresh",
    "refresh_batch",
    "summary_rows",
]
