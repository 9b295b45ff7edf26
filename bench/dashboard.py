"""Benchmark of the reporting dashboards against the bare SQL they replace.

For each page (force dashboard, NPU dashboard, s136 return page and API) and date range, times
the page through Django's test client (signed in as the demo NPU lead, so middleware, queries
and template rendering are all counted) and, in the same process against the same database,
one hand-written aggregate query per figure over the raw tables (`BARE_SQL` below), then prints
the medians and the ratio page / bare SQL. Also prints each figure's ORM query time against its
own bare SQL.

Uses its own database (created if missing, then migrated, `seed_demo`, and `generate_synthetic`
unless synthetic data is already there: it is reused):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/harbour_bench_reporting \\
    .venv/bin/python bench/dashboard.py [--incidents 1000000 --detentions 60000] [--runs 7]

Prints each view against (a) its own SQL statements run raw (the framework's overhead; target
<= 1.3x) and (b) the best raw aggregate over the base tables, runs interleaved; then the 10-year
force dashboard with scattered stale days and detentions (the worst case between two refreshes)
against the same after the refresh. Targets: every view under --target-ms (500).
"""

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings.dev")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/harbour_bench_reporting")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/9")

LONDON = "Europe/London"

# --- the bare SQL: one hand-written aggregate per figure -----------------------------------
INC = """FROM incidents_incident i WHERE i.organisation_id = %(org)s
  AND i.occurred_at >= %(start)s AND i.occurred_at < %(end)s {npu_i}"""
DET = """FROM incidents_detention d WHERE d.organisation_id = %(org)s AND d.power = 's136'
  AND d.detained_at >= %(start)s AND d.detained_at < %(end)s {npu_d}"""
AGE_U18 = """CASE WHEN p.date_of_birth IS NOT NULL
  THEN date_part('year', age((d.detained_at AT TIME ZONE 'Europe/London')::date, p.date_of_birth)) < 18
  ELSE coalesce(p.age_assessment = 'appears_under_18', false) END"""

BARE_SQL = {
    "volumes": "SELECT (i.occurred_at AT TIME ZONE 'Europe/London')::date, count(*) "
    + INC
    + " GROUP BY 1 ORDER BY 1",
    "volumes_month": "SELECT date_trunc('month', i.occurred_at AT TIME ZONE 'Europe/London'), "
    "count(*) " + INC + " GROUP BY 1 ORDER BY 1",
    "volumes_week": "SELECT date_trunc('week', i.occurred_at AT TIME ZONE 'Europe/London'), "
    "count(*) " + INC + " GROUP BY 1 ORDER BY 1",
    "categories": "SELECT i.category, count(*) " + INC + " GROUP BY 1",
    "heatmap": "SELECT extract(isodow FROM i.occurred_at AT TIME ZONE 'Europe/London'), "
    "extract(hour FROM i.occurred_at AT TIME ZONE 'Europe/London'), count(*) "
    + INC
    + " GROUP BY 1, 2",
    "rcrp": "SELECT i.rcrp_threshold, count(*) " + INC + " GROUP BY 1",
    "rcrp_passed_to": "SELECT i.rcrp_passed_to, count(*) "
    + INC
    + " AND i.rcrp_threshold = 'none' GROUP BY 1",
    "officer_hours": """SELECT i.category, sum(o.minutes), count(*)
  FROM incidents_officerdeployment o JOIN incidents_incident i ON i.id = o.incident_id
  WHERE i.organisation_id = %(org)s AND i.occurred_at >= %(start)s AND i.occurred_at < %(end)s
  {npu_i} GROUP BY 1""",
    "repeat_people": """WITH top AS (SELECT ip.person_id, count(*) AS n, max(i.occurred_at) AS last
  FROM incidents_incident_people ip JOIN incidents_incident i ON i.id = ip.incident_id
  WHERE i.organisation_id = %(org)s AND i.occurred_at >= %(start)s AND i.occurred_at < %(end)s
  {npu_i} GROUP BY 1 HAVING count(*) >= 3 ORDER BY 2 DESC, 3 DESC, 1 LIMIT 20)
  SELECT top.*, p.given_name, p.family_name FROM top JOIN incidents_person p ON p.id = top.person_id""",
    "repeat_locations": """WITH top AS (SELECT i.location_key, count(*) AS n,
    count(*) FILTER (WHERE i.healthcare_setting) AS hc """
    + INC
    + """ AND i.location_key <> ''
    GROUP BY 1 HAVING count(*) >= 3 ORDER BY 3 DESC, 2 DESC, 1 LIMIT 20)
  SELECT top.location_key, top.n, top.hc, max(hp.name), max(i.healthcare_setting_name),
    max(i.location_description), max(i.location_postcode)
  FROM top JOIN incidents_incident i ON i.location_key = top.location_key
  LEFT JOIN places_of_safety_placeofsafety hp ON hp.id = i.healthcare_place_id
  WHERE i.organisation_id = %(org)s AND i.occurred_at >= %(start)s AND i.occurred_at < %(end)s {npu_i}
  GROUP BY 1, 2, 3""",
    "first_place": """SELECT pl.kind, count(*) FROM incidents_detention d
  LEFT JOIN incidents_detentionarrival a ON a.detention_id = d.id
  LEFT JOIN places_of_safety_placeofsafety pl ON pl.id = a.place_id
  WHERE d.organisation_id = %(org)s AND d.power = 's136' AND d.detained_at >= %(start)s
  AND d.detained_at < %(end)s {npu_d} GROUP BY 1""",
    "police_station": """SELECT count(*) FILTER (WHERE st), count(*) FILTER (WHERE st AND u18) FROM (
  SELECT (pl.kind = 'police_station' OR EXISTS (SELECT 1 FROM incidents_transfer t
    JOIN places_of_safety_placeofsafety p2 ON p2.id = t.to_place_id
    WHERE t.detention_id = d.id AND p2.kind = 'police_station')) AS st, """
    + AGE_U18
    + """ AS u18
  FROM incidents_detention d JOIN incidents_person p ON p.id = d.person_id
  LEFT JOIN incidents_detentionarrival a ON a.detention_id = d.id
  LEFT JOIN places_of_safety_placeofsafety pl ON pl.id = a.place_id
  WHERE d.organisation_id = %(org)s AND d.power = 's136' AND d.detained_at >= %(start)s
  AND d.detained_at < %(end)s {npu_d}) x""",
    "conveyance": "SELECT d.conveyance_mode, count(*) " + DET + " GROUP BY 1",
    "police_vehicle_reasons": "SELECT d.conveyance_reason, count(*) "
    + DET
    + " AND d.conveyance_mode = 'police_vehicle' GROUP BY 1",
    "time_to_assessment": """SELECT count(*),
  percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a.started_at - d.clock_started_at)),
  percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM a.started_at - d.clock_started_at)),
  count(*) FILTER (WHERE a.started_at > d.clock_started_at + interval '3 hours')
  FROM incidents_detention d JOIN incidents_assessment a ON a.detention_id = d.id
  WHERE d.organisation_id = %(org)s AND d.power = 's136' AND d.detained_at >= %(start)s
  AND d.detained_at < %(end)s {npu_d} AND a.started_at IS NOT NULL AND d.clock_started_at IS NOT NULL""",
    "time_to_handover": """SELECT count(*),
  percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM h.handed_over_at - a.arrived_at)),
  percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM h.handed_over_at - a.arrived_at))
  FROM incidents_detention d JOIN incidents_handover h ON h.detention_id = d.id
  JOIN incidents_detentionarrival a ON a.detention_id = d.id
  WHERE d.organisation_id = %(org)s AND d.power = 's136' AND d.detained_at >= %(start)s
  AND d.detained_at < %(end)s {npu_d}""",
    "length": """SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY m),
  count(*) FILTER (WHERE m < 360), count(*) FILTER (WHERE m >= 360 AND m < 720),
  count(*) FILTER (WHERE m >= 720 AND m < 1440), count(*) FILTER (WHERE m >= 1440)
  FROM (SELECT extract(epoch FROM d.ended_at - d.detained_at) / 60 AS m """
    + DET
    + " AND d.ended_at IS NOT NULL) x",
    "extensions": """SELECT e.ground, count(*) FROM incidents_detention d
  JOIN incidents_extension e ON e.detention_id = d.id
  WHERE d.organisation_id = %(org)s AND d.power = 's136' AND d.detained_at >= %(start)s
  AND d.detained_at < %(end)s {npu_d} GROUP BY 1""",
    "breaches": """SELECT count(*), count(*) FILTER (WHERE b), count(*) FILTER (WHERE b AND ended_at IS NULL)
  FROM (SELECT d.ended_at, d.expires_at IS NOT NULL AND ((d.ended_at IS NOT NULL AND d.ended_at > d.expires_at)
  OR (d.ended_at IS NULL AND d.expires_at < now())) AS b """
    + DET
    + ") x",
    "outcomes": "SELECT d.outcome, count(*) " + DET + " AND d.ended_at IS NOT NULL GROUP BY 1",
    "transfers": """SELECT pl.kind, count(*) FROM incidents_transfer t
  JOIN incidents_detention d ON d.id = t.detention_id
  JOIN places_of_safety_placeofsafety pl ON pl.id = t.to_place_id
  WHERE d.organisation_id = %(org)s AND d.power = 's136' AND d.detained_at >= %(start)s
  AND d.detained_at < %(end)s {npu_d} GROUP BY 1""",
    "ethnicity": """WITH c AS (SELECT CASE left(p.ethnicity, 1) WHEN 'W' THEN 'white' WHEN 'M' THEN 'mixed'
    WHEN 'A' THEN 'asian' WHEN 'B' THEN 'black' WHEN 'O' THEN 'other' ELSE 'not_stated' END AS g,
    count(*) AS n FROM incidents_detention d JOIN incidents_person p ON p.id = d.person_id
  WHERE d.organisation_id = %(org)s AND d.power = 's136' AND d.detained_at >= %(start)s
  AND d.detained_at < %(end)s {npu_d} GROUP BY 1)
  SELECT c.g, c.n, f.population FROM c LEFT JOIN reporting_populationfigure f
  ON f.organisation_id = %(org)s AND f."group" = c.g""",
    # s136 return only
    "age_groups": """SELECT CASE WHEN p.date_of_birth IS NOT NULL THEN
    CASE WHEN date_part('year', age((d.detained_at AT TIME ZONE 'Europe/London')::date, p.date_of_birth)) < 18
    THEN 'under_18' ELSE '18_and_over' END
    WHEN p.age_assessment = 'appears_under_18' THEN 'under_18'
    WHEN p.age_assessment = 'adult' THEN '18_and_over' ELSE 'not_known' END, count(*)
  FROM incidents_detention d JOIN incidents_person p ON p.id = d.person_id
  WHERE d.organisation_id = %(org)s AND d.power = 's136' AND d.detained_at >= %(start)s
  AND d.detained_at < %(end)s {npu_d} GROUP BY 1""",
    "gender": """SELECT p.gender, count(*) FROM incidents_detention d JOIN incidents_person p ON p.id = d.person_id
  WHERE d.organisation_id = %(org)s AND d.power = 's136' AND d.detained_at >= %(start)s
  AND d.detained_at < %(end)s {npu_d} GROUP BY 1""",
    "return_totals": """SELECT count(*), count(e.id),
  count(*) FILTER (WHERE d.expires_at IS NOT NULL AND ((d.ended_at IS NOT NULL AND d.ended_at > d.expires_at)
    OR (d.ended_at IS NULL AND d.expires_at < now()))),
  percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a.started_at - d.clock_started_at) / 60)
  FROM incidents_detention d LEFT JOIN incidents_extension e ON e.detention_id = d.id
  LEFT JOIN incidents_assessment a ON a.detention_id = d.id
  WHERE d.organisation_id = %(org)s AND d.power = 's136' AND d.detained_at >= %(start)s
  AND d.detained_at < %(end)s {npu_d}""",
}
DASHBOARD_FIGURES = [
    "categories", "heatmap", "rcrp", "rcrp_passed_to", "officer_hours", "first_place", "police_station", "conveyance", "police_vehicle_reasons",
    "time_to_assessment", "time_to_handover", "length", "extensions", "breaches", "outcomes",
    "transfers", "ethnicity",
]  # fmt: skip
REPEAT_FIGURES = ["repeat_people", "repeat_locations"]
RETURN_FIGURES = [
    "return_totals", "first_place", "age_groups", "gender", "ethnicity", "conveyance",
    "police_vehicle_reasons", "police_station",
]  # fmt: skip


def volumes_sql(days):
    return "volumes" if days <= 92 else "volumes_week" if days <= 731 else "volumes_month"


def ensure_data(args):
    import psycopg
    from django.conf import settings
    from django.core.management import call_command

    db = settings.DATABASES["default"]
    name = db["NAME"]
    assert "bench" in name, (
        f"refusing to load synthetic data into a database not named *bench*: {name}"
    )
    with psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"] or "postgres",
        dbname="postgres",
        autocommit=True,
    ) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)
    from detentions.models import Detention
    from incidents.models import Incident

    have = Incident.objects.filter(reference__startswith="SYN").count()
    if have == 0:
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        t = time.perf_counter()
        call_command("generate_synthetic", incidents=args.incidents, detentions=args.detentions)
        print(f"generate_synthetic: {time.perf_counter() - t:.1f} s")
    else:
        from reporting.models import PopulationFigure

        if not PopulationFigure.objects.exists():  # seeded already: the figures are there
            call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return Incident.objects.count(), Detention.objects.count()


def median_time(fn, runs):
    return interleaved([fn], runs)[0]


def interleaved(fns, runs):
    """Median seconds of each function, run in turn (a, b, c, a, b, c, ...) after one warm-up
    each, so that a change in the machine's load falls on all of them alike."""
    for fn in fns:
        fn()  # warm (plans, caches)
    times = [[] for _ in fns]
    for _ in range(runs):
        for i, fn in enumerate(fns):
            t = time.perf_counter()
            fn()
            times[i].append(time.perf_counter() - t)
    return [statistics.median(t) for t in times]


def own_sql(view):
    """The view's own SQL statements, captured from one run, as a function that runs them raw
    (same connection, same parameters, results fetched): the framework's overhead is the view's
    time over this."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        view()
    statements = [q["sql"] for q in captured.captured_queries]

    def run():
        with connection.cursor() as c:
            for sql in statements:
                c.execute(sql)
                if c.description is not None:
                    c.fetchall()

    run.statements = len(statements)
    return run


def make_stale(force_id, days, detentions, today, *, bulk=False):
    """A real edit (its category changed) of one incident on each of `days` scattered days of
    the last ten years, and no-op updates of `detentions` detentions: what a busy minute of edits
    leaves before the next refresh (summary deltas and stale detentions). With `bulk`, the
    incidents' edit is made as a bulk load makes it (its days marked stale, for a rebuild)."""
    import random

    from django.db import connection, transaction

    rng = random.Random(24 + days)
    with transaction.atomic(), connection.cursor() as c:
        if bulk:
            c.execute("SELECT set_config('harbour.summary_bulk', 'on', true)")
        c.execute(
            "SELECT DISTINCT ON ((occurred_at AT TIME ZONE 'Europe/London')::date) id "
            "FROM incidents_incident WHERE organisation_id = %s "
            "AND occurred_at > now() - interval '3640 days' "
            "ORDER BY (occurred_at AT TIME ZONE 'Europe/London')::date, id",
            [force_id],
        )
        per_day = [r[0] for r in c.fetchall()]
        chosen = sorted(rng.sample(per_day[::2], min(days, len(per_day) // 2)))
        c.execute(
            "UPDATE incidents_incident SET category = CASE WHEN category = 'other' "
            "THEN 'missing_person' ELSE 'other' END WHERE id = ANY(%s)",
            [chosen],
        )
        c.execute(
            "SELECT id FROM incidents_detention WHERE organisation_id = %s ORDER BY random() "
            "LIMIT %s",
            [force_id, detentions],
        )
        ids = [r[0] for r in c.fetchall()]
        c.execute(
            "UPDATE incidents_detention SET updated_at = updated_at WHERE id = ANY(%s)", [ids]
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--detentions", type=int, default=60_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--target-ms", type=float, default=500)
    parser.add_argument("--skip-figures", action="store_true")
    parser.add_argument(
        "--raw-runs",
        type=int,
        default=None,
        help="runs of the raw aggregates (b), timed after the view and its own SQL rather than "
        "interleaved with them (default: --runs, interleaved); at 10M a ten-year raw aggregate "
        "takes tens of seconds",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from accounts.models import NPU, Organisation, User
    from reporting import queries
    from reporting.views import last_financial_year

    n_inc, n_det = ensure_data(args)
    # What the beat task keeps done on a live system: rebuild whatever the data load or a
    # migration left stale (the views would be exact without it, only slower).
    from reporting import summary
    from reporting.models import IncidentDelta, StaleDay, StaleDetention

    started = time.monotonic()
    rebuilt = summary.refresh()
    print(
        f"summaries: {rebuilt:,} stale days/detentions rebuilt in "
        f"{time.monotonic() - started:.1f} s; stale now: {StaleDay.objects.count()} days, "
        f"{StaleDetention.objects.count()} detentions"
    )
    force = Organisation.objects.get(slug="midshire-police")
    npu = NPU.objects.get(force=force, code="NPU-C")
    lead = User.objects.get(username="npulead")
    client = Client(HTTP_HOST="localhost")
    client.force_login(lead)
    today = timezone.localdate()
    fy_from, fy_to = last_financial_year(today)

    def bare(keys, date_from, date_to, npu_id=None):
        start = dt.datetime.combine(date_from, dt.time(), tzinfo=queries.LONDON)
        end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(), tzinfo=queries.LONDON)
        params = {"org": force.pk, "start": start, "end": end, "npu": npu_id}
        fmt = {
            "npu_i": "AND i.npu_id = %(npu)s" if npu_id else "",
            "npu_d": "AND d.npu_id = %(npu)s" if npu_id else "",
        }
        sql = [BARE_SQL[k].format(**fmt) for k in keys]

        def run():
            with connection.cursor() as c:
                for s in sql:
                    c.execute(s, params)
                    c.fetchall()

        return run

    def page(path, params):
        def run():
            response = client.get(path, params)
            assert response.status_code == 200, (path, response.status_code)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)

        return run

    cases = []
    for label, days in (("90 days (default)", 90), ("1 year", 365), ("10 years", 3650)):
        date_from = today - dt.timedelta(days=days - 1)
        fq = {"date_from": date_from.isoformat(), "date_to": today.isoformat()}
        keys = [volumes_sql(days), *DASHBOARD_FIGURES]
        cases.append(
            (f"force dashboard, {label}", page("/reports/", fq), bare(keys, date_from, today))
        )
        cases.append(
            (
                f"NPU dashboard, {label}",
                page(f"/reports/npu/{npu.code}/", fq),
                bare(keys, date_from, today, npu.pk),
            )
        )
        cases.append(
            (
                f"repeat demand page, {label}",
                page("/reports/repeat/", fq),
                bare(REPEAT_FIGURES, date_from, today),
            )
        )
    rq = {"date_from": fy_from.isoformat(), "date_to": fy_to.isoformat()}
    cases.append(
        (
            "s136 return page, last financial year",
            page("/reports/s136-return/", rq),
            bare(RETURN_FIGURES, fy_from, fy_to),
        )
    )
    cases.append(
        (
            "s136 return API, last financial year",
            page(
                "/api/v1/reports/s136-return/",
                {"from": fy_from.isoformat(), "to": fy_to.isoformat()},
            ),
            bare(RETURN_FIGURES, fy_from, fy_to),
        )
    )
    cases.append(
        (
            "s136 return CSV, last financial year",
            page("/reports/s136-return/csv/", rq),
            bare(RETURN_FIGURES, fy_from, fy_to),
        )
    )

    from detentions.models import Detention
    from incidents.models import Incident

    print(
        f"data: {n_inc:,} incidents, {n_det:,} detentions in the database; the signed-in force "
        f"has {Incident.objects.filter(organisation=force).count():,} incidents and "
        f"{Detention.objects.filter(organisation=force).count():,} detentions; "
        f"{args.runs} runs each, medians"
    )
    print(
        "(a) own SQL: the statements the view ran, run raw; (b) best raw aggregate: one "
        "hand-written aggregate per figure over the base tables (BARE_SQL)"
    )
    print(
        f"{'view':48} {'view ms':>9} {'own SQL ms':>11} {'view/own':>9} "
        f"{'raw agg ms':>11} {'view/raw':>9}  targets"
    )
    for label, view, sql in cases:
        own = own_sql(view)
        if args.raw_runs is None:
            v, o, s = interleaved([view, own, sql], args.runs)
        else:
            v, o = interleaved([view, own], args.runs)
            s = median_time(sql, args.raw_runs)
        ok = v < args.target_ms / 1000 and v <= 1.3 * o
        print(
            f"{label:48} {v * 1000:9.1f} {o * 1000:11.1f} {v / o:9.2f} "
            f"{s * 1000:11.1f} {v / s:9.2f}  {'ok' if ok else 'MISSED'} "
            f"({own.statements} statements)"
        )
        sys.stdout.flush()

    # The worst case between two refreshes: scattered stale days and stale detentions.
    from django.db import connection as conn

    ten = today - dt.timedelta(days=3649)
    tq = {"date_from": ten.isoformat(), "date_to": today.isoformat()}
    view = page("/reports/", tq)
    for days, dets, bulk in ((30, 30, False), (1000, 1000, False), (1000, 0, True)):
        make_stale(force.pk, days, dets, today, bulk=bulk)
        n_days, n_dets = StaleDay.objects.count(), StaleDetention.objects.count()
        n_deltas = IncidentDelta.objects.count()
        # The first request after the burst (it may rebuild the stale days on demand), then
        # the steady state until the next refresh.
        t = time.perf_counter()
        view()
        first = time.perf_counter() - t
        own = own_sql(view)
        v, o = interleaved([view, own], args.runs)
        summary.refresh()
        with conn.cursor() as c:
            c.execute(
                "VACUUM ANALYZE reporting_staleday, reporting_staledetention, reporting_incidentdelta, "
                "reporting_incidentday, reporting_incidentmonth, reporting_detentionfact, "
                "reporting_detentionmonth, reporting_detentionminutes"
            )
        (fresh,) = interleaved([view], args.runs)
        ok = max(first, v) < 2 * args.target_ms / 1000
        print(
            f"force dashboard, 10 years, {n_deltas} summary deltas "
            f"({days} days edited{', as a bulk load' if bulk else ''}), {n_days} stale days and "
            f"{n_dets} stale detentions: "
            f"first request {first * 1000:.1f} ms, then {v * 1000:.1f} ms "
            f"(own SQL {o * 1000:.1f} ms, {v / o:.2f}x); after the refresh "
            f"{fresh * 1000:.1f} ms; stale / fresh {v / fresh:.2f}x  "
            f"{'ok' if ok else 'MISSED'} (target: under {2 * args.target_ms:.0f} ms)"
        )
        sys.stdout.flush()

    if args.skip_figures:
        print(f"machine: load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        return
    print("\nper figure, default 90 days, force-wide (ORM query vs its bare SQL):")
    date_from = today - dt.timedelta(days=89)
    for key, fn in queries.FIGURES.items():
        sql_key = {"volumes": "volumes"}.get(key, key)
        if sql_key not in BARE_SQL:
            continue
        # A fresh scope each call: nothing a dashboard shares between figures is reused here.
        o = median_time(lambda fn=fn: fn(queries.Scope(force.pk, date_from, today)), args.runs)
        s = median_time(bare([sql_key], date_from, today), args.runs)
        print(f"  {key:24} ORM {o * 1000:7.1f} ms   bare {s * 1000:7.1f} ms   ratio {o / s:5.2f}")
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )


if __name__ == "__main__":
    main()
